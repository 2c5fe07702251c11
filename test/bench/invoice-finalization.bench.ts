import Decimal from 'decimal.js';
import { Figure, benchDatabase, startBuiltApp } from './harness';

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** Drafts per finalize-batch request, and how many such requests run at once. */
const BATCH = Number(process.env.BENCH_BATCH ?? 250);
const BATCH_CONCURRENCY = Number(process.env.BENCH_BATCH_CONCURRENCY ?? 2);

const ADDRESSES = [
  { line1: '350 Fifth Avenue', city: 'New York', region: 'NY', postalCode: '10118', country: 'US' },
  {
    line1: '100 Congress Avenue',
    city: 'Austin',
    region: 'TX',
    postalCode: '78701',
    country: 'US',
  },
  {
    line1: '1 Market Street',
    city: 'San Francisco',
    region: 'CA',
    postalCode: '94105',
    country: 'US',
  },
  { line1: '1 Pike Street', city: 'Seattle', region: 'WA', postalCode: '98101', country: 'US' },
];

interface Api {
  post<T>(path: string, body?: unknown): Promise<T>;
}

function api(baseUrl: string, token: string): Api {
  return {
    async post<T>(path: string, body?: unknown): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(`${baseUrl}/billing/v1/${path}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await res.text();
        if (res.ok) return JSON.parse(text) as T;
        // A lock conflict under load is a retry, as any client would do; anything else is a failure.
        if (res.status === 409 && text.includes('CONCURRENT_UPDATE') && attempt < 5) continue;
        throw new Error(`POST ${path} answered ${res.status}: ${text.slice(0, 300)}`);
      }
    },
  };
}

/** Runs `work` over `items` with `concurrency` workers; returns the seconds it took. */
async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++];
        await work(item);
      }
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function devToken(url: string): Promise<string> {
  const res = await fetch(`${url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=revgate-dev&client_secret=revgate-dev-secret',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/**
 * Invoice finalization: 10,000 monthly subscriptions (seats + metered API calls on a graduated
 * price) across US states with and without SaaS tax, each with a usage line for the month and a
 * draft invoice quoted by the tax API; then every draft is finalized through the billing API's
 * batch endpoint — numbered, its tax committed in the tax system over HTTP, its outbox event
 * written — BATCH drafts a request, BATCH_CONCURRENCY requests at once, as a billing run does.
 * Both apps run as built, in their own processes, on one database.
 */
export async function invoiceFinalization(): Promise<Figure[]> {
  const db = await benchDatabase();
  const env = { DATABASE_URL: db.url, REVGATE_DATA_DIR: '.revgate/bench' };
  const tax = await startBuiltApp('system-tax', env);
  const billingApp = await startBuiltApp('system-billing', { ...env, TAX_API_URL: tax.url });
  try {
    const billing = api(billingApp.url, await devToken(billingApp.url));
    const today = new Date();
    const monthStart = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
    const nextMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1));
    const day = (d: Date): string => d.toISOString().slice(0, 10);
    const period = { from: day(monthStart), to: day(nextMonth) };

    const product = await billing.post<{ id: string }>('products', {
      name: 'Platform Pro',
      sku: 'PLAT-PRO',
    });
    const seats = await billing.post<{ id: string }>('prices', {
      productId: product.id,
      currency: 'USD',
      type: 'recurring',
      interval: 'month',
      billingScheme: 'per_unit',
      unitAmount: '49.90',
    });
    const calls = await billing.post<{ id: string }>('prices', {
      productId: product.id,
      currency: 'USD',
      type: 'recurring',
      interval: 'month',
      usageType: 'metered',
      meter: 'api_calls',
      billingScheme: 'tiered',
      tiersMode: 'graduated',
      includedQuantity: '10000',
      tiers: [
        { upTo: '90000', unitAmount: '0.002' },
        { upTo: null, unitAmount: '0.001' },
      ],
    });
    const customers: string[] = [];
    await pool(
      Array.from({ length: 200 }, (_, i) => i),
      CONCURRENCY,
      async (i) => {
        const customer = await billing.post<{ id: string }>('customers', {
          name: `Customer ${i}`,
          billTo: ADDRESSES[i % ADDRESSES.length],
          currency: 'USD',
          legalEntity: 'US01',
        });
        customers[i] = customer.id;
      },
    );
    const drafts: string[] = [];
    const setupSeconds = await pool(
      Array.from({ length: SUBSCRIPTIONS }, (_, i) => i),
      CONCURRENCY,
      async (i) => {
        const customerId = customers[i % customers.length];
        const sub = await billing.post<{ id: string }>('subscriptions', {
          customerId,
          billingInterval: 'month',
          startDate: period.from,
          items: [{ priceId: seats.id, quantity: String(1 + (i % 50)) }, { priceId: calls.id }],
        });
        await billing.post(`subscriptions/${sub.id}/usage-lines`, {
          meter: 'api_calls',
          quantity: String(5_000 + ((i * 7919) % 200_000)),
          period,
          sourceRef: `bench:${i}`,
        });
        const draft = await billing.post<{ id: string }>('invoices', {
          customerId,
          subscriptionId: sub.id,
        });
        drafts.push(draft.id);
      },
    );
    process.stdout.write(
      `  set up ${SUBSCRIPTIONS} subscriptions with usage and a taxed draft each in ${setupSeconds.toFixed(1)} s\n`,
    );

    let taxed = 0;
    const batches = Array.from({ length: Math.ceil(drafts.length / BATCH) }, (_, i) =>
      drafts.slice(i * BATCH, (i + 1) * BATCH),
    );
    const seconds = await pool(batches, BATCH_CONCURRENCY, async (invoiceIds) => {
      const answer = await billing.post<{
        failed: number;
        results: { invoiceId: string; invoice?: { status: string; totalTax: string } }[];
      }>('invoices/finalize-batch', { invoiceIds });
      if (answer.failed > 0)
        throw new Error(`${answer.failed} of ${invoiceIds.length} drafts failed to finalize`);
      for (const { invoiceId, invoice } of answer.results) {
        if (invoice?.status !== 'finalized' && invoice?.status !== 'paid')
          throw new Error(
            `invoice ${invoiceId} is ${invoice?.status ?? 'missing'} after finalization`,
          );
        if (new Decimal(invoice.totalTax).gt(0)) taxed++;
      }
    });
    const perSecond = drafts.length / seconds;
    return [
      {
        bench: 'invoice finalization',
        metric: `drafts set up (subscription + usage line + taxed draft)/s, ${CONCURRENCY} clients`,
        value: SUBSCRIPTIONS / setupSeconds,
        unit: '/s',
      },
      {
        bench: 'invoice finalization',
        metric: `invoices finalized/s (${drafts.length}, ${taxed} with tax; batches of ${BATCH}, ${BATCH_CONCURRENCY} at once)`,
        value: perSecond,
        unit: '/s',
        target: '>= 500',
        met: perSecond >= 500,
      },
    ];
  } finally {
    await billingApp.stop();
    await tax.stop();
    await db.stop();
  }
}
