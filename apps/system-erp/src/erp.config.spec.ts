import { ConfigError, loadConfig } from '@revgate/platform';
import { ErpConfig } from './erp.config';
import { ERP_ERROR_STATUS, ErpError, ErpErrorCode } from './erp-error-code';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(ErpConfig, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('ErpConfig', () => {
  it('defaults to port 3004, the sandbox without governance limits, and the demo seed', () => {
    expect(loadConfig(ErpConfig, {})).toMatchObject({
      PORT: 3004,
      ERP_PROVIDER: 'sandbox',
      ERP_SEED_DEMO: true,
      ERP_SANDBOX_CONCURRENCY_LIMIT: 0,
      ERP_SANDBOX_RATE_PER_SECOND: 0,
      ERP_SANDBOX_LATENCY_MS: 0,
      ERP_SANDBOX_FAULT_RATE: '0',
      ERP_SANDBOX_FAULT_SEED: 1,
    });
  });

  it('reads the sandbox governance from the environment', () => {
    expect(
      loadConfig(ErpConfig, {
        ERP_SANDBOX_CONCURRENCY_LIMIT: '5',
        ERP_SANDBOX_RATE_PER_SECOND: '100',
        ERP_SANDBOX_LATENCY_MS: '20',
        ERP_SANDBOX_FAULT_RATE: '0.05',
        ERP_SANDBOX_FAULT_SEED: '42',
      }),
    ).toMatchObject({
      ERP_SANDBOX_CONCURRENCY_LIMIT: 5,
      ERP_SANDBOX_RATE_PER_SECOND: 100,
      ERP_SANDBOX_LATENCY_MS: 20,
      ERP_SANDBOX_FAULT_RATE: '0.05',
      ERP_SANDBOX_FAULT_SEED: 42,
    });
  });

  it('reads the Tryton connection, and needs none for the sandbox', () => {
    expect(
      loadConfig(ErpConfig, {
        ERP_PROVIDER: 'tryton',
        ERP_TRYTON_URL: 'http://127.0.0.1:8000',
        ERP_TRYTON_DATABASE: 'revgate',
        ERP_TRYTON_USER: 'revgate',
        ERP_TRYTON_PASSWORD: 's3cret-pass',
        ERP_TRYTON_TIMEOUT_MS: '5000',
      }),
    ).toMatchObject({
      ERP_PROVIDER: 'tryton',
      ERP_TRYTON_URL: 'http://127.0.0.1:8000',
      ERP_TRYTON_DATABASE: 'revgate',
      ERP_TRYTON_USER: 'revgate',
      ERP_TRYTON_PASSWORD: 's3cret-pass',
      ERP_TRYTON_TIMEOUT_MS: 5000,
      ERP_TRYTON_LOGIN_TIMEOUT_MS: 60000,
      ERP_TRYTON_CONCURRENCY: 4,
      ERP_TRYTON_MAX_WAIT_MS: 60000,
      ERP_TRYTON_CACHE_TTL_MS: 30000,
    });
    expect(loadConfig(ErpConfig, { ERP_TRYTON_URL: 'not a url' }).ERP_PROVIDER).toBe('sandbox');
  });

  it('never repeats the Tryton password in a configuration error', () => {
    const found = problems({
      ERP_PROVIDER: 'tryton',
      ERP_TRYTON_URL: 'ftp://tryton',
      ERP_TRYTON_DATABASE: 'revgate',
      ERP_TRYTON_PASSWORD: '   ',
    });
    expect(found).toContain(
      'ERP_TRYTON_PASSWORD: must be set with ERP_PROVIDER=tryton (the value is not shown)',
    );
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'an ERP without an adapter',
      { ERP_PROVIDER: 'netsuite' },
      'ERP_PROVIDER: must be one of sandbox, tryton',
    ],
    [
      'Tryton without its server',
      { ERP_PROVIDER: 'tryton', ERP_TRYTON_DATABASE: 'revgate', ERP_TRYTON_PASSWORD: 'pw' },
      'ERP_TRYTON_URL: must be the http(s) URL of the Tryton server',
    ],
    [
      'Tryton without its database',
      {
        ERP_PROVIDER: 'tryton',
        ERP_TRYTON_URL: 'http://127.0.0.1:8000',
        ERP_TRYTON_PASSWORD: 'pw',
      },
      'ERP_TRYTON_DATABASE: must name the Tryton database',
    ],
    [
      'Tryton without a password',
      {
        ERP_PROVIDER: 'tryton',
        ERP_TRYTON_URL: 'http://127.0.0.1:8000',
        ERP_TRYTON_DATABASE: 'revgate',
      },
      'ERP_TRYTON_PASSWORD: must be set with ERP_PROVIDER=tryton',
    ],
    [
      'a Tryton budget of no calls at all',
      { ERP_TRYTON_CONCURRENCY: '0' },
      'ERP_TRYTON_CONCURRENCY: must be an integer from 1 to 64',
    ],
    [
      'a fault rate above 1',
      { ERP_SANDBOX_FAULT_RATE: '1.5' },
      'ERP_SANDBOX_FAULT_RATE: must be a decimal',
    ],
    [
      'a fault rate that is no number',
      { ERP_SANDBOX_FAULT_RATE: 'often' },
      'ERP_SANDBOX_FAULT_RATE: must be a decimal',
    ],
    [
      'a negative concurrency limit',
      { ERP_SANDBOX_CONCURRENCY_LIMIT: '-1' },
      'ERP_SANDBOX_CONCURRENCY_LIMIT: must be an integer',
    ],
    [
      'a latency out of range',
      { ERP_SANDBOX_LATENCY_MS: '600000' },
      'ERP_SANDBOX_LATENCY_MS: must be an integer',
    ],
    [
      'a seed switch that is no boolean',
      { ERP_SEED_DEMO: 'maybe' },
      'ERP_SEED_DEMO: must be true or false',
    ],
  ])('refuses %s, naming the variable', (_name, env, message) => {
    const found = problems(env);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });
});

describe('ErpErrorCode', () => {
  it('has no value twice, every value starts with ERP_, and each has an HTTP status', () => {
    const codes: string[] = Object.values(ErpErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of Object.values(ErpErrorCode)) {
      expect(code).toMatch(/^ERP_[A-Z_]+$/);
      expect(ERP_ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
    }
  });

  it('makes a problem with its status, pointers and Retry-After (never under a second)', () => {
    const error = new ErpError(ErpErrorCode.RATE_LIMITED, 'slow down', {
      pointers: ['/lines'],
      retryAfterSeconds: 0.2,
    });
    expect(error).toMatchObject({
      status: 429,
      code: 'ERP_RATE_LIMITED',
      detail: 'slow down',
      extensions: { errors: [{ pointer: '/lines', detail: 'slow down' }] },
      headers: { 'retry-after': '1' },
    });
    expect(new ErpError(ErpErrorCode.PERIOD_CLOSED, 'closed')).toMatchObject({
      status: 422,
      extensions: {},
      headers: {},
    });
  });
});
