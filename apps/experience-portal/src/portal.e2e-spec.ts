import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { expectProblem, http, startTestApp } from '../../../test/support/test-app';
import { usageEvent } from '../../process-usage-to-revenue/test/u2r-fixtures';
import { portalApp } from './portal.app';
import { expectStatus, PortalLandscape, thisMonth, type OrderBody } from '../test/portal-fixtures';

interface Trace {
  orderId: string;
  orderStatus: string;
  correlationId: string;
  systems: {
    crm: { stage?: string; billingStatus?: string };
    billing: {
      invoiceId?: string;
      invoiceStatus?: string;
      invoiceTotal?: string;
      customerId?: string;
      subscriptionId?: string;
    };
    tax: { transactionCode?: string };
    erp: { invoiceNumber?: string; total?: string };
  };
  timeline: { at: string; system: string; kind: string; status: string }[];
  unavailable: string[];
}

interface Exception {
  id: string;
  orderId: string;
  code: string;
  status: string;
  whatToFix: string;
  flow: string;
}

describe('experience portal (e2e, every app on loopback)', () => {
  let p: PortalLandscape;
  let reader: string;
  let operator: string;
  let done: { orderId: string; opportunityId: string; accountId: string };
  let trace: Trace;

  const auditRows = async (): Promise<number> =>
    Number((await p.portal.sql<{ n: string }>('select count(*) as n from portal.audit_log'))[0]?.n);

  beforeAll(async () => {
    p = await PortalLandscape.start();
    reader = p.token(['portal:read'], { subject: 'ana.viewer' });
    operator = p.token(['portal:read', 'portal:operate', 'portal:customer'], {
      subject: 'olga.operator',
    });
    done = await p.completedOrder();
    const res = await p.call<Trace>('GET', `trace?opportunityId=${done.opportunityId}`, {
      token: reader,
    });
    expectStatus(res, 200);
    trace = res.body;
  }, 180_000);
  afterAll(async () => {
    await p.close();
  });

  it('traces a deal across CRM, quote-to-cash, billing, tax and the ERP, by any of its keys', async () => {
    expect(trace.orderId).toBe(done.orderId);
    expect(trace.orderStatus).toBe('completed');
    expect(trace.unavailable).toEqual([]);
    expect(trace.systems.crm).toMatchObject({ stage: 'closed_won', billingStatus: 'active' });
    expect(trace.systems.billing.invoiceStatus).toBe('finalized');
    expect(trace.systems.tax.transactionCode).toEqual(expect.any(String));
    // The receivable is the invoice, to the cent.
    expect(trace.systems.erp.total).toBe(trace.systems.billing.invoiceTotal);
    expect(trace.systems.erp.invoiceNumber).toEqual(expect.any(String));
    const kinds = trace.timeline.map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'stage:closed_won',
        'create_subscription',
        'post_receivable',
        'write_back_crm',
        'invoice.finalized',
      ]),
    );
    const times = trace.timeline.map((e) => e.at);
    expect([...times].sort()).toEqual(times);
    expect(new Set(trace.timeline.map((e) => e.system))).toEqual(
      new Set(['crm', 'q2c', 'billing', 'tax', 'erp']),
    );
    for (const key of [
      `orderId=${done.orderId}`,
      `invoiceId=${trace.systems.billing.invoiceId ?? ''}`,
      `correlationId=${trace.correlationId}`,
    ]) {
      const again = await p.call<Trace>('GET', `trace?${key}`, { token: reader });
      expectStatus(again, 200);
      expect(again.body.orderId).toBe(done.orderId);
    }
  });

  it('reconciles the period: the booking, its invoice and its receivable agree', async () => {
    const res = await p.call<{
      bookings: {
        rows: {
          opportunityId: string;
          invoiceTotal?: string;
          receivableTotal?: string;
          variances: unknown[];
          links: { trace: string };
        }[];
        totals: { currency: string; invoiced: string; receivables: string }[];
      };
      revenue: { balanced: boolean }[];
      usage?: unknown;
    }>('GET', `reconciliation?period=${thisMonth().period}&legalEntity=US01`, { token: reader });
    expectStatus(res, 200);
    const row = res.body.bookings.rows.find((r) => r.opportunityId === done.opportunityId);
    expect(row).toMatchObject({
      invoiceTotal: trace.systems.billing.invoiceTotal,
      receivableTotal: trace.systems.billing.invoiceTotal,
      variances: [],
    });
    expect(row?.links.trace).toBe(`/portal/v1/trace?opportunityId=${done.opportunityId}`);
    for (const t of res.body.bookings.totals) expect(t.invoiced).toBe(t.receivables);
    expect(res.body.usage).toBeDefined();
    for (const r of res.body.revenue) expect(r.balanced).toBe(true);
  });

  it('shows the overview with real data: throughput, latency, breakers and budgets, every source read', async () => {
    const res = await p.call<{
      quoteToCash: { completedLast24h: number; completedPerHour: { count: number }[] };
      invoiceToPosting: { orders: number; p50Seconds?: number; p95Seconds?: number };
      upstreams: {
        app: string;
        upstream: string;
        breaker: string;
        budget?: number;
        calls: number;
      }[];
      sources: { source: string; ok: boolean }[];
      outbox: { app: string }[];
    }>('GET', 'overview', { token: reader });
    expectStatus(res, 200);
    const o = res.body;
    expect(o.quoteToCash.completedLast24h).toBeGreaterThanOrEqual(1);
    expect(o.quoteToCash.completedPerHour).toHaveLength(24);
    expect(o.quoteToCash.completedPerHour.reduce((a, h) => a + h.count, 0)).toBe(
      o.quoteToCash.completedLast24h,
    );
    expect(o.invoiceToPosting.orders).toBeGreaterThanOrEqual(1);
    expect(o.invoiceToPosting.p95Seconds).toBeGreaterThanOrEqual(
      o.invoiceToPosting.p50Seconds ?? 0,
    );
    const erp = o.upstreams.find((u) => u.app === 'process-quote-to-cash' && u.upstream === 'erp');
    expect(erp).toMatchObject({ breaker: 'closed', budget: p.l.q2c.config.ERP_CONCURRENCY });
    expect(erp?.calls).toBeGreaterThan(0);
    expect(o.sources.every((s) => s.ok)).toBe(true);
    expect(o.outbox.map((a) => a.app)).toEqual(
      expect.arrayContaining(['system-crm', 'system-billing', 'process-quote-to-cash']),
    );
  });

  it('works an exception: listed with what to fix, retried by an operator once fixed, audited', async () => {
    const product = await p.l.product({ mapped: false });
    const deal = await p.l.closedWonDeal(product);
    const started = await p.l.ok<OrderBody>('q2c', 'POST', 'orders', {
      opportunityId: deal.opportunityId,
    });
    await p.l.waitFor(started.id, (o) => o.status === 'needs_attention');
    const list = await p.call<{ data: Exception[] }>(
      'GET',
      `exceptions?status=open&code=Q2C_PRODUCT_UNMAPPED&orderId=${started.id}`,
      { token: reader },
    );
    expectStatus(list, 200);
    expect(list.body.data).toHaveLength(1);
    const exception = list.body.data[0];
    expect(exception).toMatchObject({ flow: 'quote-to-cash', orderId: started.id, status: 'open' });
    expect(exception.whatToFix.length).toBeGreaterThan(10);

    const parked = await p.call<{
      bookings: { rows: { opportunityId: string; variances: { cause: string }[] }[] };
    }>('GET', `reconciliation?period=${thisMonth().period}`, { token: reader });
    expect(
      parked.body.bookings.rows
        .find((r) => r.opportunityId === deal.opportunityId)
        ?.variances.map((v) => v.cause),
    ).toEqual(['order_needs_attention']);

    // A viewer cannot act; an operator must say why; neither writes anything.
    const before = await auditRows();
    expectProblem(
      await p.call('POST', `exceptions/${exception.id}/retry`, {
        token: reader,
        body: { reason: 'try' },
      }),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
    expectProblem(
      await p.call('POST', `exceptions/${exception.id}/retry`, { token: operator, body: {} }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await p.call('POST', `exceptions/${exception.id}/retry`, {
        token: operator,
        body: { reason: '   ' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await p.call('POST', `exceptions/${exception.id}/retry`, {
        token: operator,
        body: { reason: 'x', extra: 1 },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await auditRows()).toBe(before);

    await p.l.ok('q2c', 'POST', 'product-mappings', {
      crmProductId: product.crmProductId,
      currency: 'USD',
      billingPriceId: product.priceId,
      erpItemCode: product.erpItem,
    });
    const retried = await p.call<{
      exception: Exception;
      audit: { actor: string; action: string; reason: string };
    }>('POST', `exceptions/${exception.id}/retry`, {
      token: operator,
      body: { reason: 'Mapped the product, ticket FIN-7' },
    });
    expectStatus(retried, 202);
    expect(retried.body.audit).toMatchObject({
      actor: 'olga.operator',
      action: 'retry',
      reason: 'Mapped the product, ticket FIN-7',
    });
    expect(retried.body.exception.status).toBe('retried');
    const order = await p.l.waitFor(started.id, (o) => o.status === 'completed');
    expect(order.actions.map((a) => a.reason)).toContainEqual(
      'Mapped the product, ticket FIN-7 (by olga.operator, in the portal)',
    );

    // Not open any more: the process API's refusal is passed on, and nothing is written.
    expectProblem(
      await p.call('POST', `exceptions/${exception.id}/resolve`, {
        token: operator,
        body: { reason: 'again' },
      }),
      409,
      'Q2C_NOT_WAITING',
    );
    expect(await auditRows()).toBe(before + 1);

    const detail = await p.call<{
      audit: { actor: string }[];
      steps: { name: string; status: string }[];
      order: { status: string };
    }>('GET', `exceptions/${exception.id}`, { token: reader });
    expectStatus(detail, 200);
    expect(detail.body.audit.map((a) => a.actor)).toEqual(['olga.operator']);
    expect(detail.body.order.status).toBe('completed');
    expect(detail.body.steps.find((s) => s.name === 'map_products')?.status).toBe('done');
    const log = await p.call<{ data: { targetId: string; action: string }[] }>(
      'GET',
      `audit?targetId=${exception.id}`,
      { token: reader },
    );
    expect(log.body.data.map((a) => a.action)).toEqual(['retry']);
  });

  it('shows a customer user their billing, usage to date, and nothing of anyone else (404)', async () => {
    const customerId = String(trace.systems.billing.customerId);
    const subscriptionId = String(trace.systems.billing.subscriptionId);
    const u2rToken = await p.u2r.token();
    await http('POST', `${p.u2r.url}/u2r/v1/meters`, {
      token: u2rToken,
      body: { code: 'api_calls', name: 'API calls', aggregation: 'sum', unit: 'calls' },
    });
    const ingested = await http('POST', `${p.u2r.url}/u2r/v1/usage-events`, {
      token: u2rToken,
      body: {
        events: [
          usageEvent(subscriptionId, 'api_calls', '120.5'),
          usageEvent(subscriptionId, 'api_calls', '9.5'),
        ],
      },
    });
    expectStatus(ingested, 200);
    const own = p.token(['portal:customer'], { subject: 'cust.user', customerId });
    const res = await p.call<{
      customer: { id: string };
      invoices: { id: string; total: string }[];
      subscriptions: { id: string }[];
      usage?: {
        subscriptions: {
          subscriptionId: string;
          meters: { meterCode: string; quantity: string; events: number }[];
        }[];
      };
    }>('GET', `customers/${customerId}/billing`, { token: own });
    expectStatus(res, 200);
    expect(res.body.customer.id).toBe(customerId);
    expect(res.body.invoices.map((i) => i.id)).toContain(trace.systems.billing.invoiceId);
    expect(res.body.subscriptions.map((s) => s.id)).toEqual([subscriptionId]);
    expect(res.body.usage?.subscriptions).toEqual([
      { subscriptionId, meters: [{ meterCode: 'api_calls', events: 2, quantity: '130' }] },
    ]);

    const other = await p.completedOrder();
    const otherTrace = await p.call<Trace>('GET', `trace?orderId=${other.orderId}`, {
      token: reader,
    });
    const otherCustomer = String(otherTrace.body.systems.billing.customerId);
    expect(otherCustomer).not.toBe(customerId);
    expectProblem(
      await p.call('GET', `customers/${otherCustomer}/billing`, { token: own }),
      404,
      'PORTAL_CUSTOMER_NOT_FOUND',
    );
    expectProblem(
      await p.call('GET', `customers/${randomUUID()}/billing`, {
        token: p.token(['portal:customer']),
      }),
      404,
      'PORTAL_CUSTOMER_NOT_FOUND',
    );
    expectProblem(
      await p.call('GET', 'overview', {
        token: p.token(['portal:read', 'portal:customer'], { customerId }),
      }),
      403,
      'AUTH_CUSTOMER_SCOPE_UNSUPPORTED',
    );
    expectProblem(
      await p.call('GET', `customers/${customerId}/billing`, { token: reader }),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
  });

  it('keeps a caller limited to other legal entities out of US01 work', async () => {
    const de = p.token(['portal:read'], { legalEntities: ['DE01'] });
    expectProblem(
      await p.call('GET', `trace?orderId=${done.orderId}`, { token: de }),
      404,
      'PORTAL_TRACE_NOT_FOUND',
    );
    const list = await p.call<{ data: Exception[] }>('GET', 'exceptions', { token: de });
    expectStatus(list, 200);
    expect(list.body.data).toEqual([]);
    const rec = await p.call<{ bookings: { rows: unknown[] }; usage?: unknown }>(
      'GET',
      `reconciliation?period=${thisMonth().period}`,
      { token: de },
    );
    expect(rec.body.bookings.rows).toEqual([]);
    expect(rec.body.usage).toBeUndefined();
    const overview = await p.call<{ quoteToCash: { completedLast24h: number } }>(
      'GET',
      'overview',
      { token: de },
    );
    expect(overview.body.quoteToCash.completedLast24h).toBe(0);
  });

  it('answers bad input with a problem, and writes nothing', async () => {
    const before = await auditRows();
    const bad: [string, string, number, string][] = [
      ['GET', 'trace', 400, 'VALIDATION_FAILED'],
      [
        'GET',
        `trace?orderId=${done.orderId}&opportunityId=${done.opportunityId}`,
        400,
        'VALIDATION_FAILED',
      ],
      ['GET', 'trace?orderId=nope', 400, 'VALIDATION_FAILED'],
      ['GET', 'trace?correlationId=a%20b', 400, 'VALIDATION_FAILED'],
      ['GET', `trace?opportunityId=${randomUUID()}`, 404, 'PORTAL_TRACE_NOT_FOUND'],
      ['GET', 'reconciliation', 400, 'VALIDATION_FAILED'],
      ['GET', 'reconciliation?period=2026-13', 400, 'VALIDATION_FAILED'],
      ['GET', 'reconciliation?period=2026-11&legalEntity=us 01', 400, 'VALIDATION_FAILED'],
      ['GET', 'exceptions?status=stuck', 400, 'VALIDATION_FAILED'],
      ['GET', 'exceptions?flow=payroll', 400, 'VALIDATION_FAILED'],
      ['GET', 'exceptions?limit=0', 400, 'VALIDATION_FAILED'],
      ['GET', 'exceptions/not-a-uuid', 400, 'VALIDATION_FAILED'],
      ['GET', `exceptions/${randomUUID()}`, 404, 'PORTAL_EXCEPTION_NOT_FOUND'],
      ['POST', `exceptions/${randomUUID()}/resolve`, 404, 'PORTAL_EXCEPTION_NOT_FOUND'],
      ['GET', 'audit?targetId=x', 400, 'VALIDATION_FAILED'],
      ['GET', 'customers/not-a-uuid/billing', 400, 'VALIDATION_FAILED'],
    ];
    for (const [method, path, status, code] of bad)
      expectProblem(
        await p.call(method, path, {
          token: operator,
          ...(method === 'POST' ? { body: { reason: 'r' } } : {}),
        }),
        status,
        code,
      );
    expectProblem(await p.call('GET', 'overview'), 401, 'AUTH_TOKEN_MISSING');
    expect(await auditRows()).toBe(before);
  });

  it('answers 503 with Retry-After when quote-to-cash is away, and shows the overview without it', async () => {
    const away = await startTestApp(portalApp, {
      ...PortalLandscape.env(p.l, p.u2r),
      Q2C_API_URL: 'http://127.0.0.1:9',
      PORTAL_UPSTREAM_TIMEOUT_MS: '500',
    });
    try {
      const token = away.token(['portal:read']);
      const res = await http(`GET`, `${away.url}/portal/v1/exceptions`, { token });
      expectProblem(res, 503, 'PORTAL_UPSTREAM_UNAVAILABLE');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const overview = await http<{ sources: { source: string; ok: boolean }[] }>(
        'GET',
        `${away.url}/portal/v1/overview`,
        { token },
      );
      expectStatus(overview, 200);
      expect(
        overview.body.sources
          .filter((s) => !s.ok)
          .map((s) => s.source)
          .sort(),
      ).toEqual(['q2c:exceptions', 'q2c:metrics', 'q2c:orders']);
      expect(overview.body.sources.find((s) => s.source === 'billing:metrics')?.ok).toBe(true);
    } finally {
      await away.close();
    }
  });

  it('serves the web UI at / with a strict content security policy, or says it is not built', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-web-'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><title>Revgate</title><div id="root"></div>',
    );
    const built = await startTestApp(portalApp, {
      ...PortalLandscape.env(p.l, p.u2r),
      PORTAL_WEB_DIR: dir,
    });
    const missing = await startTestApp(portalApp, {
      ...PortalLandscape.env(p.l, p.u2r),
      PORTAL_WEB_DIR: join(dir, 'nothing'),
    });
    try {
      const page = await fetch(`${built.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expectProblem(await http('GET', `${missing.url}/`), 503, 'PORTAL_WEB_UI_NOT_BUILT');
    } finally {
      await built.close();
      await missing.close();
    }
  });
});
