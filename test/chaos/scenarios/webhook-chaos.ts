import { OutboxRelay } from '@revgate/events';
import type { Landscape } from '../../../apps/process-quote-to-cash/test/q2c-fixtures';
import { between, pollUntil, sleep, tally } from '../support/chaos';
import { DeliveryChaos } from '../support/delivery-chaos';
import { Findings } from '../support/invariants';
import { checkOrders, Q2cReader } from '../support/q2c-checks';
import { mappedProduct, q2cEnv, type Resources } from './resources';

/**
 * The CRM's closed-won and billing's invoice.finalized webhooks — signed by the systems' own
 * relays — reach quote-to-cash duplicated, out of order and late (DeliveryChaos), while
 * quote-to-cash is killed a few times. Each deal makes one order, each order completes on
 * billing's event, and each event has its effect once: quote-to-cash's inbox answers
 * `processed` for one copy of each event and `duplicate` for every other one.
 */
export async function webhooksDuplicatedReorderedDelayed(
  l: Landscape,
  r: Resources,
  random: () => number,
  kills: number,
): Promise<void> {
  // Quote-to-cash keeps its port across kills: the network's target stays.
  const target = { url: '' };
  // Closed-won deals of this scenario only; every invoice.finalized (the others find no order).
  const ours = new Set<string>();
  const net = new DeliveryChaos(
    () => target.url,
    random,
    (e) => e.type !== 'crm.opportunity.closed_won.v1' || ours.has(e.subject),
  );
  await net.start();
  const dbUrl = await r.database();
  // The systems reach quote-to-cash through the bad network: it subscribes at that URL.
  const app = await r.launch(
    'process-quote-to-cash',
    q2cEnv(l, {
      DATABASE_URL: dbUrl,
      REVGATE_DATA_DIR: r.folder('q2c-hooks'),
      Q2C_PUBLIC_URL: net.url,
      // Orders wait for billing's event (no read of the invoice before 2 minutes).
      INVOICE_EVENT_WAIT_SECONDS: '120',
    }),
  );
  target.url = app.url;
  const q2c = new Q2cReader(() => app.url);
  const product = await mappedProduct(l, q2c);
  // It subscribes once it has launched; a subscription gets the events that happen after it.
  const subscribed = await pollUntil(
    async () =>
      Promise.all(
        (['crm', 'billing'] as const).map(async (system) => {
          const subs = await l.ok<{ data: { url: string }[] }>(
            system,
            'GET',
            'webhook-subscriptions',
          );
          return subs.data.some((sub) => sub.url.startsWith(net.url));
        }),
      ),
    (both) => both.every(Boolean),
    60,
  );
  if (!subscribed.every(Boolean)) console.log(`quote-to-cash's last words:\n${app.tail(60)}`);
  expect(subscribed).toEqual([true, true]);
  // The systems' relays, as their timers would run them.
  const relaying = { on: true };
  const relay = (async () => {
    while (relaying.on) {
      await l.crm.app.get(OutboxRelay).runOnce();
      await l.billing.app.get(OutboxRelay).runOnce();
      await sleep(200);
    }
  })();
  try {
    const deals = [];
    for (let i = 0; i < 6; i++) {
      const deal = await l.closedWonDeal(product, { close: false });
      ours.add(deal.opportunityId);
      await l.closeWon(deal.opportunityId);
      deals.push(deal);
    }
    for (let k = 0; k < kills; k++) {
      await sleep(between(random, 500, 2500));
      await app.crash();
    }
    const f = new Findings();
    const views = await Promise.all(
      deals.map((d) =>
        pollUntil(
          () => q2c.ordersOf(d.opportunityId).catch(() => []),
          (o) => o.length > 0 && o.every((x) => x.status === 'completed'),
          100,
        ),
      ),
    );
    for (const o of views.flat()) {
      const awaited = o.steps.find((s) => s.name === 'await_invoice_finalized')?.detail ?? '';
      if (!/confirmed by billing's event/.test(awaited))
        f.broken(`order ${o.id} did not complete on billing's event: ${o.status}, ${awaited}`);
    }
    // Every event once more, late: no second effect.
    net.replayAll();
    await net.idle();
    f.add(await checkOrders(l, q2c, dbUrl, deals, 30));
    for (const c of net.captured) {
      const processed = (net.outcomes.get(c.eventId) ?? []).filter((o) => o === 'processed');
      f.once(processed.length, `${c.eventType} ${c.eventId} processed by quote-to-cash`);
    }
    for (const refusal of net.refused) f.broken(`delivery refused: ${refusal}`);
    if (f.problems.length > 0 || net.captured.length === 0)
      console.log(`quote-to-cash's last words:\n${app.tail()}`);
    expect([...new Set(net.captured.map((c) => c.eventType))].sort()).toEqual([
      'billing.invoice.finalized.v1',
      'crm.opportunity.closed_won.v1',
    ]);
    const extra = net.copiesSent - new Set(net.captured.map((c) => c.eventId)).size;
    tally.faults += extra + net.reordered;
    console.log(
      `chaos, webhooks: ${net.captured.length} signed deliveries, ${net.copiesSent} copies taken ` +
        `by quote-to-cash (${extra} duplicates), ${net.delayed} delayed over 1 s, ` +
        `${net.reordered} overtaken by a later event, ${kills} SIGKILLs of quote-to-cash`,
    );
    expect(extra).toBeGreaterThan(0);
    expect(net.reordered).toBeGreaterThan(0);
    f.settle('webhooks', {
      deliveries: net.captured.length,
      duplicatesSent: extra,
      reordered: net.reordered,
      kills,
    });
  } finally {
    relaying.on = false;
    await relay;
    // The receiver goes away, so it unsubscribes first: the invoices of the other scenarios are
    // not sent to a proxy that no longer listens.
    for (const source of ['crm', 'billing'] as const) {
      const subs = await l.ok<{ data: { id: string; url: string }[] }>(
        source,
        'GET',
        'webhook-subscriptions',
      );
      for (const sub of subs.data.filter((s) => s.url.startsWith(net.url)))
        await l.call(source, 'DELETE', `webhook-subscriptions/${sub.id}`);
    }
    await net.stop();
  }
}
