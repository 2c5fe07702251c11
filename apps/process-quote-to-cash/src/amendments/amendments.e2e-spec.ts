import { randomUUID } from 'node:crypto';
import { expectProblem } from '../../../../test/support/test-app';
import {
  countRows,
  Landscape,
  pointers,
  Q2C_TABLES,
  type OrderBody,
} from '../../test/q2c-fixtures';

interface AmendmentBody {
  id: string;
  orderId: string;
  status: string;
  steps: { name: string; status: string; attempts: number; detail?: string }[];
  refs: Record<string, string | undefined>;
  exception?: { id?: string; code: string; step: string; systemCode?: string };
}

const today = (): string => new Date().toISOString().slice(0, 10);

describe('amendments (e2e, every system on loopback)', () => {
  let l: Landscape;

  beforeAll(async () => {
    l = await Landscape.start({ STEP_RETRY_ATTEMPTS: '2', STEP_RETRY_INTERVAL_SECONDS: '1' });
  });
  afterAll(async () => {
    await l.close();
  });

  /** A completed order of 10 seats at 100.00 a month, for a New York customer. */
  const activeOrder = async (): Promise<OrderBody> => {
    const product = await l.product({ unitAmount: '100.00' });
    const deal = await l.closedWonDeal(product, { quantity: '10' });
    const started = await l.ok<OrderBody>('q2c', 'POST', 'orders', {
      opportunityId: deal.opportunityId,
    });
    return l.waitFor(started.id, (o) => o.status === 'completed');
  };
  const waitAmendment = async (id: string, status: string): Promise<AmendmentBody> => {
    const until = Date.now() + 60_000;
    for (;;) {
      const a = await l.ok<AmendmentBody>('q2c', 'GET', `amendments/${id}`);
      if (a.status === status) return a;
      if (Date.now() > until) throw new Error(`amendment ${id}: ${JSON.stringify(a)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('bills a quantity increase as a prorated invoice and posts it to the ERP', async () => {
    const order = await activeOrder();
    const res = await l.call<AmendmentBody>('q2c', 'POST', `orders/${order.id}/amendments`, {
      type: 'quantity_change',
      effectiveDate: today(),
      quantity: '15',
    });
    expect(res.status).toBe(202);
    const done = await waitAmendment(res.body.id, 'completed');
    expect(done.steps.map((s) => [s.name, s.status])).toEqual([
      ['amend_subscription', 'done'],
      ['bill_change', 'done'],
      ['post_to_erp', 'done'],
      ['write_back_crm', 'done'],
      ['emit_contract_amended', 'done'],
    ]);
    expect(done.refs.outcome).toBe('invoice_lines');
    const invoice = await l.ok<{ total: string; status: string; lines: { proration: boolean }[] }>(
      'billing',
      'GET',
      `invoices/${String(done.refs.invoiceId)}`,
    );
    expect(invoice.status).toBe('finalized');
    expect(invoice.lines.some((line) => line.proration)).toBe(true);
    const posted = await l.ok<{ total: string }>(
      'erp',
      'GET',
      `invoices/US01/${String(done.refs.invoiceId)}`,
    );
    expect(posted.total).toBe(invoice.total);
    const subscription = await l.ok<{ items: { quantity?: string }[] }>(
      'billing',
      'GET',
      `subscriptions/${String(order.refs.subscriptionId)}`,
    );
    expect(subscription.items[0]?.quantity).toBe('15');
    const events = await l.q2c.sql<{ type: string }>(
      "select type from q2c.outbox_events where subject = $1 and type = 'q2c.contract.amended.v1'",
      [order.id],
    );
    expect(events).toHaveLength(1);
    const listed = await l.ok<{ data: AmendmentBody[] }>(
      'q2c',
      'GET',
      `orders/${order.id}/amendments`,
    );
    expect(listed.data.map((a) => a.id)).toEqual([done.id]);
  });

  it('credits a quantity decrease with a credit memo, posted to the ERP against the order’s invoice', async () => {
    const order = await activeOrder();
    const res = await l.ok<AmendmentBody>('q2c', 'POST', `orders/${order.id}/amendments`, {
      type: 'quantity_change',
      effectiveDate: today(),
      quantity: '4',
    });
    const done = await waitAmendment(res.id, 'completed');
    expect(done.refs.outcome).toBe('credit_memo');
    const memo = await l.ok<{ total: string; invoiceId?: string }>(
      'billing',
      'GET',
      `credit-memos/${String(done.refs.creditMemoId)}`,
    );
    const erpMemo = await l.ok<{ total: string; invoiceExternalId: string }>(
      'erp',
      'GET',
      `credit-memos/US01/${String(done.refs.creditMemoId)}`,
    );
    expect(erpMemo).toMatchObject({ total: memo.total, invoiceExternalId: order.refs.invoiceId });
    const receivable = await l.ok<{ amountCredited: string }>(
      'erp',
      'GET',
      `invoices/US01/${String(order.refs.invoiceId)}`,
    );
    expect(receivable.amountCredited).toBe(memo.total);
  });

  it('parks a change billing refuses, with billing’s code, and resolves it', async () => {
    const order = await activeOrder();
    const res = await l.ok<AmendmentBody>('q2c', 'POST', `orders/${order.id}/amendments`, {
      type: 'quantity_change',
      effectiveDate: '2020-01-01',
      quantity: '12',
    });
    const parked = await waitAmendment(res.id, 'needs_attention');
    expect(parked.exception).toMatchObject({
      step: 'amend_subscription',
      code: 'Q2C_SYSTEM_REFUSED',
    });
    expect(parked.exception?.systemCode).toMatch(/^BILLING_/);
    expectProblem(
      await l.call('q2c', 'POST', `exceptions/${String(parked.exception?.id)}/cancel`, {
        reason: 'x',
      }),
      409,
      'Q2C_CANCEL_NOT_SUPPORTED',
    );
    await l.ok('q2c', 'POST', `exceptions/${String(parked.exception?.id)}/resolve`, {
      reason: 'wrong date, asked again',
    });
    await waitAmendment(res.id, 'resolved');
  });

  describe('refuses, writing nothing', () => {
    const counts = () => countRows(l.q2c, 'q2c', Q2C_TABLES);
    let order: OrderBody;
    beforeAll(async () => {
      order = await activeOrder();
    });

    it.each<[string, () => Record<string, unknown>, number, string, string[]]>([
      ['an unknown type', () => ({ type: 'pause' }), 400, 'VALIDATION_FAILED', ['/type']],
      [
        'a quantity change without a quantity',
        () => ({ type: 'quantity_change', effectiveDate: today() }),
        400,
        'VALIDATION_FAILED',
        ['/quantity'],
      ],
      [
        'an upgrade without a product',
        () => ({ type: 'upgrade', effectiveDate: today() }),
        400,
        'VALIDATION_FAILED',
        ['/crmProductId'],
      ],
      [
        'a cancellation without a date',
        () => ({ type: 'cancel_now' }),
        400,
        'VALIDATION_FAILED',
        ['/effectiveDate'],
      ],
      [
        'a negative quantity',
        () => ({ type: 'quantity_change', effectiveDate: today(), quantity: '-2' }),
        400,
        'VALIDATION_FAILED',
        ['/quantity'],
      ],
      [
        'a product not mapped',
        () => ({ type: 'add_item', effectiveDate: today(), crmProductId: randomUUID() }),
        422,
        'Q2C_PRODUCT_UNMAPPED',
        ['/crmProductId'],
      ],
    ])('%s', async (_name, body, status, code, expected) => {
      const before = await counts();
      const res = await l.call('q2c', 'POST', `orders/${order.id}/amendments`, body());
      expectProblem(res, status, code);
      expect([...new Set(pointers(res))]).toEqual(expected);
      expect(await counts()).toEqual(before);
    });

    it('an unknown order (404), an order not completed (409), no q2c:write (403)', async () => {
      const before = await counts();
      const body = { type: 'renewal', periods: 12 };
      expectProblem(
        await l.call('q2c', 'POST', `orders/${randomUUID()}/amendments`, body),
        404,
        'Q2C_ORDER_NOT_FOUND',
      );
      const product = await l.product({ mapped: false });
      const deal = await l.closedWonDeal(product);
      const parked = await l.ok<OrderBody>('q2c', 'POST', 'orders', {
        opportunityId: deal.opportunityId,
      });
      await l.waitFor(parked.id, (o) => o.status === 'needs_attention');
      const mid = await counts();
      expectProblem(
        await l.call('q2c', 'POST', `orders/${parked.id}/amendments`, body),
        409,
        'Q2C_ORDER_NOT_ACTIVE',
      );
      expect(
        (
          await l.call(
            'q2c',
            'POST',
            `orders/${order.id}/amendments`,
            body,
            l.q2c.token(['q2c:read']),
          )
        ).status,
      ).toBe(403);
      expect(await counts()).toEqual(mid);
      expect(before.amendments).toBe(mid.amendments);
      expectProblem(
        await l.call('q2c', 'GET', `amendments/${randomUUID()}`),
        404,
        'Q2C_AMENDMENT_NOT_FOUND',
      );
    });
  });
});
