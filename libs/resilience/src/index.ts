export * from './backoff';
export * from './budget';
export * from './resilience.module';
export * from './token-provider';
export * from './upstream-client';
export * from './upstream-error';
export * from './upstreams';
