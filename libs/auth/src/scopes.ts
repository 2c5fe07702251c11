/** Every scope the gateway knows, one per capability. Apps add theirs here as they arrive. */
export const ALL_SCOPES = [
  'crm:read',
  'crm:write',
  'billing:read',
  'billing:write',
  'tax:read',
  'tax:write',
  'erp:read',
  'erp:write',
  'erp:admin',
  'metrics:read',
] as const;
export type Scope = (typeof ALL_SCOPES)[number];
