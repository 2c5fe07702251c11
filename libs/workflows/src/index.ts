export * from './workflows.module';
