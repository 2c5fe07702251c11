import { Landscape } from '../../test/q2c-fixtures';

/**
 * With Q2C_PUBLIC_URL set (as `npm start` sets it), quote-to-cash subscribes itself to the CRM's
 * closed-won and billing's invoice.finalized events once its workflow runtime runs.
 */
describe('quote-to-cash subscribes itself to the systems it listens to (e2e)', () => {
  let l: Landscape;
  const publicUrl = 'http://127.0.0.1:9';
  const loopbackWebhooks = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' };

  beforeAll(async () => {
    l = await Landscape.start(
      { Q2C_PUBLIC_URL: publicUrl },
      { crm: loopbackWebhooks, billing: loopbackWebhooks },
    );
  });
  afterAll(async () => {
    await l.close();
  });

  it('has a subscription at the CRM and at billing, and keeps their secrets', async () => {
    const subscribed = async (app: 'crm' | 'billing'): Promise<string[]> =>
      (
        await l.ok<{ data: { url: string; eventTypes: string[] }[] }>(
          app,
          'GET',
          'webhook-subscriptions',
        )
      ).data
        .filter((s) => s.url === `${publicUrl}/q2c/v1/events/${app}`)
        .flatMap((s) => s.eventTypes);
    const kept = async (): Promise<string[]> =>
      (
        await l.q2c.sql<{ source: string }>('select source from q2c.event_sources order by source')
      ).map((s) => s.source);
    // The subscription is made first, then its secret kept: wait for both.
    const until = Date.now() + 30_000;
    let found: [string[], string[], string[]] = [[], [], []];
    while (Date.now() < until) {
      found = [await subscribed('crm'), await subscribed('billing'), await kept()];
      if (found.every((items) => items.length > 0) && found[2].length === 2) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(found).toEqual([
      ['crm.opportunity.closed_won.v1'],
      ['billing.invoice.finalized.v1'],
      ['billing', 'crm'],
    ]);
  });
});
