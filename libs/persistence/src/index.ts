export * from './data-source';
export * from './embedded-postgres';
export * from './persistence.module';
export * from './transaction-host';
export * from './keyset';
export * from './errors';
export * from './bulk';
