import { ConfigError, loadConfig } from '@revgate/platform';
import { BillingConfig } from './billing.config';
import { DEFAULT_LEGAL_ENTITIES, parseLegalEntities } from './legal-entities';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(BillingConfig, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('BillingConfig', () => {
  it('defaults to port 3002, the sandbox, no tax system and the demo legal entities', () => {
    const config = loadConfig(BillingConfig, {});
    expect(config).toMatchObject({
      PORT: 3002,
      BILLING_PROVIDER: 'sandbox',
      TAX_API_URL: undefined,
      TAX_API_CLIENT_ID: 'revgate-dev',
      TAX_API_TIMEOUT_MS: 10000,
    });
    expect(parseLegalEntities(config.BILLING_LEGAL_ENTITIES).entities).toEqual(
      DEFAULT_LEGAL_ENTITIES,
    );
  });

  it('accepts a tax API URL and its client', () => {
    const config = loadConfig(BillingConfig, {
      TAX_API_URL: 'http://127.0.0.1:3003',
      TAX_API_CLIENT_ID: 'billing',
      TAX_API_CLIENT_SECRET: 'a-long-secret-value',
      TAX_API_TIMEOUT_MS: '2500',
    });
    expect(config).toMatchObject({
      TAX_API_URL: 'http://127.0.0.1:3003',
      TAX_API_CLIENT_ID: 'billing',
      TAX_API_TIMEOUT_MS: 2500,
    });
  });

  it.each<[string, Record<string, string>, string]>([
    ['an unknown provider', { BILLING_PROVIDER: 'stripe' }, 'BILLING_PROVIDER: must be sandbox'],
    [
      'a tax URL that is not http',
      { TAX_API_URL: 'ftp://tax' },
      'TAX_API_URL: must be an http(s) URL',
    ],
    [
      'a timeout out of range',
      { TAX_API_TIMEOUT_MS: '5' },
      'TAX_API_TIMEOUT_MS: must be an integer',
    ],
    [
      'legal entities that are not JSON',
      { BILLING_LEGAL_ENTITIES: '[{' },
      'BILLING_LEGAL_ENTITIES: is not valid JSON',
    ],
    [
      'an empty list of legal entities',
      { BILLING_LEGAL_ENTITIES: '[]' },
      'must be a non-empty JSON array',
    ],
    [
      'a legal entity with a lower-case code',
      {
        BILLING_LEGAL_ENTITIES: JSON.stringify([
          { code: 'us01', name: 'X', address: DEFAULT_LEGAL_ENTITIES[0]?.address },
        ]),
      },
      '[0].code must be 2–20 capital letters',
    ],
    [
      'a legal entity in the US without a ZIP code',
      {
        BILLING_LEGAL_ENTITIES: JSON.stringify([
          {
            code: 'US02',
            name: 'X',
            address: { line1: '1 Main', city: 'Austin', region: 'TX', country: 'US' },
          },
        ]),
      },
      '[0].address.postalCode: postalCode is required for a US address',
    ],
    [
      'a legal entity listed twice',
      {
        BILLING_LEGAL_ENTITIES: JSON.stringify([
          ...DEFAULT_LEGAL_ENTITIES,
          DEFAULT_LEGAL_ENTITIES[0],
        ]),
      },
      '[2].code US01 is listed twice',
    ],
  ])('refuses %s, naming the variable', (_name, env, message) => {
    const found = problems(env);
    expect(found.join('\n')).toContain(message);
  });

  it('reads a custom list of legal entities', () => {
    const custom = [
      {
        code: 'GB01',
        name: 'Revgate Ltd',
        address: { line1: '1 Poultry', city: 'London', postalCode: 'EC2R 8EJ', country: 'GB' },
      },
    ];
    const config = loadConfig(BillingConfig, { BILLING_LEGAL_ENTITIES: JSON.stringify(custom) });
    expect(parseLegalEntities(config.BILLING_LEGAL_ENTITIES)).toEqual({
      entities: custom,
      problems: [],
    });
  });
});
