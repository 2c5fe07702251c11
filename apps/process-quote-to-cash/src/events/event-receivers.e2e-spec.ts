import { randomUUID } from 'node:crypto';
import { OutboxRelay } from '@revgate/events';
import { expectProblem, http } from '../../../../test/support/test-app';
import { Landscape, type OrderBody } from '../../test/q2c-fixtures';
import { EventSources } from './event-sources.service';

const LOOPBACK_WEBHOOKS = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' };

/**
 * Orders started and moved by the systems' events: quote-to-cash subscribes to the CRM's
 * closed-won and billing's invoice.finalized webhooks, and each event has its effect once.
 */
describe('event receivers (e2e, signed webhooks from the CRM and billing)', () => {
  let l: Landscape;

  beforeAll(async () => {
    l = await Landscape.start(
      { INVOICE_EVENT_WAIT_SECONDS: '120' },
      { crm: LOOPBACK_WEBHOOKS, billing: LOOPBACK_WEBHOOKS },
    );
    l.q2c.config.Q2C_PUBLIC_URL = l.q2c.url;
    expect(await l.q2c.app.get(EventSources).ensureAll()).toEqual([]);
  });
  afterAll(async () => {
    await l.close();
  });

  const relay = (app: 'crm' | 'billing') => l[app].app.get(OutboxRelay).runOnce();
  const orders = async (opportunityId: string): Promise<OrderBody[]> =>
    (await l.ok<{ data: OrderBody[] }>('q2c', 'GET', `orders?opportunityId=${opportunityId}`)).data;

  it('subscribes to both systems once, however often it is asked', async () => {
    const sources = l.q2c.app.get(EventSources);
    expect(await sources.ensureAll()).toEqual([]);
    for (const [app, path, url] of [
      ['crm', 'webhook-subscriptions', `${l.q2c.url}/q2c/v1/events/crm`],
      ['billing', 'webhook-subscriptions', `${l.q2c.url}/q2c/v1/events/billing`],
    ] as const) {
      const subs = await l.ok<{ data: { url: string; eventTypes: string[] }[] }>(app, 'GET', path);
      expect(subs.data.filter((s) => s.url === url)).toHaveLength(1);
    }
    const stored = await l.q2c.sql<{ source: string; sealed: string }>(
      'select source, sealed_secrets::text as sealed from q2c.event_sources order by source',
    );
    expect(stored.map((r) => r.source)).toEqual(['billing', 'crm']);
    // Sealed, never in clear.
    expect(stored.every((r) => !r.sealed.includes('whsec_'))).toBe(true);
  });

  it('starts the order of a deal closed-won in the CRM, in its trace, and completes it on billing’s event', async () => {
    const product = await l.product();
    const deal = await l.closedWonDeal(product, { close: false });
    const correlationId = `deal-${randomUUID()}`;
    await l.closeWon(deal.opportunityId, correlationId);
    await relay('crm');
    const [order] = await orders(deal.opportunityId);
    expect(order).toMatchObject({ correlationId, createdBy: 'crm:closed_won' });
    // The order waits for billing's invoice.finalized: deliver billing's events until it is done.
    const until = Date.now() + 45_000;
    let current = order;
    while (current.status !== 'completed' && Date.now() < until) {
      await relay('billing');
      await new Promise((resolve) => setTimeout(resolve, 200));
      current = await l.ok<OrderBody>('q2c', 'GET', `orders/${order.id}`);
    }
    expect(current.status).toBe('completed');
    expect(current.steps.find((s) => s.name === 'await_invoice_finalized')?.detail).toMatch(
      /confirmed by billing's event/,
    );
    // The systems saw the deal's correlation id: billing logged its calls under it.
    expect(l.billing.logs.some((line) => line.correlationId === correlationId)).toBe(true);

    // A replayed delivery of the same closed-won event has no second effect.
    const deliveries = await l.ok<{ data: { id: string; eventType: string }[] }>(
      'crm',
      'GET',
      'webhook-deliveries?eventType=crm.opportunity.closed_won.v1',
    );
    const first = deliveries.data.at(-1);
    if (!first) throw new Error('no delivery');
    await l.ok('crm', 'POST', `webhook-deliveries/${first.id}/replay`);
    await relay('crm');
    expect(await orders(deal.opportunityId)).toHaveLength(1);
    const inbox = await l.q2c.sql<{ n: number }>(
      "select count(*)::int as n from q2c.inbox_events where type = 'crm.opportunity.closed_won.v1' and subject = $1",
      [deal.opportunityId],
    );
    expect(inbox).toEqual([{ n: 1 }]);
  });

  it('refuses a delivery with a bad signature, or from an unknown source, and does nothing', async () => {
    const before = await l.q2c.sql<{ n: number }>(
      'select count(*)::int as n from q2c.inbox_events',
    );
    const body = JSON.stringify({
      id: randomUUID(),
      type: 'crm.opportunity.closed_won.v1',
      source: 'revgate/system-crm',
      subject: randomUUID(),
      time: new Date().toISOString(),
      correlationId: 'x',
      data: {},
    });
    const forged = await http('POST', `${l.q2c.url}/q2c/v1/events/crm`, {
      rawBody: body,
      headers: {
        'content-type': 'application/json',
        'revgate-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`,
      },
    });
    expect(forged.status).toBe(400);
    expect((forged.body as { code?: string }).code).toMatch(/SIGNATURE/);
    expectProblem(
      await http('POST', `${l.q2c.url}/q2c/v1/events/nowhere`, {
        rawBody: body,
        headers: { 'content-type': 'application/json' },
      }),
      404,
      'Q2C_EVENT_SOURCE_UNKNOWN',
    );
    expect(await l.q2c.sql('select count(*)::int as n from q2c.inbox_events')).toEqual(before);
  });
});
