import { randomUUID } from 'node:crypto';
import type {
  BillingCustomerResponse,
  BillingProductResponse,
  EventEnvelope,
  InvoiceResponse,
} from '@revgate/canonical';
import { billingApp } from '../billing.app';
import { BillingConfig } from '../billing.config';
import { TAX_NOT_CALCULATED_NOTE } from '../providers/tax/no-tax.adapter';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  BERLIN,
  Billing,
  expectStatus,
  ISO_INSTANT,
  pointers,
  todayUtc,
  UUID,
} from '../../test/billing-fixtures';

const YEAR = todayUtc().slice(0, 4);

function inDays(days: number): string {
  const d = new Date(`${todayUtc()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const sequenceOf = (number: string | undefined): number => Number(number?.split('-').at(-1));

describe('invoices (e2e)', () => {
  let t: TestApp<BillingConfig>;
  let billing: Billing;
  let rw: string;
  let reader: string;
  let de01: string;
  let customer: BillingCustomerResponse;
  let onboarding: BillingProductResponse;
  let hardware: BillingProductResponse;

  beforeAll(async () => {
    t = await startTestApp(billingApp);
    billing = new Billing(t, http);
    rw = t.token(['billing:read', 'billing:write']);
    reader = t.token(['billing:read']);
    de01 = t.token(['billing:read', 'billing:write'], { legalEntities: ['DE01'] });
    customer = await billing.createCustomer(rw);
    onboarding = await billing.createProduct(rw, { name: 'Onboarding', sku: 'ONB-1' });
    hardware = await billing.createProduct(rw, { name: 'Edge box', taxCode: 'P0000000' });
  });
  afterAll(async () => {
    await t.close();
  });

  const oneTime = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    productId: onboarding.id,
    quantity: '1',
    unitAmount: '100',
    ...overrides,
  });

  const draft = (lines = [oneTime()], who = customer): Promise<InvoiceResponse> =>
    billing.createInvoice(rw, { customerId: who.id, oneTimeLines: lines });

  const row = async (id: string): Promise<Record<string, unknown> | undefined> =>
    (
      await t.sql('select status, number, version, total from billing.invoices where id = $1', [id])
    )[0];

  describe('POST /invoices', () => {
    it('creates a draft of one-time lines, with discounts on their own lines, rounded once per line', async () => {
      const res = await http<InvoiceResponse>('POST', billing.url('invoices'), {
        token: rw,
        body: {
          customerId: customer.id,
          memo: 'Thank you for your business',
          oneTimeLines: [
            oneTime({
              quantity: '3',
              unitAmount: '19.99',
              discountPercent: '10',
              reference: 'ORDER-9/1',
            }),
            oneTime({
              productId: hardware.id,
              description: 'Edge box, half share',
              quantity: '0.5',
              unitAmount: '1000.005',
              servicePeriod: { from: '2026-01-01', to: '2026-02-01' },
            }),
          ],
        },
      });
      expectStatus(res, 201);
      const [first, discount, second] = res.body.lines;
      // 3 × 19.99 = 59.97; 10% = 5.997 → 6.00; 0.5 × 1000.005 = 500.0025 → 500.00
      expect(res.body.lines).toEqual([
        {
          id: expect.stringMatching(UUID) as unknown,
          type: 'one_time',
          description: 'Onboarding',
          productId: onboarding.id,
          quantity: '3',
          unitAmount: '19.99',
          amount: '59.97',
          proration: false,
          source: { kind: 'manual', reference: 'ORDER-9/1' },
          taxCode: 'SW054000',
          taxStatus: 'not_calculated',
        },
        {
          id: expect.stringMatching(UUID) as unknown,
          type: 'discount',
          description: 'Discount 10% on Onboarding',
          productId: onboarding.id,
          amount: '-6.00',
          proration: false,
          source: { kind: 'manual', reference: 'ORDER-9/1' },
          appliesToLineId: first.id,
        },
        {
          id: expect.stringMatching(UUID) as unknown,
          type: 'one_time',
          description: 'Edge box, half share',
          productId: hardware.id,
          quantity: '0.5',
          unitAmount: '1000.005',
          amount: '500.00',
          servicePeriod: { from: '2026-01-01', to: '2026-02-01' },
          proration: false,
          source: { kind: 'manual' },
          taxCode: 'P0000000',
          taxStatus: 'not_calculated',
        },
      ]);
      expect(discount.appliesToLineId).toBe(first.id);
      expect(second.type).toBe('one_time');
      expect(res.body).toMatchObject({
        status: 'draft',
        customerId: customer.id,
        legalEntity: 'US01',
        currency: 'USD',
        paymentTerms: 'net_30',
        memo: 'Thank you for your business',
        subtotal: '553.97',
        totalTax: '0.00',
        total: '553.97',
        amountPaid: '0.00',
        amountCredited: '0.00',
        amountRemaining: '553.97',
        tax: { status: 'not_calculated', notes: [TAX_NOT_CALCULATED_NOTE] },
        version: 1,
        createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
      });
      expect(res.body).not.toHaveProperty('number');
      expect(res.body).not.toHaveProperty('issueDate');
      expect(res.headers.get('etag')).toBe('"v1"');
      expect(await billing.get(reader, `invoices/${res.body.id}`)).toEqual(res.body);
    });

    it('rounds to the currency: whole yen, three decimals of dinar', async () => {
      const yen = await billing.createCustomer(rw, { currency: 'JPY' });
      const jpy = await draft([oneTime({ quantity: '3', unitAmount: '33.335' })], yen);
      expect(jpy).toMatchObject({
        total: '100',
        lines: [expect.objectContaining({ amount: '100' })],
      });
      const dinar = await billing.createCustomer(rw, { currency: 'KWD' });
      const kwd = await draft([oneTime({ quantity: '3', unitAmount: '0.3335' })], dinar);
      expect(kwd).toMatchObject({ total: '1.001', totalTax: '0.000' });
    });

    const refusals: [string, () => Record<string, unknown>, number, string, string | undefined][] =
      [
        [
          'an unknown customer',
          () => ({ customerId: randomUUID(), oneTimeLines: [oneTime()] }),
          422,
          'BILLING_CUSTOMER_NOT_FOUND',
          '/customerId',
        ],
        [
          'an unknown product',
          () => ({ customerId: customer.id, oneTimeLines: [oneTime({ productId: randomUUID() })] }),
          422,
          'BILLING_PRODUCT_NOT_FOUND',
          '/oneTimeLines/0/productId',
        ],
        [
          'an unknown subscription',
          () => ({ customerId: customer.id, subscriptionId: randomUUID() }),
          422,
          'BILLING_SUBSCRIPTION_NOT_FOUND',
          '/subscriptionId',
        ],
        [
          'no line at all',
          () => ({ customerId: customer.id }),
          422,
          'BILLING_NOTHING_TO_INVOICE',
          undefined,
        ],
        [
          'a negative quantity',
          () => ({ customerId: customer.id, oneTimeLines: [oneTime({ quantity: '-1' })] }),
          400,
          'VALIDATION_FAILED',
          '/oneTimeLines/0/quantity',
        ],
        [
          'a non-numeric quantity',
          () => ({ customerId: customer.id, oneTimeLines: [oneTime({ quantity: 'one' })] }),
          400,
          'VALIDATION_FAILED',
          '/oneTimeLines/0/quantity',
        ],
        [
          'a zero quantity',
          () => ({ customerId: customer.id, oneTimeLines: [oneTime({ quantity: '0' })] }),
          400,
          'VALIDATION_FAILED',
          '/oneTimeLines/0/quantity',
        ],
        [
          'a unit amount as a JSON number',
          () => ({ customerId: customer.id, oneTimeLines: [oneTime({ unitAmount: 100 })] }),
          400,
          'VALIDATION_FAILED',
          '/oneTimeLines/0/unitAmount',
        ],
        [
          'a negative unit amount',
          () => ({ customerId: customer.id, oneTimeLines: [oneTime({ unitAmount: '-100' })] }),
          400,
          'VALIDATION_FAILED',
          '/oneTimeLines/0/unitAmount',
        ],
        [
          'a discount over 100%',
          () => ({ customerId: customer.id, oneTimeLines: [oneTime({ discountPercent: '120' })] }),
          400,
          'VALIDATION_FAILED',
          '/oneTimeLines/0/discountPercent',
        ],
        [
          'a reversed service period',
          () => ({
            customerId: customer.id,
            oneTimeLines: [oneTime({ servicePeriod: { from: '2026-02-01', to: '2026-01-01' } })],
          }),
          400,
          'VALIDATION_FAILED',
          '/oneTimeLines/0/servicePeriod/to',
        ],
        [
          'an unknown field',
          () => ({ customerId: customer.id, oneTimeLines: [oneTime()], dueDate: '2026-12-31' }),
          400,
          'VALIDATION_FAILED',
          '/dueDate',
        ],
        [
          'an unknown field in a line',
          () => ({ customerId: customer.id, oneTimeLines: [oneTime({ amount: '100' })] }),
          400,
          'VALIDATION_FAILED',
          '/oneTimeLines/0/amount',
        ],
      ];
    it.each(refusals)(
      'refuses %s and writes nothing',
      async (_name, make, status, code, pointer) => {
        const before = await billing.counts();
        const res = await http('POST', billing.url('invoices'), { token: rw, body: make() });
        expectProblem(res, status, code);
        if (pointer) expect(pointers(res)).toContain(pointer);
        expect(await billing.counts()).toEqual(before);
      },
    );

    it("refuses another customer's subscription and a customer outside the caller's legal entities", async () => {
      const other = await billing.createCustomer(rw);
      const price = await billing.createPrice(rw);
      const sub = await billing.createSubscription(rw, {
        customerId: other.id,
        items: [{ priceId: price.id, quantity: '1' }],
      });
      const before = await billing.counts();
      expectProblem(
        await http('POST', billing.url('invoices'), {
          token: rw,
          body: { customerId: customer.id, subscriptionId: sub.id },
        }),
        422,
        'BILLING_SUBSCRIPTION_NOT_FOUND',
      );
      expectProblem(
        await http('POST', billing.url('invoices'), {
          token: de01,
          body: { customerId: customer.id, oneTimeLines: [oneTime()] },
        }),
        422,
        'BILLING_CUSTOMER_NOT_FOUND',
      );
      expect(await billing.counts()).toEqual(before);
    });
  });

  describe('POST /invoices/{id}/finalize', () => {
    it('numbers the invoice, dates it, makes it final, and writes the finalized event with it', async () => {
      const created = await draft();
      const res = await http<InvoiceResponse>(
        'POST',
        billing.url(`invoices/${created.id}/finalize`),
        {
          token: rw,
          headers: { 'if-match': '"v1"', 'x-correlation-id': 'close-2026-01' },
        },
      );
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        id: created.id,
        status: 'finalized',
        number: expect.stringMatching(new RegExp(`^US01-${YEAR}-\\d{6}$`)) as unknown,
        issueDate: todayUtc(),
        dueDate: inDays(30),
        total: '100.00',
        amountRemaining: '100.00',
        tax: { status: 'not_calculated', notes: [TAX_NOT_CALCULATED_NOTE] },
        finalizedAt: expect.stringMatching(ISO_INSTANT) as unknown,
        version: 2,
      });
      expect(res.body.lines.map((l) => l.id)).toEqual(created.lines.map((l) => l.id));
      const events = await t.sql<{ type: string; envelope: EventEnvelope<InvoiceResponse> }>(
        'select type, envelope from billing.outbox_events where subject = $1',
        [created.id],
      );
      expect(events).toHaveLength(1);
      expect(events[0]?.type).toBe('billing.invoice.finalized.v1');
      expect(events[0]?.envelope).toMatchObject({ correlationId: 'close-2026-01', data: res.body });
    });

    it('refuses to finalize a finalized invoice (409) and writes nothing, nor uses a number', async () => {
      const first = await billing.finalize(rw, (await draft()).id);
      const before = await billing.counts();
      const rowBefore = await row(first.id);
      const again = await http('POST', billing.url(`invoices/${first.id}/finalize`), { token: rw });
      expect(expectProblem(again, 409, 'BILLING_INVOICE_NOT_DRAFT').detail).toContain(
        first.number ?? '',
      );
      expect(await billing.counts()).toEqual(before);
      expect(await row(first.id)).toEqual(rowBefore);
      const next = await billing.finalize(rw, (await draft()).id);
      expect(sequenceOf(next.number)).toBe(sequenceOf(first.number) + 1);
    });

    it('numbers gap-free per legal entity, also when finalizations run at once', async () => {
      const drafts = await Promise.all([1, 2, 3, 4, 5, 6].map(() => draft()));
      const finalized = await Promise.all(drafts.map((d) => billing.finalize(rw, d.id)));
      const numbers = finalized.map((i) => sequenceOf(i.number)).sort((a, b) => a - b);
      const lowest = numbers[0] ?? 0;
      expect(numbers).toEqual([0, 1, 2, 3, 4, 5].map((k) => lowest + k));
      const all = await t.sql<{ number: string }>(
        "select number from billing.invoices where legal_entity = 'US01' and number is not null order by number",
      );
      const sequence = all.map((r) => sequenceOf(r.number));
      expect(sequence).toEqual(sequence.map((_, k) => k + 1));

      const german = await billing.createCustomer(rw, {
        currency: 'EUR',
        legalEntity: 'DE01',
        billTo: BERLIN,
      });
      const de = await billing.finalize(de01, (await draft([oneTime()], german)).id);
      expect(de.number).toBe(`DE01-${YEAR}-000001`);
    });

    it('answers 404 for an unknown invoice, 412 for a stale ETag, and needs billing:write', async () => {
      const created = await draft();
      const before = await billing.counts();
      expectProblem(
        await http('POST', billing.url(`invoices/${randomUUID()}/finalize`), { token: rw }),
        404,
        'BILLING_INVOICE_NOT_FOUND',
      );
      expectProblem(
        await http('POST', billing.url(`invoices/${created.id}/finalize`), {
          token: rw,
          headers: { 'if-match': '"v7"' },
        }),
        412,
        'PRECONDITION_FAILED',
      );
      expectProblem(
        await http('POST', billing.url(`invoices/${created.id}/finalize`), { token: reader }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expectProblem(
        await http('POST', billing.url(`invoices/${created.id}/finalize`), { token: de01 }),
        404,
        'BILLING_INVOICE_NOT_FOUND',
      );
      expect(await billing.counts()).toEqual(before);
    });

    it('finalizes a zero invoice as paid at once', async () => {
      const free = await billing.finalize(rw, (await draft([oneTime({ unitAmount: '0' })])).id);
      expect(free).toMatchObject({
        status: 'paid',
        total: '0.00',
        paidAt: expect.any(String) as unknown,
      });
    });
  });

  describe('void and uncollectible', () => {
    it('voids a finalized invoice, once; a draft or a void invoice cannot be voided', async () => {
      const finalized = await billing.finalize(rw, (await draft()).id);
      const res = await http<InvoiceResponse>(
        'POST',
        billing.url(`invoices/${finalized.id}/void`),
        {
          token: rw,
          body: { reason: 'Issued to the wrong customer' },
        },
      );
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        status: 'void',
        number: finalized.number,
        voidReason: 'Issued to the wrong customer',
        voidedAt: expect.stringMatching(ISO_INSTANT) as unknown,
      });
      const events = await t.sql<{ type: string }>(
        'select type from billing.outbox_events where subject = $1 order by occurred_at',
        [finalized.id],
      );
      expect(events.map((e) => e.type)).toEqual([
        'billing.invoice.finalized.v1',
        'billing.invoice.voided.v1',
      ]);
      const before = await billing.counts();
      expectProblem(
        await http('POST', billing.url(`invoices/${finalized.id}/void`), { token: rw }),
        409,
        'BILLING_INVOICE_NOT_OPEN',
      );
      expectProblem(
        await http('POST', billing.url(`invoices/${(await draft()).id}/void`), { token: rw }),
        409,
        'BILLING_INVOICE_NOT_OPEN',
      );
      expect((await billing.counts()).outbox_events).toBe(before.outbox_events);
    });

    it('refuses to void an invoice with a payment on it', async () => {
      const finalized = await billing.finalize(rw, (await draft()).id);
      await billing.post(rw, `invoices/${finalized.id}/payments`, {
        status: 'settled',
        amount: '10.00',
        reference: `pi_${randomUUID()}`,
      });
      const before = await billing.counts();
      expectProblem(
        await http('POST', billing.url(`invoices/${finalized.id}/void`), { token: rw }),
        409,
        'BILLING_INVOICE_HAS_PAYMENTS',
      );
      expect(await billing.counts()).toEqual(before);
    });

    it('marks a finalized invoice uncollectible; a later payment still settles it', async () => {
      const finalized = await billing.finalize(rw, (await draft()).id);
      const marked = await billing.post<InvoiceResponse>(
        rw,
        `invoices/${finalized.id}/mark-uncollectible`,
        undefined,
        200,
      );
      expect(marked).toMatchObject({
        status: 'uncollectible',
        markedUncollectibleAt: expect.any(String) as unknown,
      });
      expectProblem(
        await http('POST', billing.url(`invoices/${finalized.id}/mark-uncollectible`), {
          token: rw,
        }),
        409,
        'BILLING_INVOICE_NOT_OPEN',
      );
      await billing.post(rw, `invoices/${finalized.id}/payments`, {
        status: 'settled',
        amount: '100.00',
        reference: `pi_${randomUUID()}`,
      });
      expect(await billing.get<InvoiceResponse>(rw, `invoices/${finalized.id}`)).toMatchObject({
        status: 'paid',
        amountRemaining: '0.00',
      });
    });
  });

  describe('GET /invoices', () => {
    it('lists by customer and status', async () => {
      const own = await billing.createCustomer(rw);
      const open = await billing.finalize(rw, (await draft([oneTime()], own)).id);
      const stillDraft = await draft([oneTime()], own);
      const drafts = await billing.walk<InvoiceResponse>(reader, 'invoices', {
        customerId: own.id,
        status: 'draft',
      });
      expect(drafts.items.map((i) => i.id)).toEqual([stillDraft.id]);
      const all = await billing.walk<InvoiceResponse>(reader, 'invoices', {
        customerId: own.id,
        limit: '1',
      });
      expect(all.items.map((i) => i.id).sort()).toEqual([open.id, stillDraft.id].sort());
      expectProblem(
        await http('GET', `${billing.url('invoices')}?status=open`, { token: reader }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });
});
