import { ConfigError } from '@revgate/platform';
import { ALL_SCOPES } from '../scopes';

export interface DevClient {
  clientId: string;
  clientSecret: string;
  scopes: string[];
  legalEntities?: string[];
  customerId?: string;
}

/** Clients of the embedded default. Change them with AUTH_DEV_CLIENTS before exposing the gateway. */
export const DEFAULT_DEV_CLIENTS: DevClient[] = [
  { clientId: 'revgate-dev', clientSecret: 'revgate-dev-secret', scopes: [...ALL_SCOPES] },
  {
    clientId: 'revgate-viewer',
    clientSecret: 'revgate-viewer-secret',
    scopes: ALL_SCOPES.filter((s) => s.endsWith(':read')),
  },
];

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0);
}

export function parseDevClients(json: string | undefined): DevClient[] {
  if (json === undefined) return DEFAULT_DEV_CLIENTS;
  const bad = (why: string): never => {
    throw new ConfigError([
      `AUTH_DEV_CLIENTS: ${why} (expected a JSON array of {clientId, clientSecret, scopes[], legalEntities?[], customerId?})`,
    ]);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return bad('is not valid JSON');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return bad('must be a non-empty array');
  return parsed.map((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return bad(`entry ${i} is not an object`);
    const c = raw as Partial<Record<keyof DevClient, unknown>>;
    if (typeof c.clientId !== 'string' || c.clientId.length === 0)
      return bad(`entry ${i} has no clientId`);
    if (typeof c.clientSecret !== 'string' || c.clientSecret.length < 12)
      return bad(`entry ${i} needs a clientSecret of at least 12 characters`);
    if (!isStringArray(c.scopes)) return bad(`entry ${i} needs scopes as an array of strings`);
    if (c.legalEntities !== undefined && !isStringArray(c.legalEntities))
      return bad(`entry ${i} legalEntities must be an array of strings`);
    if (c.customerId !== undefined && typeof c.customerId !== 'string')
      return bad(`entry ${i} customerId must be a string`);
    return {
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      scopes: c.scopes,
      legalEntities: c.legalEntities,
      customerId: c.customerId,
    };
  });
}
