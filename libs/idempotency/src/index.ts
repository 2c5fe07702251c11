export * from './idempotency-error-code';
export * from './idempotency-record.entity';
export * from './idempotency.interceptor';
export * from './idempotency.module';
export * from './request-hash';
export * from './omit-from-replay';
