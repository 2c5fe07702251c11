export * from './workflows.module';
export * from './database-steps';
