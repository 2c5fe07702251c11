export * from './auth-error-code';
export * from './auth.module';
export * from './dev-issuer/clients';
export * from './dev-issuer/dev-issuer.service';
export * from './dev-issuer/keys';
export * from './principal';
export * from './rate-limit.guard';
export * from './scopes';
