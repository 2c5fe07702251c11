import { randomUUID } from 'node:crypto';
import type {
  BillingCustomerResponse,
  BillingPriceResponse,
  InvoiceResponse,
  SubscriptionResponse,
  UsageLineResponse,
} from '@revgate/canonical';
import { billingApp } from '../billing.app';
import { BillingConfig } from '../billing.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import { Billing, expectStatus, ISO_INSTANT, pointers, UUID } from '../../test/billing-fixtures';

const JANUARY = { from: '2026-01-01', to: '2026-02-01' };

describe('usage lines (e2e)', () => {
  let t: TestApp<BillingConfig>;
  let billing: Billing;
  let rw: string;
  let customer: BillingCustomerResponse;
  let seats: BillingPriceResponse;
  let calls: BillingPriceResponse;

  beforeAll(async () => {
    t = await startTestApp(billingApp);
    billing = new Billing(t, http);
    rw = t.token(['billing:read', 'billing:write']);
    customer = await billing.createCustomer(rw);
    seats = await billing.createPrice(rw, { unitAmount: '100' });
    calls = await billing.createPrice(rw, {
      usageType: 'metered',
      meter: 'api_calls',
      unitAmount: undefined,
      billingScheme: 'tiered',
      tiersMode: 'graduated',
      includedQuantity: '10000',
      tiers: [
        { upTo: '90000', unitAmount: '0.002' },
        { upTo: null, unitAmount: '0.001' },
      ],
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const subscription = (overrides: Record<string, unknown> = {}): Promise<SubscriptionResponse> =>
    billing.createSubscription(rw, {
      customerId: customer.id,
      items: [{ priceId: seats.id, quantity: '1' }, { priceId: calls.id }],
      ...overrides,
    });

  const record = (subId: string, body: Record<string, unknown>) =>
    http<UsageLineResponse>('POST', billing.url(`subscriptions/${subId}/usage-lines`), {
      token: rw,
      body,
    });

  const usage = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    meter: 'api_calls',
    quantity: '60000',
    period: JANUARY,
    sourceRef: `rated:${randomUUID()}`,
    ...overrides,
  });

  it('prices usage after the included quantity, and a period’s lines on their running total', async () => {
    const sub = await subscription();
    const first = await record(sub.id, usage({ sourceRef: 'rated:2026-01:a' }));
    expectStatus(first, 201);
    // 60,000 − 10,000 included = 50,000 at 0.002 = 100.00
    expect(first.body).toEqual({
      id: expect.stringMatching(UUID) as unknown,
      subscriptionId: sub.id,
      subscriptionItemId: sub.items[1]?.id,
      priceId: calls.id,
      meter: 'api_calls',
      quantity: '60000',
      servicePeriod: JANUARY,
      sourceRef: 'rated:2026-01:a',
      description: 'Platform Pro: 60000 api_calls (2026-01-01 – 2026-01-31)',
      currency: 'USD',
      amount: '100.00',
      periodQuantity: '60000',
      periodAmount: '100.00',
      breakdown: [
        {
          kind: 'tier',
          tierIndex: 0,
          quantity: '50000',
          unitAmount: '0.002',
          flatAmount: '0',
          subtotal: '100',
        },
      ],
      createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
    });
    // 125,000 in January: 90,000 × 0.002 + 25,000 × 0.001 = 205.00, of which 100.00 is billed already
    const second = await record(sub.id, usage({ quantity: '65000', sourceRef: 'rated:2026-01:b' }));
    expect(second.body).toMatchObject({
      amount: '105.00',
      periodQuantity: '125000',
      periodAmount: '205.00',
    });

    const invoice = await billing.createInvoice(rw, {
      customerId: customer.id,
      subscriptionId: sub.id,
    });
    expect(invoice.lines.map((l) => [l.type, l.amount, l.source])).toEqual([
      ['subscription', '100.00', { kind: 'subscription_period', id: sub.id }],
      ['usage', '100.00', { kind: 'usage', reference: 'rated:2026-01:a' }],
      ['usage', '105.00', { kind: 'usage', reference: 'rated:2026-01:b' }],
    ]);
    expect(invoice.lines[1]).toMatchObject({
      id: first.body.id,
      servicePeriod: JANUARY,
      quantity: '60000',
    });
    expect(invoice.total).toBe('305.00');

    // Late usage of January goes on the next invoice, still priced on January's running total.
    const late = await record(
      sub.id,
      usage({ quantity: '10000', sourceRef: 'rated:2026-01:late' }),
    );
    expect(late.body).toMatchObject({
      amount: '10.00',
      periodQuantity: '135000',
      periodAmount: '215.00',
    });
    const next = await billing.createInvoice(rw, {
      customerId: customer.id,
      subscriptionId: sub.id,
    });
    expect(next.lines.filter((l) => l.type === 'usage').map((l) => l.amount)).toEqual(['10.00']);
  });

  it('answers the same usage sent again with the line recorded (200), and refuses other content under its reference (409)', async () => {
    const sub = await subscription();
    const first = await record(sub.id, usage({ sourceRef: 'rated:dup' }));
    const before = await billing.counts();
    const again = await record(sub.id, usage({ sourceRef: 'rated:dup', quantity: '60000.000' }));
    expectStatus(again, 200);
    expect(again.body).toEqual(first.body);
    const conflict = await record(sub.id, usage({ sourceRef: 'rated:dup', quantity: '60001' }));
    expectProblem(conflict, 409, 'BILLING_USAGE_REFERENCE_CONFLICT');
    expect(await billing.counts()).toEqual(before);
  });

  it.each<[string, Record<string, unknown>, number, string, string]>([
    [
      'an unknown meter',
      { meter: 'storage_gb' },
      422,
      'BILLING_METER_NOT_ON_SUBSCRIPTION',
      '/meter',
    ],
    ['a negative quantity', { quantity: '-5' }, 400, 'VALIDATION_FAILED', '/quantity'],
    ['a non-numeric quantity', { quantity: 'lots' }, 400, 'VALIDATION_FAILED', '/quantity'],
    ['a quantity as a JSON number', { quantity: 5 }, 400, 'VALIDATION_FAILED', '/quantity'],
    [
      'a reversed period',
      { period: { from: '2026-02-01', to: '2026-01-01' } },
      400,
      'VALIDATION_FAILED',
      '/period/to',
    ],
    [
      'a period before the subscription',
      { period: { from: '2025-12-01', to: '2026-01-01' } },
      422,
      'BILLING_USAGE_PERIOD_INVALID',
      '/period',
    ],
    [
      'a malformed date',
      { period: { from: '2026-01-32', to: '2026-02-01' } },
      400,
      'VALIDATION_FAILED',
      '/period/from',
    ],
    ['a reference with spaces', { sourceRef: 'rated 1' }, 400, 'VALIDATION_FAILED', '/sourceRef'],
    ['an unknown field', { amount: '10' }, 400, 'VALIDATION_FAILED', '/amount'],
  ])('refuses %s and writes nothing', async (_name, overrides, status, code, pointer) => {
    const sub = await subscription();
    const before = await billing.counts();
    const res = await record(sub.id, usage(overrides));
    expectProblem(res, status, code);
    expect(pointers(res)).toContain(pointer);
    expect(await billing.counts()).toEqual(before);
  });

  it('takes usage of a canceled subscription up to its end, not after; and 404 for an unknown one', async () => {
    const sub = await subscription();
    await billing.post(rw, `subscriptions/${sub.id}/amendments`, {
      type: 'cancel_now',
      effectiveDate: '2026-01-20',
    });
    const within = await record(
      sub.id,
      usage({ period: { from: '2026-01-01', to: '2026-01-20' } }),
    );
    expectStatus(within, 201);
    const before = await billing.counts();
    expectProblem(
      await record(sub.id, usage({ period: { from: '2026-01-15', to: '2026-01-25' } })),
      422,
      'BILLING_USAGE_PERIOD_INVALID',
    );
    expectProblem(await record(randomUUID(), usage()), 404, 'BILLING_SUBSCRIPTION_NOT_FOUND');
    expect(await billing.counts()).toEqual(before);
    // The canceled subscription's last invoice carries its usage (and the short January).
    const last = await billing.createInvoice(rw, {
      customerId: customer.id,
      subscriptionId: sub.id,
    });
    expect(last.lines.map((l) => l.type)).toEqual(['subscription', 'usage']);
    const invoiced: InvoiceResponse = last;
    expect(invoiced.lines[0]?.servicePeriod).toEqual({ from: '2026-01-01', to: '2026-01-20' });
  });

  describe('in batches (POST /usage-lines/batch)', () => {
    interface BatchAnswer {
      results: {
        subscriptionId: string;
        sourceRef: string;
        outcome: string;
        line?: UsageLineResponse;
        problem?: { status: number; code: string };
      }[];
      created: number;
      existing: number;
      refused: number;
    }
    const batch = (body: unknown) =>
      http<BatchAnswer>('POST', billing.url('usage-lines/batch'), { token: rw, body });

    it('records each line as the one-by-one route would, refusing the bad ones alone', async () => {
      const [a, b] = [await subscription(), await subscription()];
      const sent = usage({ sourceRef: 'rated:batch:a', quantity: '60000' });
      const lines = [
        { subscriptionId: a.id, ...sent },
        { subscriptionId: b.id, ...usage({ quantity: '10001' }) },
        { subscriptionId: randomUUID(), ...usage() },
        { subscriptionId: b.id, ...usage({ meter: 'storage_gb' }) },
        { subscriptionId: a.id, ...sent },
        { subscriptionId: a.id, ...sent, quantity: '1' },
      ];
      const res = await batch({ lines });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ created: 2, existing: 1, refused: 3 });
      expect(res.body.results.map((r) => [r.outcome, r.problem?.code])).toEqual([
        ['created', undefined],
        ['created', undefined],
        ['refused', 'BILLING_SUBSCRIPTION_NOT_FOUND'],
        ['refused', 'BILLING_METER_NOT_ON_SUBSCRIPTION'],
        ['existing', undefined],
        ['refused', 'BILLING_USAGE_REFERENCE_CONFLICT'],
      ]);
      // Priced as one by one: 50,000 billable at 0.002 = 100.00; 1 billable = 0.00.
      expect(res.body.results[0]?.line).toMatchObject({ subscriptionId: a.id, amount: '100.00' });
      expect(res.body.results[4]?.line?.id).toBe(res.body.results[0]?.line?.id);
      expect(res.body.results[1]?.line).toMatchObject({ subscriptionId: b.id, quantity: '10001' });
    });

    it.each([
      ['no lines', { lines: [] }, '/lines'],
      ['lines not an array', { lines: 'all' }, '/lines'],
      ['a line without a subscription', { lines: [usage()] }, '/lines/0/subscriptionId'],
      [
        'a line with a bad quantity',
        { lines: [{ subscriptionId: randomUUID(), ...usage({ quantity: '-1' }) }] },
        '/lines/0/quantity',
      ],
      [
        'more than 1,000 lines',
        {
          lines: Array.from({ length: 1001 }, () => ({ subscriptionId: randomUUID(), ...usage() })),
        },
        '/lines',
      ],
      ['an unknown field', { lines: [], color: 'blue' }, '/color'],
    ])('refuses %s whole with 400 and records nothing', async (_name, body, pointer) => {
      const sub = await subscription();
      const before = await billing.counts();
      const valid = { subscriptionId: sub.id, ...usage() };
      const withValid =
        Array.isArray((body as { lines?: unknown }).lines) &&
        (body as { lines: unknown[] }).lines.length > 0 &&
        (body as { lines: unknown[] }).lines.length <= 1000
          ? { ...body, lines: [valid, ...(body as { lines: unknown[] }).lines] }
          : body;
      const res = await batch(withValid);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      const expected = withValid === body ? pointer : pointer.replace('/lines/0/', '/lines/1/');
      expect(pointers(res)).toContain(expected);
      expect(await billing.counts()).toEqual(before);
    });

    it('needs billing:write', async () => {
      expectProblem(
        await http('POST', billing.url('usage-lines/batch'), {
          token: t.token(['billing:read']),
          body: { lines: [] },
        }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
    });
  });
});
