export type * as crm from './generated/system-crm';
export type * as billing from './generated/system-billing';
export type * as tax from './generated/system-tax';
export type * as erp from './generated/system-erp';
export * from './system-api';
