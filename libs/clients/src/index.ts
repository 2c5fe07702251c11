// The types of every app's API, generated once from openapi/ into the partner SDK
// (sdk/src/generated, npm run openapi): the process and experience apps use the same types.
export type { billing, crm, erp, portal, q2c, tax, u2r } from '@revgate/sdk';
export * from './system-api';
