import { benchDatabase, devToken, Figure, pool, startBuiltApp } from './harness';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

interface Step {
  name: string;
  status: string;
  startedAt?: string;
  finishedAt?: string;
}
interface Order {
  id: string;
  status: string;
  createdAt: string;
  completedAt?: string;
  steps: Step[];
}

async function call<T>(
  method: string,
  url: string,
  token: string,
  body?: unknown,
  expected: number[] = [200, 201, 202],
): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!expected.includes(res.status))
    throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

function p95(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0;
}

/**
 * Quote-to-cash end to end: ORDERS closed-won deals (one product, a New York customer each) made
 * into orders through POST /q2c/v1/orders by CONCURRENCY clients; the figure is orders completed
 * per second — validated, customers ensured in the ERP and billing, subscription, invoice with tax
 * committed, receivable posted to the ERP, CRM written back, ContractActivated — from the first
 * request to the last order completed, and the p95 duration of each step from the orders' traces.
 * Every app runs as built, in its own process, on one database (the embedded default).
 */
export async function ordersEndToEnd(): Promise<Figure[]> {
  const db = await benchDatabase();
  const env = {
    DATABASE_URL: db.url,
    REVGATE_DATA_DIR: '.revgate/bench',
    OUTBOX_RELAY_ENABLED: 'false',
  };
  const crm = await startBuiltApp('system-crm', { ...env, CRM_SEED_DEMO: 'false' });
  const tax = await startBuiltApp('system-tax', env);
  const billing = await startBuiltApp('system-billing', { ...env, TAX_API_URL: tax.url });
  const erp = await startBuiltApp('system-erp', { ...env, REVGATE_EMBEDDED: 'true' });
  const q2c = await startBuiltApp('process-quote-to-cash', {
    ...env,
    CRM_API_URL: crm.url,
    BILLING_API_URL: billing.url,
    ERP_API_URL: erp.url,
    INVOICE_EVENT_WAIT_SECONDS: '0',
    ERP_CONCURRENCY: '8',
    ERP_RATE_PER_SECOND: '1000',
    ERP_POSTING_CONCURRENCY: '8',
  });
  try {
    // The same data folder: one development key, so one token serves every app.
    const token = await devToken(crm.url);
    const now = new Date();
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
      .toISOString()
      .slice(0, 10);
    const product = await call<{ id: string }>('POST', `${crm.url}/crm/v1/products`, token, {
      sku: 'BENCH-PLAT',
      name: 'Platform (bench)',
    });
    const billingProduct = await call<{ id: string }>(
      'POST',
      `${billing.url}/billing/v1/products`,
      token,
      { name: 'Platform (bench)', sku: 'BENCH-PLAT' },
    );
    const price = await call<{ id: string }>('POST', `${billing.url}/billing/v1/prices`, token, {
      productId: billingProduct.id,
      currency: 'USD',
      type: 'recurring',
      interval: 'month',
      billingScheme: 'per_unit',
      unitAmount: '100.00',
    });
    await call('PUT', `${erp.url}/erp/v1/items/US01/BENCH-PLAT`, token, {
      name: 'Platform (bench)',
      revenueAccount: '4000',
      taxCode: 'SW054000',
    });
    await call('POST', `${q2c.url}/q2c/v1/product-mappings`, token, {
      crmProductId: product.id,
      currency: 'USD',
      billingPriceId: price.id,
      erpItemCode: 'BENCH-PLAT',
    });
    const deals: string[] = [];
    const setup = await pool(
      Array.from({ length: ORDERS }, (_, i) => i),
      CONCURRENCY,
      async (i) => {
        const account = await call<{ id: string }>('POST', `${crm.url}/crm/v1/accounts`, token, {
          legalName: `Bench Customer ${i}`,
          billingAddress: {
            line1: '350 Fifth Avenue',
            city: 'New York',
            region: 'NY',
            postalCode: '10118',
            country: 'US',
          },
          taxRegistration: { scheme: 'EIN', number: '12-3456789', country: 'US' },
          currency: 'USD',
          legalEntity: 'US01',
        });
        const opportunity = await call<{ id: string }>(
          'POST',
          `${crm.url}/crm/v1/opportunities`,
          token,
          {
            accountId: account.id,
            name: `Bench deal ${i}`,
            lines: [
              {
                productId: product.id,
                quantity: String(1 + (i % 20)),
                unitPrice: '100.00',
                termMonths: 12,
                startDate: start,
              },
            ],
          },
        );
        await call('POST', `${crm.url}/crm/v1/opportunities/${opportunity.id}/stage`, token, {
          stage: 'closed_won',
        });
        deals[i] = opportunity.id;
      },
    );
    process.stdout.write(`  set up ${ORDERS} closed-won deals in ${setup.toFixed(1)} s\n`);

    const started = process.hrtime.bigint();
    const ids: string[] = [];
    await pool(deals, CONCURRENCY, async (opportunityId) => {
      const order = await call<{ id: string }>('POST', `${q2c.url}/q2c/v1/orders`, token, {
        opportunityId,
      });
      ids.push(order.id);
    });
    for (;;) {
      const waiting = await call<{ data: unknown[] }>(
        'GET',
        `${q2c.url}/q2c/v1/orders?status=in_progress&limit=1`,
        token,
      );
      const parked = await call<{ data: unknown[] }>(
        'GET',
        `${q2c.url}/q2c/v1/orders?status=needs_attention&limit=1`,
        token,
      );
      if (parked.data.length > 0) throw new Error('an order needs attention in the benchmark');
      if (waiting.data.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const orders: Order[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Order[]; nextCursor: string | null } = await call(
        'GET',
        `${q2c.url}/q2c/v1/orders?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        token,
      );
      orders.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    const completed = orders.filter((o) => o.status === 'completed');
    if (completed.length !== ORDERS)
      throw new Error(`${completed.length} of ${ORDERS} orders completed`);
    const durations = new Map<string, number[]>();
    for (const order of completed)
      for (const step of order.steps)
        if (step.startedAt && step.finishedAt) {
          const list = durations.get(step.name) ?? [];
          list.push(Date.parse(step.finishedAt) - Date.parse(step.startedAt));
          durations.set(step.name, list);
        }
    const endToEnd = completed.map(
      (o) => Date.parse(o.completedAt ?? o.createdAt) - Date.parse(o.createdAt),
    );
    const perSecond = ORDERS / seconds;
    return [
      {
        bench: 'orders',
        metric: `orders completed end to end/s (${ORDERS} deals, ${CONCURRENCY} clients)`,
        value: perSecond,
        unit: '/s',
        target: '>= 20',
        met: perSecond >= 20,
      },
      {
        bench: 'orders',
        metric: 'order p95, start to ContractActivated',
        value: p95(endToEnd),
        unit: 'ms',
      },
      ...[...durations.entries()].map(([name, values]) => ({
        bench: 'orders',
        metric: `step p95: ${name}`,
        value: p95(values),
        unit: 'ms',
      })),
    ];
  } finally {
    for (const app of [q2c, erp, billing, tax, crm]) await app.stop();
    await db.stop();
  }
}
