import { randomUUID } from 'node:crypto';
import type {
  AmendmentResponse,
  BillingCustomerResponse,
  BillingPriceResponse,
  EventEnvelope,
  InvoiceResponse,
  SubscriptionResponse,
} from '@revgate/canonical';
import { billingApp } from '../billing.app';
import { BillingConfig } from '../billing.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  BERLIN,
  Billing,
  expectStatus,
  ISO_INSTANT,
  Page,
  pointers,
  UUID,
} from '../../test/billing-fixtures';

interface OutboxRow {
  type: string;
  subject: string;
  envelope: EventEnvelope<SubscriptionResponse | AmendmentResponse>;
}

describe('subscriptions (e2e)', () => {
  let t: TestApp<BillingConfig>;
  let billing: Billing;
  let rw: string;
  let reader: string;
  let de01: string;
  let customer: BillingCustomerResponse;
  let seats: BillingPriceResponse;
  let calls: BillingPriceResponse;

  beforeAll(async () => {
    t = await startTestApp(billingApp);
    billing = new Billing(t, http);
    rw = t.token(['billing:read', 'billing:write']);
    reader = t.token(['billing:read']);
    de01 = t.token(['billing:read', 'billing:write'], { legalEntities: ['DE01'] });
    customer = await billing.createCustomer(rw);
    seats = await billing.createPrice(rw, { unitAmount: '100' });
    calls = await billing.createPrice(rw, {
      usageType: 'metered',
      meter: 'api_calls',
      unitAmount: undefined,
      billingScheme: 'tiered',
      tiersMode: 'graduated',
      includedQuantity: '1000',
      tiers: [{ upTo: null, unitAmount: '0.01' }],
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const outbox = (subject: string): Promise<OutboxRow[]> =>
    t.sql<OutboxRow>(
      'select type, subject, envelope from billing.outbox_events where subject = $1 order by occurred_at',
      [subject],
    );

  const body = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    customerId: customer.id,
    billingInterval: 'month',
    startDate: '2026-01-01',
    items: [{ priceId: seats.id, quantity: '10' }],
    ...overrides,
  });

  const invoiceFor = (sub: SubscriptionResponse): Promise<InvoiceResponse> =>
    billing.createInvoice(rw, { customerId: sub.customerId, subscriptionId: sub.id });

  describe('POST /subscriptions', () => {
    it('starts a subscription with a licensed and a metered item, and writes the activated event with it', async () => {
      const res = await http<SubscriptionResponse>('POST', billing.url('subscriptions'), {
        token: rw,
        body: body({
          externalId: 'ORDER-1',
          endDate: '2099-01-01',
          items: [{ priceId: seats.id, quantity: '10' }, { priceId: calls.id }],
        }),
        headers: { 'x-correlation-id': 'deal-7' },
      });
      expectStatus(res, 201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        externalId: 'ORDER-1',
        customerId: customer.id,
        legalEntity: 'US01',
        currency: 'USD',
        billingInterval: 'month',
        billingAnchorDate: '2026-01-01',
        startDate: '2026-01-01',
        endDate: '2099-01-01',
        status: 'active',
        cancelAtPeriodEnd: false,
        billedThrough: '2026-01-01',
        items: [
          {
            id: expect.stringMatching(UUID) as unknown,
            priceId: seats.id,
            productId: seats.productId,
            usageType: 'licensed',
            quantity: '10',
            effectiveFrom: '2026-01-01',
          },
          {
            id: expect.stringMatching(UUID) as unknown,
            priceId: calls.id,
            productId: calls.productId,
            usageType: 'metered',
            meter: 'api_calls',
            effectiveFrom: '2026-01-01',
          },
        ],
        version: 1,
        createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
        updatedAt: res.body.createdAt,
      });
      expect(await billing.get(reader, `subscriptions/${res.body.id}`)).toEqual(res.body);
      const events = await outbox(res.body.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'billing.subscription.activated.v1',
        envelope: {
          type: 'billing.subscription.activated.v1',
          source: 'revgate/system-billing',
          subject: res.body.id,
          correlationId: 'deal-7',
          data: res.body,
        },
      });
    });

    const refusals: [string, () => Record<string, unknown>, number, string, string][] = [
      [
        'an unknown customer',
        () => body({ customerId: randomUUID() }),
        422,
        'BILLING_CUSTOMER_NOT_FOUND',
        '/customerId',
      ],
      [
        'an unknown price',
        () => body({ items: [{ priceId: randomUUID(), quantity: '1' }] }),
        422,
        'BILLING_PRICE_NOT_FOUND',
        '/items/0/priceId',
      ],
      [
        'a licensed item without quantity',
        () => body({ items: [{ priceId: seats.id }] }),
        400,
        'VALIDATION_FAILED',
        '/items/0/quantity',
      ],
      [
        'a metered item with a quantity',
        () => body({ items: [{ priceId: calls.id, quantity: '5' }] }),
        400,
        'VALIDATION_FAILED',
        '/items/0/quantity',
      ],
      [
        'a negative quantity',
        () => body({ items: [{ priceId: seats.id, quantity: '-10' }] }),
        400,
        'VALIDATION_FAILED',
        '/items/0/quantity',
      ],
      [
        'a non-numeric quantity',
        () => body({ items: [{ priceId: seats.id, quantity: 'ten' }] }),
        400,
        'VALIDATION_FAILED',
        '/items/0/quantity',
      ],
      [
        'a zero quantity',
        () => body({ items: [{ priceId: seats.id, quantity: '0' }] }),
        400,
        'VALIDATION_FAILED',
        '/items/0/quantity',
      ],
      [
        'a quantity as a JSON number',
        () => body({ items: [{ priceId: seats.id, quantity: 10 }] }),
        400,
        'VALIDATION_FAILED',
        '/items/0/quantity',
      ],
      [
        'the same price twice',
        () =>
          body({
            items: [
              { priceId: seats.id, quantity: '1' },
              { priceId: seats.id, quantity: '2' },
            ],
          }),
        422,
        'BILLING_PRICE_DUPLICATED',
        '/items/1/priceId',
      ],
      [
        'an anchor before the start',
        () => body({ billingAnchorDate: '2025-12-31' }),
        422,
        'BILLING_SUBSCRIPTION_DATES_INVALID',
        '/billingAnchorDate',
      ],
      [
        'an anchor a whole interval after the start',
        () => body({ billingAnchorDate: '2026-02-01' }),
        422,
        'BILLING_SUBSCRIPTION_DATES_INVALID',
        '/billingAnchorDate',
      ],
      [
        'an end before the start',
        () => body({ endDate: '2026-01-01' }),
        422,
        'BILLING_SUBSCRIPTION_DATES_INVALID',
        '/endDate',
      ],
      [
        'an impossible date',
        () => body({ startDate: '2026-02-30' }),
        400,
        'VALIDATION_FAILED',
        '/startDate',
      ],
      ['no items', () => body({ items: [] }), 400, 'VALIDATION_FAILED', '/items'],
      ['an unknown field', () => body({ trialDays: 14 }), 400, 'VALIDATION_FAILED', '/trialDays'],
      [
        'an unknown field in an item',
        () => body({ items: [{ priceId: seats.id, quantity: '1', discount: '5' }] }),
        400,
        'VALIDATION_FAILED',
        '/items/0/discount',
      ],
    ];
    it.each(refusals)(
      'refuses %s and writes nothing',
      async (_name, make, status, code, pointer) => {
        const before = await billing.counts();
        const res = await http('POST', billing.url('subscriptions'), { token: rw, body: make() });
        expectProblem(res, status, code);
        expect(pointers(res)).toContain(pointer);
        expect(await billing.counts()).toEqual(before);
      },
    );

    it('refuses a price in another currency than the customer, a one-time price and another interval (422), writing nothing', async () => {
      const euros = await billing.createPrice(rw, { currency: 'EUR', unitAmount: '90' });
      const once = await billing.createPrice(rw, { type: 'one_time', interval: undefined });
      const yearly = await billing.createPrice(rw, { interval: 'year', unitAmount: '1000' });
      const before = await billing.counts();
      for (const [price, code] of [
        [euros, 'BILLING_CURRENCY_MISMATCH'],
        [once, 'BILLING_PRICE_NOT_RECURRING'],
        [yearly, 'BILLING_PRICE_INTERVAL_MISMATCH'],
      ] as const) {
        const res = await http('POST', billing.url('subscriptions'), {
          token: rw,
          body: body({ items: [{ priceId: price.id, quantity: '1' }] }),
        });
        expectProblem(res, 422, code);
      }
      expect(await billing.counts()).toEqual(before);
    });

    it("treats another legal entity's customer as unknown for a limited caller", async () => {
      const before = await billing.counts();
      expectProblem(
        await http('POST', billing.url('subscriptions'), { token: de01, body: body() }),
        422,
        'BILLING_CUSTOMER_NOT_FOUND',
      );
      expect(await billing.counts()).toEqual(before);
    });
  });

  describe('GET /subscriptions', () => {
    it('lists by customer and status, and hides other legal entities', async () => {
      const other = await billing.createCustomer(rw);
      const a = await billing.createSubscription(rw, body({ customerId: other.id }));
      const b = await billing.createSubscription(
        rw,
        body({ customerId: other.id, endDate: '2026-03-01' }),
      );
      const active = await billing.walk<SubscriptionResponse>(reader, 'subscriptions', {
        customerId: other.id,
        status: 'active',
      });
      expect(active.items.map((s) => s.id)).toEqual([a.id]);
      // b's term ended on 2026-03-01: as of today it is canceled.
      const canceled = await billing.walk<SubscriptionResponse>(reader, 'subscriptions', {
        customerId: other.id,
        status: 'canceled',
      });
      expect(canceled.items.map((s) => ({ id: s.id, status: s.status }))).toEqual([
        { id: b.id, status: 'canceled' },
      ]);
      const limited = await http<Page<SubscriptionResponse>>(
        'GET',
        `${billing.url('subscriptions')}?customerId=${other.id}`,
        { token: de01 },
      );
      expect(limited.body.data).toEqual([]);
      expectProblem(
        await http('GET', billing.url(`subscriptions/${a.id}`), { token: de01 }),
        404,
        'BILLING_SUBSCRIPTION_NOT_FOUND',
      );
      expectProblem(
        await http('GET', `${billing.url('subscriptions')}?status=paused`, { token: reader }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('billing periods', () => {
    it('invoices one month at a time, in advance, from the start date', async () => {
      const sub = await billing.createSubscription(rw, body());
      const january = await invoiceFor(sub);
      expect(january.lines).toEqual([
        expect.objectContaining({
          type: 'subscription',
          quantity: '10',
          unitAmount: '100',
          amount: '1000.00',
          servicePeriod: { from: '2026-01-01', to: '2026-02-01' },
          proration: false,
          source: { kind: 'subscription_period', id: sub.id },
          subscriptionItemId: sub.items[0]?.id,
        }),
      ]);
      const february = await invoiceFor(sub);
      expect(february.lines.map((l) => l.servicePeriod)).toEqual([
        { from: '2026-02-01', to: '2026-03-01' },
      ]);
      const read = await billing.get<SubscriptionResponse>(reader, `subscriptions/${sub.id}`);
      expect(read).toMatchObject({
        billedThrough: '2026-03-01',
        currentPeriod: { start: '2026-02-01', end: '2026-03-01' },
        version: 3,
      });
    });

    it('charges a first period shorter than a month by days, up to the anchor', async () => {
      // Starts 2026-01-10 and renews on the 31st: its first period is the part of the period
      // [2025-12-31, 2026-01-31) (31 days) from the start: 21 days at 1,000 a period.
      const sub = await billing.createSubscription(
        rw,
        body({ startDate: '2026-01-10', billingAnchorDate: '2026-01-31' }),
      );
      const first = await invoiceFor(sub);
      expect(first.lines).toEqual([
        expect.objectContaining({
          amount: '677.42',
          servicePeriod: { from: '2026-01-10', to: '2026-01-31' },
          proration: true,
        }),
      ]);
      // 1000 × 21 / 31 = 677.419… → 677.42; then whole periods, renewing on the 31st or the month's last day
      const next = await invoiceFor(sub);
      expect(next.lines[0]).toMatchObject({
        amount: '1000.00',
        servicePeriod: { from: '2026-01-31', to: '2026-02-28' },
        proration: false,
      });
    });

    it('stops at the end date, charging the last short period by days', async () => {
      const sub = await billing.createSubscription(rw, body({ endDate: '2026-01-16' }));
      const only = await invoiceFor(sub);
      // 15 of January's 31 days: 1000 × 15 / 31 = 483.870… → 483.87
      expect(only.lines[0]).toMatchObject({
        amount: '483.87',
        servicePeriod: { from: '2026-01-01', to: '2026-01-16' },
      });
      const before = await billing.counts();
      expectProblem(
        await http('POST', billing.url('invoices'), {
          token: rw,
          body: { customerId: customer.id, subscriptionId: sub.id },
        }),
        422,
        'BILLING_NOTHING_TO_INVOICE',
      );
      expect(await billing.counts()).toEqual(before);
    });

    it('bills a yearly subscription once a year, in the customer currency of another legal entity', async () => {
      const german = await billing.createCustomer(rw, {
        currency: 'EUR',
        legalEntity: 'DE01',
        billTo: BERLIN,
      });
      const annual = await billing.createPrice(rw, {
        currency: 'EUR',
        interval: 'year',
        billingScheme: 'flat',
        unitAmount: undefined,
        amount: '12000',
      });
      const sub = await billing.createSubscription(de01, {
        customerId: german.id,
        billingInterval: 'year',
        startDate: '2026-03-15',
        items: [{ priceId: annual.id, quantity: '1' }],
      });
      expect(sub).toMatchObject({ legalEntity: 'DE01', currency: 'EUR' });
      const invoice = await billing.createInvoice(de01, {
        customerId: german.id,
        subscriptionId: sub.id,
      });
      expect(invoice.lines[0]).toMatchObject({
        amount: '12000.00',
        servicePeriod: { from: '2026-03-15', to: '2027-03-15' },
      });
    });
  });

  describe('co-terming an item added mid-term', () => {
    it('charges the rest of the invoiced period by days on the next invoice, then renews with the subscription', async () => {
      const sub = await billing.createSubscription(rw, body());
      await invoiceFor(sub); // January is invoiced
      const support = await billing.createPrice(rw, { unitAmount: '31' });
      const added = await billing.post<AmendmentResponse>(
        rw,
        `subscriptions/${sub.id}/amendments`,
        {
          type: 'add_item',
          effectiveDate: '2026-01-16',
          priceId: support.id,
          quantity: '5',
        },
      );
      // 5 × 31 = 155 a month; 16 of 31 days left: 155 × 16 / 31 = 80.00
      expect(added).toMatchObject({
        type: 'add_item',
        effectiveDate: '2026-01-16',
        outcome: 'invoice_lines',
        total: '80.00',
        lines: [
          {
            kind: 'charge',
            servicePeriod: { from: '2026-01-16', to: '2026-02-01' },
            quantity: '5',
            periodAmount: '155',
            days: 16,
            periodDays: 31,
            amount: '80.00',
          },
        ],
      });
      const newItem = added.subscription?.items.find((i) => i.priceId === support.id);
      expect(newItem).toMatchObject({ quantity: '5', effectiveFrom: '2026-01-16' });
      const february = await invoiceFor(sub);
      expect(
        february.lines.map((l) => ({
          amount: l.amount,
          period: l.servicePeriod,
          proration: l.proration,
        })),
      ).toEqual([
        { amount: '1000.00', period: { from: '2026-02-01', to: '2026-03-01' }, proration: false },
        { amount: '155.00', period: { from: '2026-02-01', to: '2026-03-01' }, proration: false },
        { amount: '80.00', period: { from: '2026-01-16', to: '2026-02-01' }, proration: true },
      ]);
      expect(february.lines[2]?.source).toEqual({ kind: 'amendment', id: added.id });
      const events = await outbox(sub.id);
      expect(events.map((e) => e.type)).toEqual([
        'billing.subscription.activated.v1',
        'billing.subscription.amended.v1',
      ]);
      expect(events[1]?.envelope.data).toEqual(added);
    });

    it('co-terms an item added in a period not invoiced yet when that period is invoiced', async () => {
      const sub = await billing.createSubscription(rw, body());
      await invoiceFor(sub); // January
      const support = await billing.createPrice(rw, { unitAmount: '31' });
      const added = await billing.post<AmendmentResponse>(
        rw,
        `subscriptions/${sub.id}/amendments`,
        {
          type: 'add_item',
          effectiveDate: '2026-03-10',
          priceId: support.id,
          quantity: '1',
        },
      );
      expect(added).toMatchObject({ outcome: 'none', lines: [], total: '0.00' });
      const february = await invoiceFor(sub);
      expect(february.lines.map((l) => l.amount)).toEqual(['1000.00']);
      const march = await invoiceFor(sub);
      // 31 a month, from 2026-03-10: 22 of March's 31 days = 22.00
      expect(march.lines.map((l) => [l.amount, l.servicePeriod])).toEqual([
        ['1000.00', { from: '2026-03-01', to: '2026-04-01' }],
        ['22.00', { from: '2026-03-10', to: '2026-04-01' }],
      ]);
    });
  });
});
