import type { EventEnvelope, InvoiceResponse } from '@revgate/canonical';
import { OutboxRelay, verifyWebhookSignature } from '@revgate/events';
import { billingApp } from './billing.app';
import type { BillingConfig } from './billing.config';
import { Billing, expectStatus, todayUtc } from '../test/billing-fixtures';
import { Receiver } from '../../../test/events/receiver';
import { expectProblem, http, startTestApp, type TestApp } from '../../../test/support/test-app';

describe('billing webhooks (e2e)', () => {
  let t: TestApp<BillingConfig>;
  let billing: Billing;
  let receiver: Receiver;
  let rw: string;
  let manage: string;

  beforeAll(async () => {
    t = await startTestApp(billingApp, {
      // The receiver of this test listens on loopback over http.
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
    billing = new Billing(t, http);
    receiver = await Receiver.start();
    rw = t.token(['billing:read', 'billing:write']);
    manage = t.token(['billing:webhooks:read', 'billing:webhooks:manage']);
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it('delivers a finalized invoice, signed, to a subscriber of billing.invoice.*', async () => {
    const created = await http<{ id: string; secret: string }>(
      'POST',
      billing.url('webhook-subscriptions'),
      {
        token: manage,
        body: { url: receiver.url, eventTypes: ['billing.invoice.*'], description: 'ERP posting' },
      },
    );
    expectStatus(created, 201);

    const customer = await billing.createCustomer(rw);
    const price = await billing.createPrice(rw);
    await billing.createSubscription(rw, {
      customerId: customer.id,
      items: [{ priceId: price.id, quantity: '2' }],
      startDate: todayUtc(),
    }); // billing.subscription.activated.v1: not subscribed to
    const product = await billing.createProduct(rw, { name: 'Onboarding' });
    const draft = await billing.createInvoice(rw, {
      customerId: customer.id,
      oneTimeLines: [{ productId: product.id, quantity: '1', unitAmount: '250' }],
    });
    const invoice = await billing.finalize(rw, draft.id);

    const now = new Date();
    const stats = await t.app.get(OutboxRelay).runOnce({ now });
    expect(stats).toMatchObject({ delivered: 1, failed: 0, dead: 0 });
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(got.headers['revgate-event-type']).toBe('billing.invoice.finalized.v1');
    expect(
      verifyWebhookSignature(
        got.body,
        got.headers['revgate-signature'] as string,
        [created.body.secret],
        300,
        now,
      ),
    ).toEqual({ timestamp: Math.floor(now.getTime() / 1000) });
    const envelope = JSON.parse(got.body.toString('utf8')) as EventEnvelope<InvoiceResponse>;
    expect(envelope).toMatchObject({
      id: got.headers['revgate-event-id'],
      type: 'billing.invoice.finalized.v1',
      source: 'revgate/system-billing',
      subject: invoice.id,
      data: { id: invoice.id, number: invoice.number, status: 'finalized', total: invoice.total },
    });
    expect(got.headers['x-correlation-id']).toBe(envelope.correlationId);

    const deliveries = await http<{ data: { eventId: string; status: string }[] }>(
      'GET',
      `${billing.url('webhook-deliveries')}?subscriptionId=${created.body.id}`,
      { token: t.token(['billing:webhooks:read']) },
    );
    expectStatus(deliveries, 200);
    expect(deliveries.body.data).toEqual([
      expect.objectContaining({ eventId: envelope.id, status: 'delivered' }),
    ]);
  });

  it('guards its webhooks with the billing webhook scopes and billing event types', async () => {
    const body = { url: receiver.url, eventTypes: ['billing.invoice.*'] };
    expectProblem(
      await http('POST', billing.url('webhook-subscriptions'), { token: rw, body }),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
    expectProblem(
      await http('POST', billing.url('webhook-subscriptions'), {
        token: t.token(['crm:webhooks:manage']),
        body,
      }),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
    expectProblem(
      await http('POST', billing.url('webhook-subscriptions'), {
        token: manage,
        body: { ...body, eventTypes: ['crm.opportunity.closed_won.v1'] },
      }),
      422,
      'WEBHOOK_EVENT_TYPE_UNKNOWN',
    );
  });
});
