import type Decimal from 'decimal.js';
import { isBalanced, MoneyDecimal, nextPeriod } from '@revgate/canonical';
import { expectStatus } from '../../../../test/support/api-fixtures';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import { U2r } from '../../test/u2r-fixtures';
import { currentMonth, World } from '../../test/u2r-world';
import { u2rApp } from '../u2r.app';
import { U2rConfig } from '../u2r.config';
import type {
  ReconciliationResponse,
  RevenueReconciliation,
} from '../reconciliation/dto/reconciliation.dto';
import type {
  RevenueCloseResponse,
  RevenueWaterfallResponse,
  RevenueWaterfallRow,
} from './dto/revenue.dto';

const sum = (values: string[]): Decimal =>
  values.reduce((acc, v) => acc.plus(v), new MoneyDecimal(0));

describe('revenue (e2e): schedules with the posting, the period close to the ERP, the waterfall', () => {
  const world = new World();
  let t: TestApp<U2rConfig>;
  let u2r: U2r;
  let operate: string;
  let read: string;
  const { period, from } = currentMonth();
  let annual: { customerId: string; subscriptionId: string };
  const dealInvoice = `DEAL-INV-${process.pid}`;
  const dealCredit = `DEAL-CM-${process.pid}`;

  const closeOf = async (): Promise<RevenueCloseResponse> => {
    for (let i = 0; i < 600; i++) {
      const res = await http<RevenueCloseResponse>('GET', u2r.url(`periods/${period}/close`), {
        token: read,
      });
      expectStatus(res, 200);
      if (res.body.status !== 'running') return res.body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the close did not finish');
  };
  const waterfall = async (): Promise<RevenueWaterfallRow> => {
    const res = await http<RevenueWaterfallResponse>(
      'GET',
      u2r.url(`periods/${period}/revenue?legalEntity=US01`),
      { token: read },
    );
    expectStatus(res, 200);
    expect(res.body.rows).toHaveLength(1);
    return res.body.rows[0];
  };
  const reconciledRevenue = async (): Promise<RevenueReconciliation> => {
    const res = await http<ReconciliationResponse>(
      'GET',
      u2r.url(`reconciliation?period=${period}`),
      { token: read },
    );
    expectStatus(res, 200);
    expect(res.body.revenue).toHaveLength(1);
    return res.body.revenue[0];
  };
  const approvedEvents = async (): Promise<number> =>
    (
      await t.sql<{ n: number }>(
        `select count(*)::int as n from u2r.outbox_events where type = 'revenue.journal.approved.v1'`,
      )
    )[0].n;

  beforeAll(async () => {
    await world.start();
    t = await startTestApp(u2rApp, world.env());
    u2r = new U2r(t);
    operate = t.token(['u2r:operate', 'u2r:ingest']);
    read = t.token(['u2r:read']);
    await u2r.defineMeter(operate, {
      code: 'api_calls',
      name: 'API calls',
      aggregation: 'sum',
      unit: 'calls',
    });
    // An annual plan billed in advance (deferred), in the family "platform".
    const sku = 'PLAT-ANNUAL';
    await world.erp.upsertItem(world.erpToken, 'US01', sku);
    const product = await world.b<{ id: string }>('products', {
      name: 'Platform annual',
      sku,
      family: 'platform',
    });
    const price = await world.b<{ id: string }>('prices', {
      productId: product.id,
      currency: 'USD',
      type: 'recurring',
      interval: 'year',
      billingScheme: 'per_unit',
      unitAmount: '1200.00',
    });
    const customer = await world.b<{ id: string }>('customers', {
      name: 'Annual Co',
      currency: 'USD',
      legalEntity: 'US01',
      billTo: {
        line1: '1 Market St',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
    });
    const sub = await world.b<{ id: string }>('subscriptions', {
      customerId: customer.id,
      billingInterval: 'year',
      startDate: from,
      items: [{ priceId: price.id, quantity: '1' }],
    });
    annual = { customerId: customer.id, subscriptionId: sub.id };
    // And a monthly plan billed for this month: revenue when posted.
    await world.subscriber('Monthly Co');

    // What quote-to-cash posts straight to the ERP: a deal's annual invoice (2,400 over a year) and
    // a credit memo taking 600 of it back — not a billing run's, so read back from the ERP at close.
    const erpPut = async (path: string, body: unknown, status = 201): Promise<void> => {
      const method = path.startsWith('customers') ? 'PUT' : 'POST';
      const res = await http(method, `${world.erpApp.url}/erp/v1/${path}`, {
        token: world.erpToken,
        body,
      });
      expect([status, 200]).toContain(res.status);
    };
    await erpPut('customers/US01/DEAL-CUSTOMER', {
      name: 'Deal Co',
      paymentTerms: 'net_30',
      currency: 'USD',
    });
    const yearOf = { start: from, end: `${Number(from.slice(0, 4)) + 1}${from.slice(4)}` };
    const today = new Date().toISOString().slice(0, 10);
    await erpPut('invoices', {
      legalEntity: 'US01',
      externalId: dealInvoice,
      customerExternalId: 'DEAL-CUSTOMER',
      date: today,
      currency: 'USD',
      lines: [{ itemCode: sku, quantity: '1', amount: '2400.00', servicePeriod: yearOf }],
    });
    await erpPut('credit-memos', {
      legalEntity: 'US01',
      externalId: dealCredit,
      customerExternalId: 'DEAL-CUSTOMER',
      invoiceExternalId: dealInvoice,
      date: today,
      currency: 'USD',
      lines: [{ itemCode: sku, quantity: '1', amount: '600.00', servicePeriod: yearOf }],
    });

    const run = await http<{ id: string }>('POST', u2r.url('billing-runs'), {
      token: operate,
      body: { period },
    });
    expectStatus(run, 202);
    for (let i = 0; i < 600; i++) {
      const res = await http<{ status: string }>('GET', u2r.url(`billing-runs/${run.body.id}`), {
        token: read,
      });
      if (res.body.status !== 'running') {
        expect(res.body.status).toBe('completed');
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await world.stop();
  });

  it('gives every posted invoice line one schedule that sums to it, deferred as the ERP booked it', async () => {
    const schedules = await t.sql<{
      id: string;
      subscription_id: string;
      product_family: string;
      total: string;
      deferred: boolean;
      deferred_account: string | null;
      revenue_account: string;
      posting_period: string;
      entries: { period: string; amount: string }[];
    }>(
      `select s.id, s.subscription_id, s.product_family, s.total::text, s.deferred, s.deferred_account,
              s.revenue_account, s.posting_period,
              (select json_agg(json_build_object('period', e.period, 'amount', e.amount::text) order by e.period)
                 from u2r.revenue_schedule_entries e where e.schedule_id = s.id) as entries
         from u2r.revenue_schedules s order by s.subscription_id, s.total`,
    );
    expect(schedules.length).toBeGreaterThanOrEqual(2);
    for (const s of schedules) {
      expect(sum(s.entries.map((e) => e.amount)).equals(s.total)).toBe(true);
      expect(s.entries.every((e) => e.period >= s.posting_period)).toBe(true);
    }
    // The ERP's lines: each posted invoice's net lines have their schedules, no more.
    const posted = await t.sql<{ n: number }>(
      `select count(*)::int as n from u2r.billed_subscriptions b,
              jsonb_array_elements(b.posting->'lines') l
        where b.status = 'posted' and (l->>'amount')::numeric <> 0`,
    );
    expect(schedules).toHaveLength(posted[0].n);

    const yearly = schedules.filter((s) => s.subscription_id === annual.subscriptionId);
    expect(yearly).toHaveLength(1);
    expect(yearly[0]).toMatchObject({
      product_family: 'platform',
      total: '1200',
      deferred: true,
      deferred_account: '2400',
      revenue_account: '4000',
      posting_period: period,
    });
    // Ratably by day over the year: twelve periods from this one.
    expect(yearly[0].entries.map((e) => e.period)).toHaveLength(12);
    expect(yearly[0].entries[1].period).toBe(nextPeriod(period));
    const monthly = schedules.filter((s) => s.subscription_id !== annual.subscriptionId);
    for (const s of monthly)
      expect(s).toMatchObject({
        deferred: false,
        deferred_account: null,
        product_family: 'general',
      });
  });

  it('shows the waterfall: billed = recognized + deferred, the rest by the period it falls in', async () => {
    const row = await waterfall();
    expect(row.balanced).toBe(true);
    expect(row.openingDeferred).toBe('0.00');
    expect(d(row.billed).equals(d(row.recognized).plus(row.closingDeferred))).toBe(true);
    expect(d(row.billedToDate).equals(d(row.recognizedToDate).plus(row.closingDeferred))).toBe(
      true,
    );
    expect(row.schedule).toHaveLength(11);
    expect(sum(row.schedule.map((e) => e.amount)).equals(row.closingDeferred)).toBe(true);
    const platform = row.families.find((f) => f.productFamily === 'platform');
    expect(platform?.billed).toBe('1200.00');
    expect(
      d(platform?.recognized ?? '0')
        .plus(platform?.closingDeferred ?? '0')
        .toFixed(2),
    ).toBe('1200.00');
  });

  it('closes the period: one balanced journal per entity and currency, posted to the ERP once, and RevenueJournalApproved', async () => {
    const started = await http<RevenueCloseResponse>('POST', u2r.url(`periods/${period}/close`), {
      token: operate,
    });
    expectStatus(started, 202);
    const close = await closeOf();
    expect(close).toMatchObject({ period, status: 'completed', attempt: 1 });
    expect(close.journals).toHaveLength(1);
    const [journal] = close.journals;
    const platformShare = (await waterfall()).families.find(
      (f) => f.productFamily === 'platform',
    )?.recognized;
    expect(journal).toMatchObject({
      legalEntity: 'US01',
      currency: 'USD',
      externalId: `revenue:${period}:US01:USD`,
      status: 'posted',
      amount: platformShare,
    });
    expect(journal.lines).toEqual([
      { accountCode: '2400', debit: d(platformShare ?? '0').toFixed(), productFamily: 'platform' },
      { accountCode: '4000', credit: d(platformShare ?? '0').toFixed(), productFamily: 'platform' },
    ]);
    expect(isBalanced(journal.lines, 'USD')).toBe(true);

    // The deal's invoice and credit memo were read back from the ERP and scheduled (the memo negative).
    const fromErp = await t.sql<{
      invoice_id: string;
      total: string;
      deferred: boolean;
      family: string;
    }>(
      `select invoice_id, total::text, deferred, product_family as family from u2r.revenue_schedules
        where source = 'erp' order by total`,
    );
    expect(fromErp).toEqual([
      { invoice_id: dealCredit, total: '-600', deferred: true, family: 'platform' },
      { invoice_id: dealInvoice, total: '2400', deferred: true, family: 'platform' },
    ]);
    const after = (await waterfall()).families.find((f) => f.productFamily === 'platform');
    expect(after?.billed).toBe('3000.00');

    const inErp = await http<{ totalDebit: string; totalCredit: string; period: string }>(
      'GET',
      `${world.erpApp.url}/erp/v1/journal-entries/US01/${encodeURIComponent(journal.externalId)}`,
      { token: world.erpToken },
    );
    expectStatus(inErp, 200);
    expect(inErp.body).toMatchObject({
      period,
      totalDebit: platformShare,
      totalCredit: platformShare,
    });
    expect(await approvedEvents()).toBe(1);
    expect(await reconciledRevenue()).toMatchObject({
      balanced: true,
      toRelease: platformShare,
      released: platformShare,
      variances: [],
    });
  });

  it('closing again with nothing new posts nothing', async () => {
    const erpJournals = await world.erpApp.sql<{ n: number }>(
      'select count(*)::int as n from erp.moves',
    );
    const again = await http<RevenueCloseResponse>('POST', u2r.url(`periods/${period}/close`), {
      token: operate,
    });
    expectStatus(again, 202);
    const close = await closeOf();
    expect(close).toMatchObject({ status: 'completed', attempt: 2 });
    expect(close.journals).toHaveLength(1);
    expect(await approvedEvents()).toBe(1);
    expect(
      await world.erpApp.sql<{ n: number }>('select count(*)::int as n from erp.moves'),
    ).toEqual(erpJournals);
  });

  it('refuses a bad period, a future one, an unknown close and a reader, with problem+json, writing nothing', async () => {
    const closes = () => t.sql<{ n: number }>('select count(*)::int as n from u2r.revenue_closes');
    const before = await closes();
    expectProblem(
      await http('POST', u2r.url('periods/2026-13/close'), { token: operate }),
      400,
      'VALIDATION_FAILED',
    );
    const future = nextPeriod(nextPeriod(period));
    expectProblem(
      await http('POST', u2r.url(`periods/${future}/close`), { token: operate }),
      422,
      'U2R_PERIOD_IN_FUTURE',
    );
    expectProblem(
      await http('POST', u2r.url(`periods/${period}/close`), { token: read }),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
    expectProblem(
      await http('GET', u2r.url('periods/2020-01/close'), { token: read }),
      404,
      'U2R_REVENUE_CLOSE_NOT_FOUND',
    );
    expectProblem(
      await http('GET', u2r.url(`periods/${period}/revenue?legalEntity=us 1`), { token: read }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await http('GET', u2r.url(`periods/${period}/revenue?color=blue`), { token: read }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await closes()).toEqual(before);
  });

  it('shows a caller limited to other legal entities nothing of US01, and lets only an unrestricted one close', async () => {
    const de01 = t.token(['u2r:read', 'u2r:operate'], { legalEntities: ['DE01'] });
    const us01 = t.token(['u2r:read'], { legalEntities: ['US01'] });
    const rows = async (token: string): Promise<number> => {
      const res = await http<RevenueWaterfallResponse>(
        'GET',
        u2r.url(`periods/${period}/revenue`),
        { token },
      );
      expectStatus(res, 200);
      return res.body.rows.length;
    };
    expect(await rows(de01)).toBe(0);
    expect(await rows(us01)).toBe(1);
    const close = await http<RevenueCloseResponse>('GET', u2r.url(`periods/${period}/close`), {
      token: de01,
    });
    expectStatus(close, 200);
    expect(close.body.journals).toEqual([]);
    const recon = await http<ReconciliationResponse>(
      'GET',
      u2r.url(`reconciliation?period=${period}`),
      { token: de01 },
    );
    expectStatus(recon, 200);
    expect(recon.body).toMatchObject({ rows: 0, lines: [], revenue: [] });
    const seen = await http<ReconciliationResponse>(
      'GET',
      u2r.url(`reconciliation?period=${period}`),
      { token: us01 },
    );
    expect(seen.body.revenue).toHaveLength(1);

    const closes = await t.sql<{ attempt: number }>(
      'select attempt from u2r.revenue_closes where period = $1',
      [period],
    );
    expectProblem(
      await http('POST', u2r.url(`periods/${period}/close`), { token: de01 }),
      403,
      'U2R_ALL_ENTITIES_REQUIRED',
    );
    expect(
      await t.sql('select attempt from u2r.revenue_closes where period = $1', [period]),
    ).toEqual(closes);
  });
});

const d = (v: string): Decimal => new MoneyDecimal(v);
