import { ConfigError } from '@revgate/platform';
import { ALL_SCOPES } from '../scopes';
import { DEFAULT_DEV_CLIENTS, parseDevClients } from './clients';

function problemOf(json: string): string {
  try {
    parseDevClients(json);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatch(/^AUTH_DEV_CLIENTS: /);
    expect(e.problems[0]).toContain('expected a JSON array of {clientId, clientSecret, scopes[]');
    return e.problems[0] ?? '';
  }
  throw new Error(`parseDevClients accepted ${json}`);
}

const valid = { clientId: 'erp-sync', clientSecret: 'a-long-enough-secret', scopes: ['crm:read'] };

describe('parseDevClients', () => {
  it('uses the default clients when the variable is unset', () => {
    expect(parseDevClients(undefined)).toBe(DEFAULT_DEV_CLIENTS);
    const dev = DEFAULT_DEV_CLIENTS.find((c) => c.clientId === 'revgate-dev');
    expect(dev?.scopes).toEqual([...ALL_SCOPES]);
    const viewer = DEFAULT_DEV_CLIENTS.find((c) => c.clientId === 'revgate-viewer');
    expect(viewer?.scopes.length).toBeGreaterThan(0);
    expect(viewer?.scopes.every((s) => s.endsWith(':read'))).toBe(true);
  });

  it('reads clients with their optional limits', () => {
    const clients = parseDevClients(
      JSON.stringify([
        valid,
        {
          clientId: 'portal',
          clientSecret: 'portal-secret-1',
          scopes: ['crm:read'],
          legalEntities: ['DE01'],
          customerId: 'c-1',
        },
      ]),
    );
    expect(clients).toEqual([
      { ...valid, legalEntities: undefined, customerId: undefined },
      {
        clientId: 'portal',
        clientSecret: 'portal-secret-1',
        scopes: ['crm:read'],
        legalEntities: ['DE01'],
        customerId: 'c-1',
      },
    ]);
  });

  it('drops fields it does not know', () => {
    expect(parseDevClients(JSON.stringify([{ ...valid, admin: true }]))[0]).not.toHaveProperty(
      'admin',
    );
  });

  it.each([
    ['bad JSON', '[{clientId: "x"}', /is not valid JSON/],
    ['an object instead of an array', JSON.stringify(valid), /must be a non-empty array/],
    ['an empty array', '[]', /must be a non-empty array/],
    ['an entry that is not an object', '[null]', /entry 0 is not an object/],
    ['an entry that is an array', JSON.stringify([valid, ['x']]), /entry 1 is not an object/],
    ['no clientId', JSON.stringify([{ ...valid, clientId: undefined }]), /entry 0 has no clientId/],
    ['an empty clientId', JSON.stringify([{ ...valid, clientId: '' }]), /entry 0 has no clientId/],
    [
      'a short secret',
      JSON.stringify([valid, { ...valid, clientId: 'b', clientSecret: 'short' }]),
      /entry 1 needs a clientSecret of at least 12 characters/,
    ],
    [
      'a secret that is not a string',
      JSON.stringify([{ ...valid, clientSecret: 123456789012345 }]),
      /entry 0 needs a clientSecret/,
    ],
    [
      'scopes as a string',
      JSON.stringify([{ ...valid, scopes: 'crm:read' }]),
      /entry 0 needs scopes as an array of strings/,
    ],
    [
      'an empty scope',
      JSON.stringify([{ ...valid, scopes: ['crm:read', ''] }]),
      /entry 0 needs scopes/,
    ],
    [
      'legalEntities as a string',
      JSON.stringify([{ ...valid, legalEntities: 'DE01' }]),
      /entry 0 legalEntities must be an array of strings/,
    ],
    [
      'a numeric customerId',
      JSON.stringify([{ ...valid, customerId: 7 }]),
      /entry 0 customerId must be a string/,
    ],
  ])('refuses %s with a ConfigError naming the variable', (_label, json, expected) => {
    expect(problemOf(json)).toMatch(expected);
  });

  it('never repeats a secret in its errors', () => {
    expect(problemOf(JSON.stringify([{ ...valid, clientSecret: 'tiny-pw' }]))).not.toContain(
      'tiny-pw',
    );
  });
});
