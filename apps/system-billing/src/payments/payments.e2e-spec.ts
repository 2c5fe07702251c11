import { randomUUID } from 'node:crypto';
import type {
  BillingCustomerResponse,
  BillingPriceResponse,
  InvoiceResponse,
  PaymentResponse,
  SubscriptionResponse,
} from '@revgate/canonical';
import { billingApp } from '../billing.app';
import { BillingConfig } from '../billing.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import { Billing, expectStatus, ISO_INSTANT, pointers, UUID } from '../../test/billing-fixtures';

describe('payments (e2e)', () => {
  let t: TestApp<BillingConfig>;
  let billing: Billing;
  let rw: string;
  let reader: string;
  let customer: BillingCustomerResponse;
  let seats: BillingPriceResponse;

  beforeAll(async () => {
    t = await startTestApp(billingApp);
    billing = new Billing(t, http);
    rw = t.token(['billing:read', 'billing:write']);
    reader = t.token(['billing:read']);
    customer = await billing.createCustomer(rw);
    seats = await billing.createPrice(rw, { unitAmount: '100' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A subscription (10 × 100) with January invoiced and finalized: 1000.00 due. */
  async function january(): Promise<{ sub: SubscriptionResponse; invoice: InvoiceResponse }> {
    const sub = await billing.createSubscription(rw, {
      customerId: customer.id,
      items: [{ priceId: seats.id, quantity: '10' }],
    });
    const draft = await billing.createInvoice(rw, {
      customerId: customer.id,
      subscriptionId: sub.id,
    });
    return { sub, invoice: await billing.finalize(rw, draft.id) };
  }

  const pay = (invoiceId: string, body: Record<string, unknown>) =>
    http<PaymentResponse>('POST', billing.url(`invoices/${invoiceId}/payments`), {
      token: rw,
      body,
    });

  const events = async (subject: string): Promise<string[]> =>
    (
      await t.sql<{ type: string }>(
        'select type from billing.outbox_events where subject = $1 order by occurred_at',
        [subject],
      )
    ).map((r) => r.type);

  it('applies settled payments until the invoice is paid, with events', async () => {
    const { invoice } = await january();
    const reference = `pi_${randomUUID()}`;
    const first = await pay(invoice.id, {
      status: 'settled',
      amount: '400',
      reference,
      method: 'card',
    });
    expectStatus(first, 201);
    expect(first.body).toEqual({
      id: expect.stringMatching(UUID) as unknown,
      invoiceId: invoice.id,
      customerId: customer.id,
      legalEntity: 'US01',
      currency: 'USD',
      amount: '400.00',
      status: 'settled',
      reference,
      method: 'card',
      settledAt: expect.stringMatching(ISO_INSTANT) as unknown,
      version: 1,
      createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
      updatedAt: expect.stringMatching(ISO_INSTANT) as unknown,
    });
    expect(await billing.get<InvoiceResponse>(reader, `invoices/${invoice.id}`)).toMatchObject({
      status: 'finalized',
      amountPaid: '400.00',
      amountRemaining: '600.00',
    });
    const rest = await pay(invoice.id, {
      status: 'settled',
      amount: '600.00',
      reference: `pi_${randomUUID()}`,
    });
    expectStatus(rest, 201);
    expect(await billing.get<InvoiceResponse>(reader, `invoices/${invoice.id}`)).toMatchObject({
      status: 'paid',
      amountPaid: '1000.00',
      amountRemaining: '0.00',
      paidAt: expect.stringMatching(ISO_INSTANT) as unknown,
    });
    expect(await events(first.body.id)).toEqual(['billing.payment.settled.v1']);
    expect(await events(invoice.id)).toEqual([
      'billing.invoice.finalized.v1',
      'billing.invoice.paid.v1',
    ]);
    const listed = await billing.walk<PaymentResponse>(reader, 'payments', {
      invoiceId: invoice.id,
    });
    expect(listed.items.map((p) => p.amount).sort()).toEqual(['400.00', '600.00']);
  });

  it('answers a payment recorded again with the same reference and content with it (200), other content 409', async () => {
    const { invoice } = await january();
    const reference = `pi_${randomUUID()}`;
    const first = await pay(invoice.id, { status: 'settled', amount: '100.00', reference });
    const before = await billing.counts();
    const again = await pay(invoice.id, { status: 'settled', amount: '100', reference });
    expectStatus(again, 200);
    expect(again.body).toEqual(first.body);
    expectProblem(
      await pay(invoice.id, { status: 'settled', amount: '150.00', reference }),
      409,
      'BILLING_PAYMENT_REFERENCE_CONFLICT',
    );
    expect(await billing.counts()).toEqual(before);
    expect(await billing.get<InvoiceResponse>(reader, `invoices/${invoice.id}`)).toMatchObject({
      amountPaid: '100.00',
    });
  });

  it('records a failed payment without applying it, puts the subscription past due, and makes it active again once paid', async () => {
    const { sub, invoice } = await january();
    const failed = await pay(invoice.id, {
      status: 'failed',
      amount: '1000.00',
      reference: `pi_${randomUUID()}`,
      failureReason: 'card_declined',
    });
    expectStatus(failed, 201);
    expect(failed.body).toMatchObject({
      status: 'failed',
      failureReason: 'card_declined',
      failedAt: expect.stringMatching(ISO_INSTANT) as unknown,
    });
    expect(failed.body).not.toHaveProperty('settledAt');
    expect(await events(failed.body.id)).toEqual(['billing.payment.failed.v1']);
    expect(await billing.get<InvoiceResponse>(reader, `invoices/${invoice.id}`)).toMatchObject({
      amountPaid: '0.00',
      status: 'finalized',
    });
    expect(
      await billing.get<SubscriptionResponse>(reader, `subscriptions/${sub.id}`),
    ).toMatchObject({
      status: 'past_due',
    });
    await pay(invoice.id, {
      status: 'settled',
      amount: '1000.00',
      reference: `pi_${randomUUID()}`,
    });
    expect(
      await billing.get<SubscriptionResponse>(reader, `subscriptions/${sub.id}`),
    ).toMatchObject({
      status: 'active',
    });
  });

  it('refunds a settled payment: the invoice is owed again; a refunded or failed payment cannot be refunded', async () => {
    const { invoice } = await january();
    const paid = (
      await pay(invoice.id, {
        status: 'settled',
        amount: '1000.00',
        reference: `pi_${randomUUID()}`,
      })
    ).body;
    const refund = await http<PaymentResponse>('POST', billing.url(`payments/${paid.id}/refund`), {
      token: rw,
      body: { reason: 'Cancelled within 14 days' },
    });
    expectStatus(refund, 200);
    expect(refund.body).toMatchObject({
      status: 'refunded',
      refundReason: 'Cancelled within 14 days',
      refundedAt: expect.stringMatching(ISO_INSTANT) as unknown,
      version: 2,
    });
    expect(await billing.get<InvoiceResponse>(reader, `invoices/${invoice.id}`)).toMatchObject({
      status: 'finalized',
      amountPaid: '0.00',
      amountRemaining: '1000.00',
    });
    expect(await events(paid.id)).toEqual([
      'billing.payment.settled.v1',
      'billing.payment.refunded.v1',
    ]);
    const before = await billing.counts();
    expectProblem(
      await http('POST', billing.url(`payments/${paid.id}/refund`), { token: rw, body: {} }),
      409,
      'BILLING_PAYMENT_NOT_SETTLED',
    );
    expectProblem(
      await http('POST', billing.url(`payments/${randomUUID()}/refund`), { token: rw, body: {} }),
      404,
      'BILLING_PAYMENT_NOT_FOUND',
    );
    expect(await billing.counts()).toEqual(before);
  });

  it('refuses paying more than is left (422), a draft (409), and malformed amounts (400), writing nothing', async () => {
    const { invoice } = await january();
    const draft = await billing.createInvoice(rw, {
      customerId: customer.id,
      oneTimeLines: [{ productId: seats.productId, quantity: '1', unitAmount: '5' }],
    });
    const before = await billing.counts();
    const reference = `pi_${randomUUID()}`;
    expectProblem(
      await pay(invoice.id, { status: 'settled', amount: '1000.01', reference }),
      422,
      'BILLING_PAYMENT_EXCEEDS_REMAINING',
    );
    expectProblem(
      await pay(draft.id, { status: 'settled', amount: '5', reference }),
      409,
      'BILLING_INVOICE_NOT_OPEN',
    );
    expectProblem(
      await pay(randomUUID(), { status: 'settled', amount: '5', reference }),
      404,
      'BILLING_INVOICE_NOT_FOUND',
    );
    for (const [body, pointer] of [
      [{ status: 'settled', amount: '-5', reference }, '/amount'],
      [{ status: 'settled', amount: '0', reference }, '/amount'],
      [{ status: 'settled', amount: 'five', reference }, '/amount'],
      [{ status: 'settled', amount: 5, reference }, '/amount'],
      [{ status: 'settled', amount: '5.001', reference }, '/amount'],
      [{ status: 'pending', amount: '5', reference }, '/status'],
      [{ status: 'settled', amount: '5', reference: 'has space' }, '/reference'],
      [{ status: 'settled', amount: '5', reference, failureReason: 'x' }, '/failureReason'],
      [{ status: 'settled', amount: '5', reference, currency: 'USD' }, '/currency'],
    ] as const) {
      const res = await pay(invoice.id, body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res)).toContain(pointer);
    }
    expect(await billing.counts()).toEqual(before);
  });
});
