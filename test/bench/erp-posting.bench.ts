import { startTrytonServer } from '../tryton/tryton-server';
import { Figure, benchDatabase, devToken, pool, startBuiltApp } from './harness';

const INVOICES = Number(process.env.BENCH_ERP_INVOICES ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CUSTOMERS = 200;

async function call(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number }> {
  const res = await fetch(`${base}/erp/v1/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return { status: res.status };
}

type Api = (method: string, path: string, body?: unknown) => Promise<{ status: number }>;

/**
 * Posts `count` canonical invoices dated today, by `concurrency` clients: an annual subscription
 * line deferred, a usage line and a one-time line, with tax, for customers BENCH-0… and items
 * PLATFORM, API-CALLS and ONBOARDING. Returns the seconds it took; every answer must be a 201.
 */
async function postInvoices(
  api: Api,
  count: number,
  concurrency: number,
  customers: number,
): Promise<number> {
  const today = new Date().toISOString().slice(0, 10);
  const year = Number(today.slice(0, 4));
  const run = Date.now();
  return pool(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const { status } = await api('POST', 'invoices', {
        legalEntity: 'US01',
        externalId: `BENCH-${run}-${i}`,
        customerExternalId: `BENCH-${i % customers}`,
        date: today,
        currency: 'USD',
        lines: [
          {
            itemCode: 'PLATFORM',
            quantity: String(1 + (i % 50)),
            amount: `${(1 + (i % 50)) * 1200}.00`,
            taxAmount: `${(1 + (i % 50)) * 48}.00`,
            servicePeriod: { start: `${year}-01-01`, end: `${year + 1}-01-01` },
          },
          {
            itemCode: 'API-CALLS',
            quantity: String(10_000 + i),
            amount: `${(i % 997) + 0.5}`,
            taxAmount: '0.02',
          },
          { itemCode: 'ONBOARDING', quantity: '1', amount: '250.00' },
        ],
      });
      if (status !== 201) throw new Error(`invoice ${i} answered ${status}, not 201`);
    },
  );
}

async function createCustomers(api: Api, count: number, concurrency: number): Promise<void> {
  await pool(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      await api('PUT', `customers/US01/BENCH-${i}`, {
        name: `Customer ${i}`,
        paymentTerms: 'net_30',
      });
    },
  );
}

/**
 * AR invoice postings through the ERP API on the sandbox: an entity with its chart, default
 * accounts and this year's periods, 200 customers and three items; then INVOICES canonical
 * invoices (an annual subscription line deferred, a usage line, a one-time line, with tax) posted
 * by CONCURRENCY clients, each a balanced move with its document in one transaction. The app runs
 * as built, in its own process.
 */
export async function erpPosting(): Promise<Figure[]> {
  const db = await benchDatabase();
  const erp = await startBuiltApp('system-erp', {
    DATABASE_URL: db.url,
    REVGATE_DATA_DIR: '.revgate/bench',
  });
  try {
    const token = await devToken(erp.url);
    const api = (method: string, path: string, body?: unknown) =>
      call(erp.url, token, method, path, body);
    const entity = {
      name: 'Revgate Inc.',
      functionalCurrency: 'USD',
      allowedCurrencies: ['USD'],
      taxRegistration: { scheme: 'EIN', number: '94-1234567', country: 'US' },
      country: 'US',
    };
    await api('PUT', 'legal-entities/US01', entity);
    for (const [code, name, type] of [
      ['1000', 'Cash', 'cash'],
      ['1200', 'Receivable', 'receivable'],
      ['2200', 'Tax payable', 'tax_payable'],
      ['2400', 'Deferred revenue', 'deferred_revenue'],
      ['4000', 'Subscription revenue', 'revenue'],
      ['4100', 'Usage revenue', 'revenue'],
      ['4200', 'Services revenue', 'revenue'],
    ])
      await api('PUT', `accounts/US01/${code}`, { name, type });
    await api('PUT', 'legal-entities/US01', {
      ...entity,
      defaultAccounts: { receivable: '1200', taxPayable: '2200', cash: '1000' },
    });
    const today = new Date().toISOString().slice(0, 10);
    await api('PUT', `periods/US01/${today.slice(0, 7)}`);
    await api('PUT', 'items/US01/PLATFORM', {
      name: 'Platform',
      revenueAccount: '4000',
      deferredRevenueAccount: '2400',
    });
    await api('PUT', 'items/US01/API-CALLS', { name: 'API calls', revenueAccount: '4100' });
    await api('PUT', 'items/US01/ONBOARDING', { name: 'Onboarding', revenueAccount: '4200' });
    await createCustomers(api, CUSTOMERS, CONCURRENCY);
    const seconds = await postInvoices(api, INVOICES, CONCURRENCY, CUSTOMERS);
    const perSecond = INVOICES / seconds;
    return [
      {
        bench: 'erp posting',
        metric: `AR invoices posted/s on the sandbox (${INVOICES}, 3 lines each, ${CONCURRENCY} clients)`,
        value: perSecond,
        unit: '/s',
        target: '>= 300',
        met: perSecond >= 300,
      },
    ];
  } finally {
    await erp.stop();
    await db.stop();
  }
}

const TRYTON_INVOICES = Number(process.env.BENCH_ERP_TRYTON_INVOICES ?? 300);
const TRYTON_CONCURRENCY = Number(process.env.BENCH_ERP_TRYTON_CONCURRENCY ?? 8);

/**
 * The same postings through the ERP API on a real Tryton 6.0 (ERP_PROVIDER=tryton): a trytond of
 * its own on a copy of the test template (test/tryton/tryton-server.ts; SQLite unless
 * TRYTON_TEST_BACKEND=postgresql), the ERP app as built in its own process, US01 mapped through
 * the API. Each invoice is a find-or-create by reference, the checks, create and post of the
 * invoice and of its deferral move, and the read back; Tryton numbers a company's invoices one at a
 * time, so more clients mostly wait. A figure to record, with no target.
 */
export async function erpPostingTryton(): Promise<Figure[]> {
  const tryton = await startTrytonServer();
  const db = await benchDatabase();
  const erp = await startBuiltApp('system-erp', {
    DATABASE_URL: db.url,
    REVGATE_DATA_DIR: '.revgate/bench',
    ERP_PROVIDER: 'tryton',
    ERP_TRYTON_URL: tryton.url,
    ERP_TRYTON_DATABASE: tryton.database,
    ERP_TRYTON_USER: tryton.login,
    ERP_TRYTON_PASSWORD: tryton.password,
  });
  try {
    const token = await devToken(erp.url);
    const api: Api = (method, path, body) => call(erp.url, token, method, path, body);
    await api('PUT', 'legal-entities/US01', {
      name: 'Revgate US Inc.',
      functionalCurrency: 'USD',
      allowedCurrencies: ['USD'],
      taxRegistration: { scheme: 'EIN', number: '94-1234567', country: 'US' },
      country: 'US',
      defaultAccounts: { receivable: '1100', taxPayable: '2200', cash: '1000' },
    });
    await api('PUT', 'items/US01/PLATFORM', {
      name: 'Platform',
      revenueAccount: '4000',
      deferredRevenueAccount: '2400',
    });
    await api('PUT', 'items/US01/API-CALLS', { name: 'API calls', revenueAccount: '4100' });
    await api('PUT', 'items/US01/ONBOARDING', { name: 'Onboarding', revenueAccount: '4100' });
    await createCustomers(api, 20, TRYTON_CONCURRENCY);
    // Warm-up: the connector's login and master data.
    await postInvoices(api, 5, 1, 20);
    const seconds = await postInvoices(api, TRYTON_INVOICES, TRYTON_CONCURRENCY, 20);
    return [
      {
        bench: 'erp posting (tryton)',
        metric: `AR invoices posted/s on Tryton 6.0, ${tryton.backend} (${TRYTON_INVOICES}, 3 lines each, ${TRYTON_CONCURRENCY} clients)`,
        value: TRYTON_INVOICES / seconds,
        unit: '/s',
        target: 'recorded',
      },
    ];
  } finally {
    await erp.stop();
    await db.stop();
    await tryton.stop();
  }
}
