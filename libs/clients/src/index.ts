export type * as crm from './generated/system-crm';
export type * as billing from './generated/system-billing';
export type * as tax from './generated/system-tax';
export * from './system-api';
