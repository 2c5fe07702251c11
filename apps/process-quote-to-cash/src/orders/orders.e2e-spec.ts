import { randomUUID } from 'node:crypto';
import { expectProblem, http } from '../../../../test/support/test-app';
import {
  countRows,
  Landscape,
  pointers,
  Q2C_TABLES,
  thisMonth,
  type OrderBody,
} from '../../test/q2c-fixtures';

const ALL_DONE = (o: OrderBody): boolean => o.status === 'completed';
const WAITING = (o: OrderBody): boolean => o.status === 'needs_attention';

describe('orders (e2e, every system on loopback)', () => {
  let l: Landscape;

  beforeAll(async () => {
    l = await Landscape.start({
      STEP_RETRY_ATTEMPTS: '2',
      STEP_RETRY_INTERVAL_SECONDS: '1',
      OUTAGE_RETRY_SECONDS: '2',
      SYSTEM_API_BREAKER_RESET_SECONDS: '2',
    });
  });
  afterEach(async () => {
    // A test that sets the sandbox ERP's governance leaves it as it found it, even when it fails.
    await l.erpApi.ok('PUT', 'sandbox/governance', l.erp.token(['erp:admin']), {
      failNext: 0,
      latencyMs: 0,
    });
  });
  afterAll(async () => {
    await l.close();
  });

  it('turns a closed-won deal into a subscription, a taxed invoice, an ERP receivable and a CRM write-back', async () => {
    const product = await l.product({ unitAmount: '100.00' });
    const deal = await l.closedWonDeal(product, { quantity: '10' });
    const started = await l.call<OrderBody>('q2c', 'POST', 'orders', {
      opportunityId: deal.opportunityId,
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      opportunityId: deal.opportunityId,
      status: 'in_progress',
    });
    const order = await l.waitFor(started.body.id, ALL_DONE);
    expect(order.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['validate_account', 'done', 1],
      ['ensure_erp_customer', 'done', 1],
      ['ensure_billing_customer', 'done', 1],
      ['map_products', 'done', 1],
      ['create_subscription', 'done', 1],
      ['tax_invoice', 'done', 1],
      ['await_invoice_finalized', 'done', 1],
      ['post_receivable', 'done', 1],
      ['write_back_crm', 'done', 1],
      ['activate_contract', 'done', 1],
    ]);
    const { subscriptionId, invoiceId, erpInvoiceId } = order.refs;
    const invoice = await l.ok<{
      status: string;
      number: string;
      total: string;
      totalTax: string;
      subscriptionId: string;
      issueDate: string;
    }>('billing', 'GET', `invoices/${String(invoiceId)}`);
    // 10 seats at 100.00 for the month, New York's 4 % on SaaS.
    expect(invoice).toMatchObject({
      status: 'finalized',
      total: '1040.00',
      totalTax: '40.00',
      subscriptionId,
    });
    expect(order.refs.invoiceNumber).toBe(invoice.number);
    const subscription = await l.ok<{ externalId: string; status: string; startDate: string }>(
      'billing',
      'GET',
      `subscriptions/${String(subscriptionId)}`,
    );
    expect(subscription).toMatchObject({
      externalId: order.id,
      status: 'active',
      startDate: thisMonth().start,
    });
    const receivable = await l.ok<{
      id: string;
      total: string;
      taxTotal: string;
      reference: string;
      customerExternalId: string;
    }>('erp', 'GET', `invoices/US01/${String(invoiceId)}`);
    expect(receivable).toMatchObject({
      id: erpInvoiceId,
      total: '1040.00',
      taxTotal: '40.00',
      reference: invoice.number,
      customerExternalId: deal.accountId,
    });
    const opportunity = await l.ok<{ billingStatus: Record<string, unknown> }>(
      'crm',
      'GET',
      `opportunities/${deal.opportunityId}`,
    );
    expect(opportunity.billingStatus).toMatchObject({
      status: 'active',
      subscriptionId,
      invoiceId,
      erpInvoiceId,
    });
    const events = await l.q2c.sql<{ type: string; subject: string }>(
      'select type, subject from q2c.outbox_events where subject = $1',
      [order.id],
    );
    expect(events).toEqual([{ type: 'q2c.contract.activated.v1', subject: order.id }]);

    // The trace keys find it: its invoice, its correlation id.
    for (const filter of [
      `invoiceId=${String(invoiceId)}`,
      `correlationId=${order.correlationId}`,
    ]) {
      const found = await l.ok<{ data: OrderBody[] }>('q2c', 'GET', `orders?${filter}`);
      expect(found.data.map((o) => o.id)).toEqual([order.id]);
    }

    // One deal, one order: asking again answers the order it has.
    const again = await l.call<OrderBody>('q2c', 'POST', 'orders', {
      opportunityId: deal.opportunityId,
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(order.id);
    expect(
      await l.q2c.sql('select 1 from q2c.orders where opportunity_id = $1', [deal.opportunityId]),
    ).toHaveLength(1);
  });

  it('makes one order of 50 requests at once for the same deal', async () => {
    const product = await l.product();
    const deal = await l.closedWonDeal(product);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        l.call<OrderBody>('q2c', 'POST', 'orders', { opportunityId: deal.opportunityId }),
      ),
    );
    expect(answers.every((a) => a.status === 202 || a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const order = await l.waitFor(answers[0]?.body.id ?? '', ALL_DONE);
    const subs = await l.ok<{ data: unknown[] }>(
      'billing',
      'GET',
      `subscriptions?externalId=${order.id}`,
    );
    expect(subs.data).toHaveLength(1);
  });

  it('parks an order whose account has no tax registration, and goes on from that step once it is added and retried', async () => {
    const product = await l.product();
    const deal = await l.closedWonDeal(product, { taxRegistration: false });
    const started = await l.ok<OrderBody>('q2c', 'POST', 'orders', {
      opportunityId: deal.opportunityId,
    });
    const parked = await l.waitFor(started.id, WAITING);
    expect(parked.exception).toMatchObject({
      code: 'Q2C_TAX_REGISTRATION_MISSING',
      step: 'validate_account',
      transient: false,
    });
    expect(parked.exception?.whatToFix).toMatch(/tax registration/);
    // The CRM is told right after the order parks.
    let crmView = await l.ok<{ billingStatus: { status: string; detail?: string } }>(
      'crm',
      'GET',
      `opportunities/${deal.opportunityId}`,
    );
    for (let i = 0; i < 100 && crmView.billingStatus.status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      crmView = await l.ok('crm', 'GET', `opportunities/${deal.opportunityId}`);
    }
    expect(crmView.billingStatus.status).toBe('failed');
    expect(crmView.billingStatus.detail).toMatch(/no tax registration/);

    await l.ok('crm', 'PATCH', `accounts/${deal.accountId}`, {
      taxRegistration: { scheme: 'EIN', number: '98-7654321', country: 'US' },
    });
    const retried = await l.call<{ status: string; closedBy: string }>(
      'q2c',
      'POST',
      `exceptions/${String(parked.exception?.id)}/retry`,
      { reason: 'EIN added in the CRM' },
    );
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({
      status: 'retried',
      closedBy: expect.any(String) as unknown,
    });
    const done = await l.waitFor(started.id, ALL_DONE);
    expect(done.steps[0]).toMatchObject({ name: 'validate_account', status: 'done', attempts: 2 });
    expect(done.actions).toEqual([
      expect.objectContaining({ action: 'order.retried', reason: 'EIN added in the CRM' }),
    ]);
  });

  it('parks an unmapped product; the steps before it stay done when it is mapped and retried', async () => {
    const product = await l.product({ mapped: false });
    const deal = await l.closedWonDeal(product);
    const started = await l.ok<OrderBody>('q2c', 'POST', 'orders', {
      opportunityId: deal.opportunityId,
    });
    const parked = await l.waitFor(started.id, WAITING);
    expect(parked.exception).toMatchObject({ code: 'Q2C_PRODUCT_UNMAPPED', step: 'map_products' });
    expect(parked.exception?.detail).toContain(product.sku);
    await l.ok('q2c', 'POST', 'product-mappings', {
      crmProductId: product.crmProductId,
      currency: 'USD',
      billingPriceId: product.priceId,
      erpItemCode: product.erpItem,
    });
    await l.ok('q2c', 'POST', `exceptions/${String(parked.exception?.id)}/retry`, {});
    const done = await l.waitFor(started.id, ALL_DONE);
    expect(done.steps.slice(0, 4).map((s) => [s.name, s.attempts])).toEqual([
      ['validate_account', 1],
      ['ensure_erp_customer', 1],
      ['ensure_billing_customer', 1],
      ['map_products', 2],
    ]);
  });

  it('parks on a closed ERP period, and posts once the period is reopened and the order retried', async () => {
    const erpToken = l.erp.token(['erp:read', 'erp:write']);
    const { period } = thisMonth();
    const product = await l.product();
    const deal = await l.closedWonDeal(product);
    await l.erpApi.ok('POST', `periods/US01/${period}/close`, erpToken);
    try {
      const started = await l.ok<OrderBody>('q2c', 'POST', 'orders', {
        opportunityId: deal.opportunityId,
      });
      const parked = await l.waitFor(started.id, WAITING);
      expect(parked.exception).toMatchObject({
        code: 'Q2C_ERP_PERIOD_CLOSED',
        step: 'post_receivable',
        system: 'erp',
        systemCode: 'ERP_PERIOD_CLOSED',
      });
      const raised = await l.ok<{ period?: string; legalEntity?: string; accountId?: string }>(
        'q2c',
        'GET',
        `exceptions/${String(parked.exception?.id)}`,
      );
      expect(raised).toMatchObject({ period, legalEntity: 'US01', accountId: deal.accountId });
      // Everything before the ERP stays done: the invoice exists once.
      expect(parked.refs.invoiceId).toBeDefined();
      await l.erpApi.ok('POST', `periods/US01/${period}/reopen`, erpToken);
      await l.ok('q2c', 'POST', `exceptions/${String(parked.exception?.id)}/retry`, {
        reason: 'period reopened by finance',
      });
      const done = await l.waitFor(started.id, ALL_DONE);
      expect(done.steps.find((s) => s.name === 'tax_invoice')?.attempts).toBe(1);
      expect(done.steps.find((s) => s.name === 'post_receivable')?.attempts).toBe(2);
      const invoices = await l.ok<{ data: unknown[] }>(
        'billing',
        'GET',
        `invoices?subscriptionId=${String(done.refs.subscriptionId)}`,
      );
      expect(invoices.data).toHaveLength(1);
    } finally {
      await l.erpApi.request('POST', `periods/US01/${period}/reopen`, erpToken);
    }
  });

  it('rides out an ERP outage: parks as transient and tries again by itself', async () => {
    const admin = l.erp.token(['erp:admin']);
    const product = await l.product();
    const deal = await l.closedWonDeal(product);
    // The next 8 ERP calls fail (503): more than one attempt of the first ERP step can absorb.
    await l.erpApi.ok('PUT', 'sandbox/governance', admin, {
      failNext: 8,
      faultKind: 'unavailable',
    });
    try {
      const started = await l.ok<OrderBody>('q2c', 'POST', 'orders', {
        opportunityId: deal.opportunityId,
      });
      const done = await l.waitFor(started.id, ALL_DONE);
      // It waited on the outage (kept as its last error) and went on by itself, no operator.
      expect(done.lastError).toMatchObject({
        code: 'Q2C_SYSTEM_UNAVAILABLE',
        step: 'validate_account',
        transient: true,
      });
      expect(done.actions).toEqual([]);
      expect(done.steps[0]?.attempts).toBeGreaterThan(1);
      const governance = await l.erpApi.ok<{ counters: { faultsInjected: number } }>(
        'GET',
        'sandbox/governance',
        admin,
      );
      expect(governance.counters.faultsInjected).toBe(8);
    } finally {
      await l.erpApi.ok('PUT', 'sandbox/governance', admin, { failNext: 0 });
    }
  }, 120_000);

  it('resolves a waiting order with the reason, audited, and it stays resolved', async () => {
    const product = await l.product({ mapped: false });
    const deal = await l.closedWonDeal(product);
    const started = await l.ok<OrderBody>('q2c', 'POST', 'orders', {
      opportunityId: deal.opportunityId,
    });
    const parked = await l.waitFor(started.id, WAITING);
    const resolved = await l.call(
      'q2c',
      'POST',
      `exceptions/${String(parked.exception?.id)}/resolve`,
      {
        reason: 'Billed by hand, see FIN-42',
      },
    );
    expect(resolved.status).toBe(202);
    const final = await l.waitFor(started.id, (o) => o.status === 'resolved');
    expect(final.actions).toEqual([
      expect.objectContaining({ action: 'order.resolved', reason: 'Billed by hand, see FIN-42' }),
    ]);
    const audit = await l.q2c.sql<{ actor: string; action: string }>(
      'select actor, action from q2c.audit_log where target_id = $1',
      [started.id],
    );
    expect(audit).toEqual([{ actor: expect.any(String) as unknown, action: 'order.resolved' }]);
    expectProblem(
      await l.call('q2c', 'POST', `exceptions/${String(parked.exception?.id)}/retry`, {}),
      409,
      'Q2C_NOT_WAITING',
    );
  });

  it('cancels an order after a permanent failure: undoes what it made in reverse order, in its trace', async () => {
    const erpToken = l.erp.token(['erp:read', 'erp:write']);
    const { period } = thisMonth();
    const product = await l.product();
    const deal = await l.closedWonDeal(product);
    // The receivable is refused (closed period): the subscription and the invoice exist by then.
    await l.erpApi.ok('POST', `periods/US01/${period}/close`, erpToken);
    try {
      const started = await l.ok<OrderBody>('q2c', 'POST', 'orders', {
        opportunityId: deal.opportunityId,
      });
      const parked = await l.waitFor(started.id, WAITING);
      const cancelled = await l.call(
        'q2c',
        'POST',
        `exceptions/${String(parked.exception?.id)}/cancel`,
        {
          reason: 'Deal rescinded by the customer',
        },
      );
      expect(cancelled.status).toBe(202);
      const final = await l.waitFor(started.id, (o) => o.status === 'cancelled');
      expect(final.steps.slice(-4).map((s) => [s.name, s.status])).toEqual([
        ['reverse_receivable', 'skipped'],
        ['void_invoice', 'done'],
        ['cancel_subscription', 'done'],
        ['tell_crm_cancelled', 'done'],
      ]);
      const invoice = await l.ok<{ status: string; tax: { status: string } }>(
        'billing',
        'GET',
        `invoices/${String(parked.refs.invoiceId)}`,
      );
      expect(invoice.status).toBe('void');
      const tax = await l.tax.sql<{ status: string }>(
        'select status from tax.tax_transactions where code = $1',
        [parked.refs.invoiceId],
      );
      expect(tax).toEqual([{ status: 'Cancelled' }]);
      const subscription = await l.ok<{ status: string }>(
        'billing',
        'GET',
        `subscriptions/${String(parked.refs.subscriptionId)}`,
      );
      expect(subscription.status).toBe('canceled');
      const crmView = await l.ok<{ billingStatus: { status: string; detail?: string } }>(
        'crm',
        'GET',
        `opportunities/${deal.opportunityId}`,
      );
      expect(crmView.billingStatus.detail).toMatch(/cancelled/);
      expect(final.actions).toEqual([
        expect.objectContaining({
          action: 'order.cancelled',
          reason: 'Deal rescinded by the customer',
        }),
      ]);
    } finally {
      await l.erpApi.request('POST', `periods/US01/${period}/reopen`, erpToken);
    }
  });

  it('lists exceptions by status, code and age; amendments cannot be cancelled', async () => {
    const open = await l.ok<{ data: { status: string; code: string }[] }>(
      'q2c',
      'GET',
      'exceptions?status=resolved&code=Q2C_PRODUCT_UNMAPPED',
    );
    expect(open.data.length).toBeGreaterThan(0);
    expect(
      open.data.every((x) => x.status === 'resolved' && x.code === 'Q2C_PRODUCT_UNMAPPED'),
    ).toBe(true);
    const young = await l.ok<{ data: unknown[] }>('q2c', 'GET', 'exceptions?olderThanMinutes=600');
    expect(young.data).toEqual([]);
    expectProblem(
      await l.call('q2c', 'GET', 'exceptions?olderThanMinutes=-1'),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await l.call('q2c', 'GET', 'exceptions?status=stuck'), 400, 'VALIDATION_FAILED');
  });

  describe('bad input and refusals: problem+json, nothing written', () => {
    const counts = () => countRows(l.q2c, 'q2c', Q2C_TABLES);

    it.each<[string, () => unknown, number, string, string[]]>([
      ['a missing opportunityId', () => ({}), 400, 'VALIDATION_FAILED', ['/opportunityId']],
      [
        'an opportunityId that is not a UUID',
        () => ({ opportunityId: 'opp-1' }),
        400,
        'VALIDATION_FAILED',
        ['/opportunityId'],
      ],
      [
        'an unknown field',
        () => ({ opportunityId: randomUUID(), rush: true }),
        400,
        'VALIDATION_FAILED',
        ['/rush'],
      ],
      [
        'an opportunity the CRM does not have',
        () => ({ opportunityId: randomUUID() }),
        422,
        'Q2C_OPPORTUNITY_NOT_FOUND',
        ['/opportunityId'],
      ],
    ])('POST /orders with %s', async (_name, body, status, code, expected) => {
      const before = await counts();
      const res = await l.call('q2c', 'POST', 'orders', body());
      expectProblem(res, status, code);
      expect(pointers(res)).toEqual(expected);
      expect(await counts()).toEqual(before);
    });

    it('POST /orders for an opportunity not closed-won (409)', async () => {
      const product = await l.product();
      const open = await l.closedWonDeal(product, { close: false });
      const before = await counts();
      expectProblem(
        await l.call('q2c', 'POST', 'orders', { opportunityId: open.opportunityId }),
        409,
        'Q2C_OPPORTUNITY_NOT_WON',
      );
      expect(await counts()).toEqual(before);
    });

    it('retry and resolve: unknown order (404), no reason to resolve (400), not waiting (409)', async () => {
      const before = await counts();
      expectProblem(
        await l.call('q2c', 'POST', `exceptions/${randomUUID()}/retry`, {}),
        404,
        'Q2C_EXCEPTION_NOT_FOUND',
      );
      expectProblem(
        await l.call('q2c', 'POST', `exceptions/not-a-uuid/retry`, {}),
        400,
        'VALIDATION_FAILED',
      );
      const res = await l.call('q2c', 'POST', `exceptions/${randomUUID()}/resolve`, {});
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect([...new Set(pointers(res))]).toEqual(['/reason']);
      expect(await counts()).toEqual(before);
    });

    it('lists: bad filters (400), and paging walks every order once', async () => {
      expectProblem(await l.call('q2c', 'GET', 'orders?status=lost'), 400, 'VALIDATION_FAILED');
      expectProblem(await l.call('q2c', 'GET', 'orders?limit=0'), 400, 'VALIDATION_FAILED');
      expectProblem(await l.call('q2c', 'GET', 'orders?cursor=%%%'), 400, 'VALIDATION_FAILED');
      expectProblem(await l.call('q2c', 'GET', 'orders?invoiceId=inv-1'), 400, 'VALIDATION_FAILED');
      expectProblem(
        await l.call('q2c', 'GET', 'orders?correlationId=a%20b'),
        400,
        'VALIDATION_FAILED',
      );
      const all = await l.q2c.sql<{ n: number }>('select count(*)::int as n from q2c.orders');
      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const page: { data: OrderBody[]; nextCursor: string | null } = await l.ok(
          'q2c',
          'GET',
          `orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        for (const o of page.data) seen.add(o.id);
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.size).toBe(all[0]?.n);
      const waiting = await l.ok<{ data: OrderBody[] }>('q2c', 'GET', 'orders?status=resolved');
      expect(waiting.data.every((o) => o.status === 'resolved')).toBe(true);
    });

    it('scopes: reading needs q2c:read, starting q2c:write, operating q2c:operate; another legal entity’s order is not found', async () => {
      const order = (await l.ok<{ data: OrderBody[] }>('q2c', 'GET', 'orders?limit=1')).data.at(0);
      if (!order) throw new Error('no order');
      const reader = l.q2c.token(['q2c:read']);
      expect(
        (await l.call('q2c', 'POST', 'orders', { opportunityId: randomUUID() }, reader)).status,
      ).toBe(403);
      expect(
        (await l.call('q2c', 'POST', `exceptions/${randomUUID()}/retry`, {}, reader)).status,
      ).toBe(403);
      expect(
        (await l.call('q2c', 'GET', 'orders', undefined, l.q2c.token(['q2c:write']))).status,
      ).toBe(403);
      const de01 = l.q2c.token(['q2c:read', 'q2c:operate'], { legalEntities: ['DE01'] });
      expectProblem(
        await l.call('q2c', 'GET', `orders/${order.id}`, undefined, de01),
        404,
        'Q2C_ORDER_NOT_FOUND',
      );
      expectProblem(
        await l.call('q2c', 'GET', `orders/${order.id}/amendments`, undefined, de01),
        404,
        'Q2C_ORDER_NOT_FOUND',
      );
      const listed = await l.call<{ data: OrderBody[] }>('q2c', 'GET', 'orders', undefined, de01);
      expect(listed.body.data).toEqual([]);
      expect((await http('GET', `${l.q2c.url}/q2c/v1/orders`)).status).toBe(401);
    });
  });
});
