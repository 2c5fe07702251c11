import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { idempotentHint, systemApi, type billing, type tax } from '@revgate/clients';
import {
  ClientCredentialsTokenProvider,
  UpstreamClient,
  UpstreamUnavailableError,
} from '@revgate/resilience';
import { billingApp } from '../../apps/system-billing/src/billing.app';
import { BillingConfig } from '../../apps/system-billing/src/billing.config';
import { taxApp } from '../../apps/system-tax/src/tax.app';
import { TaxConfig } from '../../apps/system-tax/src/tax.config';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The typed clients a process app uses, against the real billing and tax apps over HTTP: paths,
 * bodies and answers typed from the committed specs, sent through the resilience client with a
 * real client-credentials token.
 */
describe('typed system API clients (e2e)', () => {
  let billingT: TestApp<BillingConfig>;
  let taxT: TestApp<TaxConfig>;
  const upstreams: UpstreamClient[] = [];

  beforeAll(async () => {
    taxT = await startTestApp(taxApp);
    billingT = await startTestApp(billingApp, { TAX_API_URL: taxT.url });
  });
  afterAll(async () => {
    for (const u of upstreams) u.shutdown();
    await billingT.close();
    await taxT.close();
  });

  const upstream = (
    name: string,
    t: { url: string; app: NestFastifyApplication },
  ): UpstreamClient => {
    const client = new UpstreamClient({
      name,
      baseUrl: t.url,
      timeoutMs: 5000,
      auth: new ClientCredentialsTokenProvider({
        tokenUrl: `${t.url}/auth/token`,
        clientId: 'revgate-dev',
        clientSecret: 'revgate-dev-secret',
        timeoutMs: 5000,
      }),
    });
    upstreams.push(client);
    return client;
  };

  it('creates, reads and finalizes through typed calls; a refusal comes back as its problem', async () => {
    const api = systemApi<billing.paths>(upstream('billing', billingT));
    const key = randomUUID();
    const body = {
      name: 'Typed Client Inc',
      currency: 'USD',
      legalEntity: 'US01',
      billTo: {
        line1: '1 Market Street',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
    };
    const created = await api.POST('/billing/v1/customers', {
      body,
      headers: { 'idempotency-key': key },
    });
    expect(created.response.status).toBe(201);
    const customer = created.data;
    if (!customer) throw new Error(`no customer: ${JSON.stringify(created.error)}`);
    expect(customer).toMatchObject({ name: 'Typed Client Inc', currency: 'USD' });

    const replay = await api.POST('/billing/v1/customers', {
      body,
      headers: { 'idempotency-key': key },
    });
    expect(replay.response.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.data?.id).toBe(customer.id);

    const read = await api.GET('/billing/v1/customers/{id}', {
      params: { path: { id: customer.id } },
    });
    expect(read.data).toEqual(customer);

    const missing = await api.GET('/billing/v1/invoices/{id}', {
      params: { path: { id: randomUUID() } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ code: 'BILLING_INVOICE_NOT_FOUND' });

    const product = await api.POST('/billing/v1/products', {
      body: { name: 'Typed Product' },
      headers: { 'idempotency-key': randomUUID() },
    });
    const draft = await api.POST('/billing/v1/invoices', {
      body: {
        customerId: customer.id,
        oneTimeLines: [{ productId: product.data?.id ?? '', quantity: '2', unitAmount: '50.00' }],
      },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(draft.data).toMatchObject({ status: 'draft', total: '100.00' });
    const batch = await api.POST('/billing/v1/invoices/finalize-batch', {
      body: { invoiceIds: [draft.data?.id ?? ''] },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(batch.data).toMatchObject({ finalized: 1, failed: 0 });
    expect(batch.data?.results[0]?.invoice?.number).toMatch(/^US01-\d{4}-\d{6}$/);
  });

  it('sends the idempotent hint as retry permission only, never as a header', async () => {
    const api = systemApi<tax.paths>(upstream('tax', taxT));
    const quote = await api.POST('/tax/v1/quotes', {
      body: {
        legalEntity: 'US01',
        customerCode: 'TYPED',
        date: '2026-01-15',
        currency: 'USD',
        addresses: {
          shipFrom: {
            line1: '1 Market Street',
            city: 'San Francisco',
            region: 'CA',
            postalCode: '94105',
            country: 'US',
          },
          shipTo: {
            line1: '500 Congress Ave',
            city: 'Austin',
            region: 'TX',
            postalCode: '78701',
            country: 'US',
          },
        },
        lines: [{ taxCode: 'SW054000', quantity: '1', amount: '1000.00' }],
      },
      headers: idempotentHint,
    });
    expect(quote.data?.totalTax).toBe('50.00');
    const logged = taxT.logs.filter(
      (l) => (l.req as { url?: string } | undefined)?.url === '/tax/v1/quotes',
    );
    expect(logged.length).toBeGreaterThan(0);
  });

  it('throws UpstreamUnavailableError when the system does not answer', async () => {
    const gone = new UpstreamClient({
      name: 'gone',
      baseUrl: 'http://127.0.0.1:9',
      timeoutMs: 500,
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    upstreams.push(gone);
    const api = systemApi<billing.paths>(gone);
    await expect(api.GET('/billing/v1/customers', {})).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );
  });
});
