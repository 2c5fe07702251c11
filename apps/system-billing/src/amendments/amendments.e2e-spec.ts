import { randomUUID } from 'node:crypto';
import type {
  AmendmentResponse,
  BillingCustomerResponse,
  BillingPriceResponse,
  CreditMemoResponse,
  InvoiceResponse,
  SubscriptionResponse,
} from '@revgate/canonical';
import { billingApp } from '../billing.app';
import { BillingConfig } from '../billing.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import { Billing, expectStatus, pointers, todayUtc } from '../../test/billing-fixtures';

/** The first day of the month after today's (UTC): where a monthly period anchored on the 1st ends. */
function firstOfNextMonth(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))
    .toISOString()
    .slice(0, 10);
}

describe('amendments (e2e)', () => {
  let t: TestApp<BillingConfig>;
  let billing: Billing;
  let rw: string;
  let customer: BillingCustomerResponse;
  let seats: BillingPriceResponse;
  let premium: BillingPriceResponse;
  let basic: BillingPriceResponse;

  beforeAll(async () => {
    t = await startTestApp(billingApp);
    billing = new Billing(t, http);
    rw = t.token(['billing:read', 'billing:write']);
    customer = await billing.createCustomer(rw);
    seats = await billing.createPrice(rw, { unitAmount: '100' });
    premium = await billing.createPrice(rw, { unitAmount: '150' });
    basic = await billing.createPrice(rw, { unitAmount: '60' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** 10 seats at 100 a month from 2026-01-01, January invoiced (and finalized when asked). */
  async function januaryInvoiced(
    finalize = false,
    overrides: Record<string, unknown> = {},
  ): Promise<{ sub: SubscriptionResponse; january: InvoiceResponse }> {
    const sub = await billing.createSubscription(rw, {
      customerId: customer.id,
      items: [{ priceId: seats.id, quantity: '10' }],
      ...overrides,
    });
    let january = await billing.createInvoice(rw, {
      customerId: customer.id,
      subscriptionId: sub.id,
    });
    if (finalize) january = await billing.finalize(rw, january.id);
    const fresh = await billing.get<SubscriptionResponse>(rw, `subscriptions/${sub.id}`);
    return { sub: fresh, january };
  }

  const amend = (subId: string, body: unknown, headers: Record<string, string> = {}) =>
    http<AmendmentResponse>('POST', billing.url(`subscriptions/${subId}/amendments`), {
      token: rw,
      body,
      headers,
    });

  const itemOf = (sub: SubscriptionResponse): string => sub.items[0]?.id ?? '';

  const lineSummary = (a: AmendmentResponse) =>
    a.lines.map((l) => ({
      kind: l.kind,
      days: l.days,
      periodDays: l.periodDays,
      amount: l.amount,
    }));

  describe('upgrade', () => {
    it('credits the old price and charges the new one for the unused days, on the next invoice', async () => {
      const { sub } = await januaryInvoiced();
      const res = await amend(
        sub.id,
        { type: 'upgrade', effectiveDate: '2026-01-16', itemId: itemOf(sub), priceId: premium.id },
        { 'if-match': `"v${sub.version}"` },
      );
      expectStatus(res, 201);
      // 16 of January's 31 days: −1000 × 16/31 = −516.13; +1500 × 16/31 = +774.19
      expect(lineSummary(res.body)).toEqual([
        { kind: 'credit', days: 16, periodDays: 31, amount: '-516.13' },
        { kind: 'charge', days: 16, periodDays: 31, amount: '774.19' },
      ]);
      expect(res.body).toMatchObject({
        type: 'upgrade',
        effectiveDate: '2026-01-16',
        prorationBehavior: 'create_prorations',
        currency: 'USD',
        total: '258.06',
        outcome: 'invoice_lines',
      });
      expect(res.body.lines[0]).toMatchObject({
        priceId: seats.id,
        quantity: '10',
        periodAmount: '1000',
        servicePeriod: { from: '2026-01-16', to: '2026-02-01' },
      });
      expect(res.body.subscription?.items[0]).toMatchObject({
        priceId: premium.id,
        quantity: '10',
        effectiveFrom: '2026-01-16',
      });

      const february = await billing.createInvoice(rw, {
        customerId: customer.id,
        subscriptionId: sub.id,
      });
      const byType = february.lines.map((l) => ({
        type: l.type,
        amount: l.amount,
        proration: l.proration,
        appliesTo: l.appliesToLineId,
      }));
      const charge = february.lines.find((l) => l.type === 'subscription' && l.proration);
      expect(byType).toEqual([
        { type: 'subscription', amount: '1500.00', proration: false, appliesTo: undefined },
        { type: 'credit', amount: '-516.13', proration: true, appliesTo: charge?.id },
        { type: 'subscription', amount: '774.19', proration: true, appliesTo: undefined },
      ]);
      expect(february).toMatchObject({ subtotal: '1758.06', total: '1758.06' });
    });

    it('refuses an upgrade to a lower price, and a downgrade to a higher one (422), writing nothing', async () => {
      const { sub } = await januaryInvoiced();
      const before = await billing.counts();
      expectProblem(
        await amend(sub.id, {
          type: 'upgrade',
          effectiveDate: '2026-01-16',
          itemId: itemOf(sub),
          priceId: basic.id,
        }),
        422,
        'BILLING_AMENDMENT_INVALID',
      );
      expectProblem(
        await amend(sub.id, {
          type: 'downgrade',
          effectiveDate: '2026-01-16',
          itemId: itemOf(sub),
          priceId: premium.id,
        }),
        422,
        'BILLING_AMENDMENT_INVALID',
      );
      expect(await billing.counts()).toEqual(before);
    });

    it('changes nothing but the item with prorationBehavior none', async () => {
      const { sub } = await januaryInvoiced();
      const res = await amend(sub.id, {
        type: 'upgrade',
        effectiveDate: '2026-01-16',
        itemId: itemOf(sub),
        priceId: premium.id,
        prorationBehavior: 'none',
      });
      expectStatus(res, 201);
      expect(res.body).toMatchObject({
        lines: [],
        total: '0.00',
        outcome: 'none',
        prorationBehavior: 'none',
      });
      const february = await billing.createInvoice(rw, {
        customerId: customer.id,
        subscriptionId: sub.id,
      });
      expect(february.lines.map((l) => l.amount)).toEqual(['1500.00']);
    });

    it('takes effect from the next period, unprorated, on the day the invoiced period ends', async () => {
      const { sub } = await januaryInvoiced();
      const res = await amend(sub.id, {
        type: 'upgrade',
        effectiveDate: '2026-02-01',
        itemId: itemOf(sub),
        priceId: premium.id,
      });
      expect(res.body).toMatchObject({ lines: [], outcome: 'none' });
      const february = await billing.createInvoice(rw, {
        customerId: customer.id,
        subscriptionId: sub.id,
      });
      expect(february.lines.map((l) => l.amount)).toEqual(['1500.00']);
    });
  });

  describe('downgrade and quantity change', () => {
    it('issues the net credit as a credit memo applied to the invoice of the period', async () => {
      const { sub, january } = await januaryInvoiced(true);
      const res = await amend(sub.id, {
        type: 'downgrade',
        effectiveDate: '2026-01-16',
        itemId: itemOf(sub),
        priceId: basic.id,
      });
      expectStatus(res, 201);
      // −1000 × 16/31 = −516.13; +600 × 16/31 = +309.68; net −206.45
      expect(lineSummary(res.body)).toEqual([
        { kind: 'credit', days: 16, periodDays: 31, amount: '-516.13' },
        { kind: 'charge', days: 16, periodDays: 31, amount: '309.68' },
      ]);
      expect(res.body).toMatchObject({ total: '-206.45', outcome: 'credit_memo' });
      const memo = await billing.get<CreditMemoResponse>(
        rw,
        `credit-memos/${res.body.creditMemoId ?? ''}`,
      );
      expect(memo).toMatchObject({
        number: expect.stringMatching(/^US01-CM-\d{4}-\d{6}$/) as unknown,
        invoiceId: january.id,
        subscriptionId: sub.id,
        amendmentId: res.body.id,
        reason: 'subscription_change',
        subtotal: '206.45',
        totalTax: '0.00',
        total: '206.45',
        appliedAmount: '206.45',
        unappliedAmount: '0.00',
      });
      expect(memo.lines.map((l) => [l.type, l.amount])).toEqual([
        ['proration', '516.13'],
        ['proration', '-309.68'],
      ]);
      const after = await billing.get<InvoiceResponse>(rw, `invoices/${january.id}`);
      expect(after).toMatchObject({
        amountCredited: '206.45',
        amountRemaining: '793.55',
        status: 'finalized',
      });
      // Nothing waits for the next invoice: February bills the new price only.
      const february = await billing.createInvoice(rw, {
        customerId: customer.id,
        subscriptionId: sub.id,
      });
      expect(february.lines.map((l) => l.amount)).toEqual(['600.00']);
    });

    it("keeps a credit it cannot apply as the customer's credit, applied when the next invoice is finalized", async () => {
      const own = await billing.createCustomer(rw);
      const sub = await billing.createSubscription(rw, {
        customerId: own.id,
        items: [{ priceId: seats.id, quantity: '10' }],
      });
      const draft = await billing.createInvoice(rw, { customerId: own.id, subscriptionId: sub.id });
      const res = await amend(sub.id, {
        type: 'quantity_change',
        effectiveDate: '2026-01-21',
        itemId: itemOf(sub),
        quantity: '4',
      });
      // 11 days left: −1000 × 11/31 = −354.84; +400 × 11/31 = +141.94; net −212.90
      expect(res.body).toMatchObject({ total: '-212.90', outcome: 'credit_memo' });
      const memo = await billing.get<CreditMemoResponse>(
        rw,
        `credit-memos/${res.body.creditMemoId ?? ''}`,
      );
      expect(memo).toMatchObject({
        total: '212.90',
        appliedAmount: '0.00',
        unappliedAmount: '212.90',
      });
      expect(memo).not.toHaveProperty('invoiceId');
      const finalized = await billing.finalize(rw, draft.id);
      expect(finalized).toMatchObject({
        total: '1000.00',
        amountCredited: '212.90',
        amountRemaining: '787.10',
      });
      const applied = await billing.get<CreditMemoResponse>(rw, `credit-memos/${memo.id}`);
      expect(applied).toMatchObject({
        appliedAmount: '212.90',
        unappliedAmount: '0.00',
        applications: [{ invoiceId: draft.id, amount: '212.90' }],
      });
    });

    it('charges a quantity increase on the next invoice', async () => {
      const { sub } = await januaryInvoiced();
      const res = await amend(sub.id, {
        type: 'quantity_change',
        effectiveDate: '2026-01-21',
        itemId: itemOf(sub),
        quantity: '13',
      });
      // −354.84 + 1300 × 11/31 (461.29) = 106.45
      expect(lineSummary(res.body)).toEqual([
        { kind: 'credit', days: 11, periodDays: 31, amount: '-354.84' },
        { kind: 'charge', days: 11, periodDays: 31, amount: '461.29' },
      ]);
      expect(res.body).toMatchObject({ total: '106.45', outcome: 'invoice_lines' });
    });
  });

  describe('renewal and cancellation', () => {
    it('cancels now: credits the unused days, ends the subscription, then refuses any amendment with 409', async () => {
      const { sub } = await januaryInvoiced(true);
      const res = await amend(sub.id, { type: 'cancel_now', effectiveDate: '2026-01-21' });
      expectStatus(res, 201);
      expect(lineSummary(res.body)).toEqual([
        { kind: 'credit', days: 11, periodDays: 31, amount: '-354.84' },
      ]);
      expect(res.body).toMatchObject({ outcome: 'credit_memo', total: '-354.84' });
      expect(res.body.subscription).toMatchObject({
        status: 'canceled',
        endDate: '2026-01-21',
        cancelAtPeriodEnd: false,
        canceledAt: expect.any(String) as unknown,
      });
      const events = await t.sql<{ type: string }>(
        'select type from billing.outbox_events where subject = $1 order by occurred_at',
        [sub.id],
      );
      expect(events.map((e) => e.type)).toEqual([
        'billing.subscription.activated.v1',
        'billing.subscription.canceled.v1',
      ]);

      const before = await billing.counts();
      for (const body of [
        {
          type: 'quantity_change',
          effectiveDate: '2026-01-25',
          itemId: itemOf(sub),
          quantity: '2',
        },
        { type: 'renewal' },
        { type: 'cancel_at_period_end' },
        { type: 'add_item', effectiveDate: '2026-01-25', priceId: premium.id, quantity: '1' },
      ]) {
        const refused = await amend(sub.id, body);
        expect(expectProblem(refused, 409, 'BILLING_SUBSCRIPTION_CANCELED').detail).toContain(
          'canceled',
        );
      }
      expect(await billing.counts()).toEqual(before);
    });

    it('cancels at the end of the current period: the subscription stays active until then', async () => {
      const { sub } = await januaryInvoiced();
      const res = await amend(sub.id, { type: 'cancel_at_period_end' });
      expectStatus(res, 201);
      const end = firstOfNextMonth();
      expect(res.body).toMatchObject({ effectiveDate: end, lines: [], outcome: 'none' });
      expect(res.body.subscription).toMatchObject({
        status: 'active',
        endDate: end,
        cancelAtPeriodEnd: true,
      });
      expect(end > todayUtc()).toBe(true);
    });

    it('renews a term by whole periods, and refuses to renew an evergreen subscription', async () => {
      const { sub } = await januaryInvoiced(false, { endDate: '2099-01-01' });
      const res = await amend(sub.id, { type: 'renewal', periods: 12 });
      expectStatus(res, 201);
      expect(res.body).toMatchObject({ effectiveDate: '2099-01-01', lines: [], outcome: 'none' });
      expect(res.body.subscription).toMatchObject({ endDate: '2100-01-01', status: 'active' });
      const evergreen = (await januaryInvoiced()).sub;
      const before = await billing.counts();
      expectProblem(
        await amend(evergreen.id, { type: 'renewal' }),
        422,
        'BILLING_AMENDMENT_INVALID',
      );
      expect(await billing.counts()).toEqual(before);
    });
  });

  describe('refusals', () => {
    it.each<
      [string, (sub: SubscriptionResponse) => Record<string, unknown>, number, string, string]
    >([
      [
        'a negative quantity',
        (s) => ({
          type: 'quantity_change',
          effectiveDate: '2026-01-21',
          itemId: itemOf(s),
          quantity: '-4',
        }),
        400,
        'VALIDATION_FAILED',
        '/quantity',
      ],
      [
        'a non-numeric quantity',
        (s) => ({
          type: 'quantity_change',
          effectiveDate: '2026-01-21',
          itemId: itemOf(s),
          quantity: 'four',
        }),
        400,
        'VALIDATION_FAILED',
        '/quantity',
      ],
      [
        'a quantity change without quantity',
        (s) => ({ type: 'quantity_change', effectiveDate: '2026-01-21', itemId: itemOf(s) }),
        400,
        'VALIDATION_FAILED',
        '/quantity',
      ],
      [
        'an upgrade without effective date',
        (s) => ({ type: 'upgrade', itemId: itemOf(s), priceId: premium.id }),
        400,
        'VALIDATION_FAILED',
        '/effectiveDate',
      ],
      [
        'an unknown type',
        () => ({ type: 'pause', effectiveDate: '2026-01-21' }),
        400,
        'VALIDATION_FAILED',
        '/type',
      ],
      [
        'an unknown field',
        () => ({ type: 'cancel_now', effectiveDate: '2026-01-21', refund: true }),
        400,
        'VALIDATION_FAILED',
        '/refund',
      ],
      [
        'an unknown item',
        () => ({
          type: 'quantity_change',
          effectiveDate: '2026-01-21',
          itemId: randomUUID(),
          quantity: '4',
        }),
        422,
        'BILLING_SUBSCRIPTION_ITEM_NOT_FOUND',
        '/itemId',
      ],
      [
        'an unknown price',
        (s) => ({
          type: 'upgrade',
          effectiveDate: '2026-01-21',
          itemId: itemOf(s),
          priceId: randomUUID(),
        }),
        422,
        'BILLING_PRICE_NOT_FOUND',
        '/priceId',
      ],
      [
        'a date before the start',
        (s) => ({
          type: 'quantity_change',
          effectiveDate: '2025-12-31',
          itemId: itemOf(s),
          quantity: '4',
        }),
        422,
        'BILLING_AMENDMENT_DATE_INVALID',
        '/effectiveDate',
      ],
      [
        'a price change in a period not invoiced yet',
        (s) => ({
          type: 'quantity_change',
          effectiveDate: '2026-02-10',
          itemId: itemOf(s),
          quantity: '4',
        }),
        422,
        'BILLING_AMENDMENT_DATE_INVALID',
        '/effectiveDate',
      ],
    ])('refuses %s and writes nothing', async (_name, make, status, code, pointer) => {
      const { sub } = await januaryInvoiced();
      const before = await billing.counts();
      const res = await amend(sub.id, make(sub));
      expectProblem(res, status, code);
      expect(pointers(res)).toContain(pointer);
      expect(await billing.counts()).toEqual(before);
    });

    it('refuses a price in another currency, a date before the period last invoiced, a stale ETag and an unknown subscription', async () => {
      const { sub } = await januaryInvoiced();
      await billing.createInvoice(rw, { customerId: customer.id, subscriptionId: sub.id }); // February
      const euros = await billing.createPrice(rw, { currency: 'EUR', unitAmount: '200' });
      const before = await billing.counts();
      expectProblem(
        await amend(sub.id, {
          type: 'upgrade',
          effectiveDate: '2026-02-10',
          itemId: itemOf(sub),
          priceId: euros.id,
        }),
        422,
        'BILLING_CURRENCY_MISMATCH',
      );
      expectProblem(
        await amend(sub.id, {
          type: 'quantity_change',
          effectiveDate: '2026-01-20',
          itemId: itemOf(sub),
          quantity: '4',
        }),
        422,
        'BILLING_AMENDMENT_DATE_INVALID',
      );
      expectProblem(
        await amend(
          sub.id,
          {
            type: 'quantity_change',
            effectiveDate: '2026-02-10',
            itemId: itemOf(sub),
            quantity: '4',
          },
          { 'if-match': '"v1"' },
        ),
        412,
        'PRECONDITION_FAILED',
      );
      expectProblem(
        await amend(randomUUID(), { type: 'cancel_now', effectiveDate: '2026-02-10' }),
        404,
        'BILLING_SUBSCRIPTION_NOT_FOUND',
      );
      expect(await billing.counts()).toEqual(before);
    });
  });

  it('lists the amendments of a subscription, oldest first', async () => {
    const { sub } = await januaryInvoiced();
    const first = (
      await amend(sub.id, {
        type: 'quantity_change',
        effectiveDate: '2026-01-11',
        itemId: itemOf(sub),
        quantity: '12',
      })
    ).body;
    const second = (await amend(sub.id, { type: 'cancel_at_period_end' })).body;
    const list = await billing.get<AmendmentResponse[]>(rw, `subscriptions/${sub.id}/amendments`);
    expect(list.map((a) => a.id)).toEqual([first.id, second.id]);
    const { subscription: _omit, ...withoutSubscription } = first;
    expect(list[0]).toEqual(withoutSubscription);
  });
});
