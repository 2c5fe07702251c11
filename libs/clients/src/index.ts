export type * as crm from './generated/system-crm';
export type * as billing from './generated/system-billing';
export type * as tax from './generated/system-tax';
export type * as erp from './generated/system-erp';
export type * as u2r from './generated/process-usage-to-revenue';
export type * as q2c from './generated/process-quote-to-cash';
export type * as portal from './generated/experience-portal';
export * from './system-api';
