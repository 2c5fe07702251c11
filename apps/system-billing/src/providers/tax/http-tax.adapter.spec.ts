import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, loadConfig, MetricsService, ReadinessRegistry } from '@revgate/platform';
import { Upstreams } from '@revgate/resilience';
import { BillingConfig } from '../../billing.config';
import type { TaxDocument } from '../tax.port';
import { HttpTaxAdapter } from './http-tax.adapter';

/** A stand-in tax API: its handler decides each answer; it records what it was sent. */
interface FakeTaxApi {
  url: string;
  requests: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[];
  handle: (req: { path: string; headers: IncomingMessage['headers'] }, res: ServerResponse) => void;
  close(): Promise<void>;
}

async function fakeTaxApi(): Promise<FakeTaxApi> {
  const fake: FakeTaxApi = {
    url: '',
    requests: [],
    handle: (_req, res) => res.writeHead(500).end(),
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      fake.requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
      });
      fake.handle({ path: req.url ?? '', headers: req.headers }, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

const json = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void => {
  res
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify(body));
};

const DOCUMENT: TaxDocument = {
  legalEntity: 'US01',
  customerCode: 'c-1',
  date: '2026-01-15',
  currency: 'USD',
  shipFrom: {
    line1: '1 Market Street',
    city: 'San Francisco',
    region: 'CA',
    postalCode: '94105',
    country: 'US',
  },
  shipTo: { line1: '1 Main', city: 'New York', region: 'NY', postalCode: '10001', country: 'US' },
  lines: [{ number: 'l1', amount: '100.00', quantity: '1', taxCode: 'SW054000', itemCode: 'SKU' }],
};

const QUOTE = {
  lines: [
    {
      number: 'l1',
      tax: '4.00',
      rate: '0.04',
      taxability: 'taxable',
      jurisdiction: { country: 'US', region: 'NY', name: 'New York', taxName: 'Sales tax' },
    },
  ],
  totalTax: '4.00',
  notes: [],
};

async function refusal(run: () => Promise<unknown>): Promise<ApiError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('HttpTaxAdapter', () => {
  let api: FakeTaxApi;
  let tokens: number;

  beforeEach(async () => {
    api = await fakeTaxApi();
    tokens = 0;
  });
  afterEach(async () => {
    await api.close();
  });

  /** An adapter with upstreams of its own: a breaker fresh for each test. */
  const adapter = (env: Record<string, string> = {}): HttpTaxAdapter =>
    new HttpTaxAdapter(
      loadConfig(BillingConfig, { TAX_API_URL: api.url, ...env }),
      new Upstreams(new MetricsService('billing-test'), new ReadinessRegistry()),
    );

  const tokenEndpoint = (res: ServerResponse): void => {
    tokens += 1;
    json(res, 200, { access_token: `token-${tokens}`, token_type: 'Bearer', expires_in: 3600 });
  };

  it('gets a token with client credentials, keeps it, and sends the document as the tax API models it', async () => {
    api.handle = (req, res) => {
      if (req.path === '/auth/token') tokenEndpoint(res);
      else json(res, 200, QUOTE);
    };
    const tax = adapter({
      TAX_API_CLIENT_ID: 'billing',
      TAX_API_CLIENT_SECRET: 'billing-secret-1',
    });
    const first = await tax.quote(DOCUMENT);
    await tax.commit(DOCUMENT, 'inv-1');
    expect(first).toEqual({ calculated: true, ...QUOTE });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /auth/token',
      'POST /tax/v1/quotes',
      'POST /tax/v1/transactions',
    ]);
    expect(new URLSearchParams(api.requests[0]?.body)).toEqual(
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'billing',
        client_secret: 'billing-secret-1',
        scope: 'tax:read tax:write',
      }),
    );
    expect(api.requests[1]?.headers.authorization).toBe('Bearer token-1');
    expect(JSON.parse(api.requests[1]?.body ?? '{}')).toEqual({
      legalEntity: 'US01',
      customerCode: 'c-1',
      date: '2026-01-15',
      currency: 'USD',
      addresses: { shipFrom: DOCUMENT.shipFrom, shipTo: DOCUMENT.shipTo },
      lines: [
        { number: 'l1', quantity: '1', amount: '100.00', taxCode: 'SW054000', itemCode: 'SKU' },
      ],
    });
    expect(JSON.parse(api.requests[2]?.body ?? '{}')).toMatchObject({ code: 'inv-1' });
  });

  it('asks for a new token once when the tax API answers 401', async () => {
    api.handle = (req, res) => {
      if (req.path === '/auth/token') tokenEndpoint(res);
      else if (req.headers.authorization === 'Bearer token-1')
        json(res, 401, { code: 'AUTH_TOKEN_EXPIRED' });
      else json(res, 200, QUOTE);
    };
    await expect(adapter().quote(DOCUMENT)).resolves.toMatchObject({ totalTax: '4.00' });
    expect(tokens).toBe(2);
  });

  it.each<
    [
      string,
      number,
      Record<string, unknown>,
      Record<string, string>,
      number,
      string,
      string | undefined,
    ]
  >([
    [
      'a refused document',
      422,
      { code: 'TAX_JURISDICTION_UNSUPPORTED', detail: 'no rates for JP' },
      {},
      422,
      'BILLING_TAX_REFUSED',
      undefined,
    ],
    [
      'a code committed with other content',
      409,
      { code: 'TAX_TRANSACTION_CODE_CONFLICT', detail: 'x' },
      {},
      422,
      'BILLING_TAX_REFUSED',
      undefined,
    ],
    [
      'a rate limit',
      429,
      { code: 'RATE_LIMITED', detail: 'slow down' },
      { 'retry-after': '30' },
      503,
      'BILLING_TAX_UNAVAILABLE',
      '30',
    ],
    [
      'a server error',
      500,
      { code: 'INTERNAL_ERROR', detail: 'boom' },
      {},
      503,
      'BILLING_TAX_UNAVAILABLE',
      '5',
    ],
    [
      'a token without the scopes',
      403,
      { code: 'AUTH_INSUFFICIENT_SCOPE', detail: 'x' },
      {},
      503,
      'BILLING_TAX_UNAVAILABLE',
      '5',
    ],
  ])(
    'maps %s (HTTP %i) to its problem',
    async (_name, status, problem, headers, mapped, code, retryAfter) => {
      api.handle = (req, res) => {
        if (req.path === '/auth/token') tokenEndpoint(res);
        else json(res, status, problem, headers);
      };
      const error = await refusal(() => adapter().quote(DOCUMENT));
      expect({ status: error.status, code: error.code }).toEqual({ status: mapped, code });
      if (mapped === 422) expect(error.extensions.taxCode).toBe(problem.code);
      expect(error.headers['retry-after']).toBe(retryAfter);
    },
  );

  it('gives up after the timeout with 503, and refuses when the token endpoint refuses the client', async () => {
    api.handle = (req, res) => {
      if (req.path === '/auth/token') tokenEndpoint(res);
      else setTimeout(() => json(res, 200, QUOTE), 1000);
    };
    const slow = await refusal(() => adapter({ TAX_API_TIMEOUT_MS: '100' }).quote(DOCUMENT));
    expect(slow).toMatchObject({ status: 503, code: 'BILLING_TAX_UNAVAILABLE' });
    expect(slow.detail).toContain('100 ms');

    api.handle = (_req, res) => json(res, 401, { code: 'AUTH_INVALID_CLIENT' });
    const refused = await refusal(() => adapter().quote(DOCUMENT));
    expect(refused).toMatchObject({ status: 503, code: 'BILLING_TAX_UNAVAILABLE' });
    expect(refused.detail).toContain('TAX_API_CLIENT_ID');
  });

  it('treats voiding a code the tax API does not know as nothing to void', async () => {
    api.handle = (req, res) => {
      if (req.path === '/auth/token') tokenEndpoint(res);
      else json(res, 404, { code: 'TAX_TRANSACTION_NOT_FOUND', detail: 'x' });
    };
    await expect(adapter().void('US01', 'inv-9', 'Duplicate')).resolves.toBeUndefined();
    expect(api.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/tax/v1/transactions/US01/inv-9/void',
    });
    expect(JSON.parse(api.requests.at(-1)?.body ?? '{}')).toEqual({ reason: 'Duplicate' });
  });

  it('is unavailable (503) when nothing listens at TAX_API_URL', async () => {
    const url = api.url;
    await api.close();
    const error = await refusal(() =>
      new HttpTaxAdapter(
        loadConfig(BillingConfig, { TAX_API_URL: url }),
        new Upstreams(new MetricsService('billing-test'), new ReadinessRegistry()),
      ).quote(DOCUMENT),
    );
    expect(error).toMatchObject({ status: 503, code: 'BILLING_TAX_UNAVAILABLE' });
  });

  describe('commitMany', () => {
    const transaction = { ...QUOTE, code: 'x' };

    it('sends the documents in batches of 100 and answers each one in order', async () => {
      api.handle = (req, res) => {
        if (req.path === '/auth/token') {
          tokenEndpoint(res);
          return;
        }
        const sent = (
          JSON.parse(api.requests.at(-1)?.body ?? '{}') as { transactions: { code: string }[] }
        ).transactions;
        json(res, 200, {
          results: sent.map((d) =>
            d.code === 'inv-7'
              ? {
                  code: d.code,
                  outcome: 'refused',
                  problem: { status: 422, code: 'TAX_CODE_UNKNOWN', detail: 'no such code' },
                }
              : { code: d.code, outcome: 'created', transaction },
          ),
        });
      };
      const documents = Array.from({ length: 150 }, (_, i) => ({
        code: `inv-${i}`,
        document: DOCUMENT,
      }));
      const results = await adapter().commitMany(documents);
      const batches = api.requests.filter((r) => r.path === '/tax/v1/transactions/batch');
      expect(
        batches.map((r) => (JSON.parse(r.body) as { transactions: unknown[] }).transactions.length),
      ).toEqual([100, 50]);
      expect(
        (JSON.parse(batches[0]?.body ?? '{}') as { transactions: unknown[] }).transactions[0],
      ).toMatchObject({ code: 'inv-0', legalEntity: 'US01', lines: [{ number: 'l1' }] });
      expect(results).toHaveLength(150);
      expect(results[0]).toEqual({ ok: true, outcome: { calculated: true, ...QUOTE } });
      const refused = results[7];
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.error).toMatchObject({ status: 422, code: 'BILLING_TAX_REFUSED' });
        expect(refused.error.extensions.taxCode).toBe('TAX_CODE_UNKNOWN');
      }
    });

    it('is unavailable (503) when the answer does not have one result per document', async () => {
      api.handle = (req, res) => {
        if (req.path === '/auth/token') tokenEndpoint(res);
        else json(res, 200, { results: [] });
      };
      const error = await refusal(() =>
        adapter().commitMany([{ code: 'inv-1', document: DOCUMENT }]),
      );
      expect(error).toMatchObject({ status: 503, code: 'BILLING_TAX_UNAVAILABLE' });
    });

    it('is unavailable (503) as a whole when the tax API fails the batch', async () => {
      api.handle = (req, res) => {
        if (req.path === '/auth/token') tokenEndpoint(res);
        else
          json(res, 503, { code: 'SERVICE_UNAVAILABLE', detail: 'down' }, { 'retry-after': '7' });
      };
      const error = await refusal(() =>
        adapter().commitMany([{ code: 'inv-1', document: DOCUMENT }]),
      );
      expect(error).toMatchObject({ status: 503, code: 'BILLING_TAX_UNAVAILABLE' });
      expect(error.headers['retry-after']).toBe('7');
    });
  });
});
