import { benchDatabase, devToken, Figure, pool, startBuiltApp } from './harness';

const SUBSCRIPTIONS = Number(process.env.BENCH_RUN_SUBSCRIPTIONS ?? 10_000);
const EVENTS_PER_METER = Number(process.env.BENCH_RUN_EVENTS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const INGEST_CONCURRENCY = Number(process.env.BENCH_INGEST_CONCURRENCY ?? 4);
/** Three meters, each with its own metered price: graduated tiers, per unit, volume. */
const METERS = ['api_calls', 'storage_gb', 'messages'] as const;
const ADDRESS = {
  line1: '1 Market St',
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94105',
  country: 'US',
};

async function post<T>(url: string, token: string, body: unknown, expect = 201): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expect) throw new Error(`POST ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/**
 * A billing run end to end: SUBSCRIPTIONS monthly subscriptions (seats and three metered prices),
 * EVENTS_PER_METER usage events per subscription and meter ingested over HTTP; the run closes the
 * period, rates it, has billing invoice every subscription (recurring and usage lines) and posts
 * every invoice to the sandbox ERP under its budget. Billing (without a tax API), the ERP and the process app run as built, in their own
 * processes, on one database. The figures: the total time from the first event sent to the last
 * invoice posted, and invoices posted per second from the run's start to its completion.
 */
export async function billingRun(): Promise<Figure[]> {
  const db = await benchDatabase();
  const env = {
    DATABASE_URL: db.url,
    REVGATE_DATA_DIR: '.revgate/bench',
    OUTBOX_RELAY_ENABLED: 'false',
  };
  const billing = await startBuiltApp('system-billing', env);
  const erp = await startBuiltApp('system-erp', { ...env, REVGATE_EMBEDDED: 'true' });
  const u2r = await startBuiltApp('process-usage-to-revenue', {
    ...env,
    BILLING_API_URL: billing.url,
    ERP_API_URL: erp.url,
  });
  try {
    const bt = await devToken(billing.url);
    const ut = await devToken(u2r.url);
    const b = (path: string, body: unknown) =>
      post<{ id: string }>(`${billing.url}/billing/v1/${path}`, bt, body);
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
      .toISOString()
      .slice(0, 10);
    const period = from.slice(0, 7);
    // The demo ERP (seeded: US01 with its chart, periods and the PLATFORM-ANNUAL item) takes the postings.
    const product = await b('products', { name: 'Platform', sku: 'PLATFORM-ANNUAL' });
    const seats = await b('prices', {
      productId: product.id,
      currency: 'USD',
      type: 'recurring',
      interval: 'month',
      billingScheme: 'per_unit',
      unitAmount: '49.90',
    });
    const metered = [
      await b('prices', {
        productId: product.id,
        currency: 'USD',
        type: 'recurring',
        interval: 'month',
        usageType: 'metered',
        meter: 'api_calls',
        billingScheme: 'tiered',
        tiersMode: 'graduated',
        includedQuantity: '1000',
        tiers: [
          { upTo: '100000', unitAmount: '0.002' },
          { upTo: null, unitAmount: '0.001' },
        ],
      }),
      await b('prices', {
        productId: product.id,
        currency: 'USD',
        type: 'recurring',
        interval: 'month',
        usageType: 'metered',
        meter: 'storage_gb',
        billingScheme: 'per_unit',
        unitAmount: '0.25',
      }),
      await b('prices', {
        productId: product.id,
        currency: 'USD',
        type: 'recurring',
        interval: 'month',
        usageType: 'metered',
        meter: 'messages',
        billingScheme: 'tiered',
        tiersMode: 'volume',
        tiers: [
          { upTo: '10000', unitAmount: '0.01' },
          { upTo: null, unitAmount: '0.005' },
        ],
      }),
    ];
    for (const code of METERS)
      await post(`${u2r.url}/u2r/v1/meters`, ut, {
        code,
        name: code,
        aggregation: 'sum',
        unit: code,
      });
    const customers: string[] = [];
    await pool(
      Array.from({ length: 200 }, (_, i) => i),
      CONCURRENCY,
      async (i) => {
        customers[i] = (
          await b('customers', {
            name: `Customer ${i}`,
            billTo: ADDRESS,
            currency: 'USD',
            legalEntity: 'US01',
          })
        ).id;
      },
    );
    const subs: string[] = [];
    const setup = await pool(
      Array.from({ length: SUBSCRIPTIONS }, (_, i) => i),
      CONCURRENCY,
      async (i) => {
        subs[i] = (
          await b('subscriptions', {
            customerId: customers[i % customers.length],
            billingInterval: 'month',
            startDate: from,
            items: [
              { priceId: seats.id, quantity: String(1 + (i % 20)) },
              ...metered.map((p) => ({ priceId: p.id })),
            ],
          })
        ).id;
      },
    );
    process.stdout.write(`  set up ${SUBSCRIPTIONS} subscriptions (${setup.toFixed(0)} s)\n`);

    // Ingestion is part of the figure: SUBSCRIPTIONS × 3 meters × EVENTS_PER_METER events, in
    // 1,000-event batches, INGEST_CONCURRENCY in flight.
    const stamp = new Date().toISOString();
    const perSub = METERS.length * EVENTS_PER_METER;
    const totalEvents = subs.length * perSub;
    const batches = Math.ceil(totalEvents / 1000);
    const ingestStart = process.hrtime.bigint();
    await pool(
      Array.from({ length: batches }, (_, i) => i),
      INGEST_CONCURRENCY,
      async (batch) => {
        const events: string[] = [];
        for (let n = batch * 1000; n < Math.min(totalEvents, (batch + 1) * 1000); n++) {
          const sub = Math.floor(n / perSub);
          const meter = METERS[Math.floor((n % perSub) / EVENTS_PER_METER)];
          events.push(
            `{"id":"bench-${n}","subscriptionId":"${subs[sub]}","meterCode":"${meter}","quantity":"${(n % 97) + 1}","timestamp":"${stamp}"}`,
          );
        }
        const res = await fetch(`${u2r.url}/u2r/v1/usage-events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ut}`, 'content-type': 'application/json' },
          body: `{"events":[${events.join(',')}]}`,
        });
        const text = await res.text();
        if (res.status !== 200 || !text.includes(`"accepted":${events.length}`))
          throw new Error(`ingestion: ${res.status} ${text.slice(0, 300)}`);
      },
    );
    const ingestSeconds = Number(process.hrtime.bigint() - ingestStart) / 1e9;
    process.stdout.write(
      `  ingested ${totalEvents} events in ${ingestSeconds.toFixed(1)} s (${(totalEvents / ingestSeconds).toFixed(0)} /s)\n`,
    );

    const started = process.hrtime.bigint();
    const run = await post<{ id: string }>(`${u2r.url}/u2r/v1/billing-runs`, ut, { period }, 202);
    let state: { status: string; counts: { posted: number; failed: number } };
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const res = await fetch(`${u2r.url}/u2r/v1/billing-runs/${run.id}`, {
        headers: { authorization: `Bearer ${ut}` },
      });
      state = (await res.json()) as typeof state;
      if (state.status !== 'running') break;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (
      state.status !== 'completed' ||
      state.counts.failed > 0 ||
      state.counts.posted !== SUBSCRIPTIONS
    )
      throw new Error(`the run ended ${JSON.stringify(state)}`);
    const perSecond = SUBSCRIPTIONS / seconds;
    const total = ingestSeconds + seconds;
    const shape = `${SUBSCRIPTIONS} subscriptions × ${METERS.length} meters × ${EVENTS_PER_METER} events`;
    return [
      {
        bench: 'billing run',
        metric: `from ingestion to ERP-posted invoices, total time (${shape}: ingestion ${ingestSeconds.toFixed(1)} s + run ${seconds.toFixed(1)} s)`,
        value: total,
        unit: 's',
        target: 'recorded',
        met: true,
      },
      {
        bench: 'billing run',
        metric: `invoices rated, issued and posted to the ERP per second, the run alone (${shape})`,
        value: perSecond,
        unit: '/s',
        target: 'recorded',
        met: true,
      },
    ];
  } finally {
    await u2r.stop();
    await erp.stop();
    await billing.stop();
    await db.stop();
  }
}
