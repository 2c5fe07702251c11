import { Landscape, thisMonth, type OrderBody } from '../../test/q2c-fixtures';

const ALL_DONE = (o: OrderBody): boolean => o.status === 'completed';
const WAITING = (o: OrderBody): boolean => o.status === 'needs_attention';

describe('orders (e2e, every system on loopback)', () => {
  let l: Landscape;

  beforeAll(async () => {
    l = await Landscape.start();
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
    const crmView = await l.ok<{ billingStatus: { status: string; detail?: string } }>(
      'crm',
      'GET',
      `opportunities/${deal.opportunityId}`,
    );
    expect(crmView.billingStatus.status).toBe('failed');
    expect(crmView.billingStatus.detail).toMatch(/no tax registration/);

    await l.ok('crm', 'PATCH', `accounts/${deal.accountId}`, {
      taxRegistration: { scheme: 'EIN', number: '98-7654321', country: 'US' },
    });
    const retried = await l.call<OrderBody>('q2c', 'POST', `orders/${started.id}/retry`, {
      reason: 'EIN added in the CRM',
    });
    expect(retried.status).toBe(202);
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
    await l.ok('q2c', 'POST', `orders/${started.id}/retry`, {});
    const done = await l.waitFor(started.id, ALL_DONE);
    expect(done.steps.slice(0, 4).map((s) => [s.name, s.attempts])).toEqual([
      ['validate_account', 1],
      ['ensure_erp_customer', 1],
      ['ensure_billing_customer', 1],
      ['map_products', 2],
    ]);
  });
});
