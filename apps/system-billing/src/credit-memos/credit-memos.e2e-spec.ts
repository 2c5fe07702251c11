import { randomUUID } from 'node:crypto';
import type {
  BillingCustomerResponse,
  BillingProductResponse,
  CreditMemoResponse,
  EventEnvelope,
  InvoiceResponse,
} from '@revgate/canonical';
import { billingApp } from '../billing.app';
import { BillingConfig } from '../billing.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  Billing,
  expectStatus,
  ISO_INSTANT,
  pointers,
  todayUtc,
  UUID,
} from '../../test/billing-fixtures';

describe('credit memos (e2e)', () => {
  let t: TestApp<BillingConfig>;
  let billing: Billing;
  let rw: string;
  let reader: string;
  let de01: string;
  let customer: BillingCustomerResponse;
  let product: BillingProductResponse;

  beforeAll(async () => {
    t = await startTestApp(billingApp);
    billing = new Billing(t, http);
    rw = t.token(['billing:read', 'billing:write']);
    reader = t.token(['billing:read']);
    de01 = t.token(['billing:read', 'billing:write'], { legalEntities: ['DE01'] });
    customer = await billing.createCustomer(rw);
    product = await billing.createProduct(rw, { name: 'Consulting' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A finalized invoice of 2 lines: 600.00 and 400.00. */
  async function finalized(): Promise<InvoiceResponse> {
    const draft = await billing.createInvoice(rw, {
      customerId: customer.id,
      oneTimeLines: [
        { productId: product.id, quantity: '6', unitAmount: '100' },
        { productId: product.id, quantity: '4', unitAmount: '100' },
      ],
    });
    return billing.finalize(rw, draft.id);
  }

  const credit = (invoiceId: string, body: unknown, token = rw) =>
    http<CreditMemoResponse>('POST', billing.url(`invoices/${invoiceId}/credit-memos`), {
      token,
      body,
    });

  it('credits invoice lines and free amounts, applies the memo to the invoice, and emits the event with it', async () => {
    const invoice = await finalized();
    const [first] = invoice.lines;
    const res = await credit(invoice.id, {
      reason: 'product_unsatisfactory',
      memo: 'Two days not delivered',
      lines: [
        { invoiceLineId: first.id, amount: '200.00' },
        { description: 'Goodwill', amount: '50' },
      ],
    });
    expectStatus(res, 201);
    expect(res.body).toEqual({
      id: expect.stringMatching(UUID) as unknown,
      number: expect.stringMatching(
        new RegExp(`^US01-CM-${todayUtc().slice(0, 4)}-\\d{6}$`),
      ) as unknown,
      invoiceId: invoice.id,
      customerId: customer.id,
      legalEntity: 'US01',
      currency: 'USD',
      reason: 'product_unsatisfactory',
      memo: 'Two days not delivered',
      lines: [
        {
          id: expect.stringMatching(UUID) as unknown,
          type: 'invoice_line',
          description: 'Credit: Consulting',
          invoiceLineId: first.id,
          amount: '200.00',
        },
        {
          id: expect.stringMatching(UUID) as unknown,
          type: 'custom',
          description: 'Goodwill',
          amount: '50.00',
        },
      ],
      subtotal: '250.00',
      totalTax: '0.00',
      // No tax system in this suite: the invoice's tax was not committed, so there is no return.
      tax: { status: 'not_reported' },
      total: '250.00',
      appliedAmount: '250.00',
      unappliedAmount: '0.00',
      applications: [
        {
          invoiceId: invoice.id,
          amount: '250.00',
          appliedAt: expect.stringMatching(ISO_INSTANT) as unknown,
        },
      ],
      version: 2,
      createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
      updatedAt: expect.stringMatching(ISO_INSTANT) as unknown,
    });
    expect(await billing.get(reader, `credit-memos/${res.body.id}`)).toEqual(res.body);
    expect(await billing.get<InvoiceResponse>(reader, `invoices/${invoice.id}`)).toMatchObject({
      status: 'finalized',
      amountCredited: '250.00',
      amountRemaining: '750.00',
    });
    const events = await t.sql<{ type: string; envelope: EventEnvelope<CreditMemoResponse> }>(
      'select type, envelope from billing.outbox_events where subject = $1',
      [res.body.id],
    );
    expect(events.map((e) => e.type)).toEqual(['billing.credit_memo.created.v1']);
    expect(events[0]?.envelope.data).toEqual(res.body);
  });

  it('refuses a memo larger than what is left on the invoice (422) and writes nothing', async () => {
    const invoice = await finalized();
    await billing.post(rw, `invoices/${invoice.id}/payments`, {
      status: 'settled',
      amount: '900.00',
      reference: `pi_${randomUUID()}`,
    });
    const before = await billing.counts();
    const res = await credit(invoice.id, {
      reason: 'order_change',
      lines: [{ description: 'Price correction', amount: '100.01' }],
    });
    const problem = expectProblem(res, 422, 'BILLING_CREDIT_EXCEEDS_REMAINING');
    expect(problem.detail).toContain('100.00');
    expect(await billing.counts()).toEqual(before);
    const exact = await credit(invoice.id, {
      reason: 'order_change',
      lines: [{ description: 'Price correction', amount: '100.00' }],
    });
    expectStatus(exact, 201);
    expect(await billing.get<InvoiceResponse>(reader, `invoices/${invoice.id}`)).toMatchObject({
      status: 'paid',
      amountRemaining: '0.00',
    });
  });

  it('refuses crediting more of a line than is left of it, across memos', async () => {
    const invoice = await finalized();
    const line = invoice.lines[1]?.id; // 400.00
    expectStatus(
      await credit(invoice.id, {
        reason: 'duplicate',
        lines: [{ invoiceLineId: line, amount: '300' }],
      }),
      201,
    );
    const before = await billing.counts();
    const res = await credit(invoice.id, {
      reason: 'duplicate',
      lines: [{ invoiceLineId: line, amount: '100.01' }],
    });
    expectProblem(res, 422, 'BILLING_CREDIT_EXCEEDS_REMAINING');
    expect(pointers(res)).toEqual(['/lines/0/amount']);
    expect(await billing.counts()).toEqual(before);
  });

  it.each<[string, Record<string, unknown>, number, string, string]>([
    [
      'a line that is not on the invoice',
      { reason: 'duplicate', lines: [{ invoiceLineId: randomUUID(), amount: '1' }] },
      422,
      'BILLING_INVOICE_LINE_NOT_FOUND',
      '/lines/0/invoiceLineId',
    ],
    [
      'a free line without description',
      { reason: 'duplicate', lines: [{ amount: '1' }] },
      400,
      'VALIDATION_FAILED',
      '/lines/0/description',
    ],
    [
      'more decimals than the currency',
      { reason: 'duplicate', lines: [{ description: 'x', amount: '1.005' }] },
      400,
      'VALIDATION_FAILED',
      '/lines/0/amount',
    ],
    [
      'a negative amount',
      { reason: 'duplicate', lines: [{ description: 'x', amount: '-1' }] },
      400,
      'VALIDATION_FAILED',
      '/lines/0/amount',
    ],
    [
      'a zero amount',
      { reason: 'duplicate', lines: [{ description: 'x', amount: '0' }] },
      400,
      'VALIDATION_FAILED',
      '/lines/0/amount',
    ],
    [
      'an amount that is not a number',
      { reason: 'duplicate', lines: [{ description: 'x', amount: 'ten' }] },
      400,
      'VALIDATION_FAILED',
      '/lines/0/amount',
    ],
    [
      'an unknown reason',
      { reason: 'because', lines: [{ description: 'x', amount: '1' }] },
      400,
      'VALIDATION_FAILED',
      '/reason',
    ],
    ['no lines', { reason: 'duplicate', lines: [] }, 400, 'VALIDATION_FAILED', '/lines'],
    [
      'an unknown field',
      { reason: 'duplicate', lines: [{ description: 'x', amount: '1' }], refund: true },
      400,
      'VALIDATION_FAILED',
      '/refund',
    ],
  ])('refuses %s and writes nothing', async (_name, body, status, code, pointer) => {
    const invoice = await finalized();
    const before = await billing.counts();
    const res = await credit(invoice.id, body);
    expectProblem(res, status, code);
    expect(pointers(res)).toContain(pointer);
    expect(await billing.counts()).toEqual(before);
  });

  it('credits only finalized invoices: a draft or a void invoice is 409, an unknown one 404', async () => {
    const draft = await billing.createInvoice(rw, {
      customerId: customer.id,
      oneTimeLines: [{ productId: product.id, quantity: '1', unitAmount: '10' }],
    });
    const voided = await finalized();
    await billing.post(rw, `invoices/${voided.id}/void`, {}, 200);
    const before = await billing.counts();
    const body = { reason: 'duplicate', lines: [{ description: 'x', amount: '1' }] };
    expectProblem(await credit(draft.id, body), 409, 'BILLING_INVOICE_NOT_OPEN');
    expectProblem(await credit(voided.id, body), 409, 'BILLING_INVOICE_NOT_OPEN');
    expectProblem(await credit(randomUUID(), body), 404, 'BILLING_INVOICE_NOT_FOUND');
    expectProblem(await credit(voided.id, body, de01), 404, 'BILLING_INVOICE_NOT_FOUND');
    expect(await billing.counts()).toEqual(before);
  });

  it('numbers memos gap-free and lists them by invoice', async () => {
    const invoice = await finalized();
    const a = (
      await credit(invoice.id, { reason: 'duplicate', lines: [{ description: 'a', amount: '1' }] })
    ).body;
    const b = (
      await credit(invoice.id, { reason: 'duplicate', lines: [{ description: 'b', amount: '2' }] })
    ).body;
    const seq = (n: string): number => Number(n.split('-').at(-1));
    expect(seq(b.number)).toBe(seq(a.number) + 1);
    const listed = await billing.walk<CreditMemoResponse>(reader, 'credit-memos', {
      invoiceId: invoice.id,
    });
    expect(listed.items.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
    expectProblem(
      await http('GET', billing.url(`credit-memos/${randomUUID()}`), { token: reader }),
      404,
      'BILLING_CREDIT_MEMO_NOT_FOUND',
    );
  });
});
