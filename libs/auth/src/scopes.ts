/**
 * Every scope the gateway knows, one per capability. Apps add theirs here as they arrive. Each
 * producing app has two webhook scopes of its own (`<app>:webhooks:read` / `:manage`, see
 * libs/events), so a partner can be let into one app's events without the others'.
 */
export const ALL_SCOPES = [
  'crm:read',
  'crm:write',
  'crm:webhooks:read',
  'crm:webhooks:manage',
  'billing:read',
  'billing:write',
  'billing:webhooks:read',
  'billing:webhooks:manage',
  'tax:read',
  'tax:write',
  'tax:webhooks:read',
  'tax:webhooks:manage',
  'erp:read',
  'erp:write',
  'erp:admin',
  'erp:webhooks:read',
  'erp:webhooks:manage',
  'q2c:read',
  'q2c:write',
  'q2c:operate',
  'q2c:webhooks:read',
  'q2c:webhooks:manage',
  'u2r:ingest',
  'u2r:read',
  'u2r:operate',
  'u2r:webhooks:read',
  'u2r:webhooks:manage',
  'portal:read',
  'portal:operate',
  'portal:customer',
  'metrics:read',
] as const;
export type Scope = (typeof ALL_SCOPES)[number];
