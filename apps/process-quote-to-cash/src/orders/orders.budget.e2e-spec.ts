import { http } from '../../../../test/support/test-app';
import { Landscape, type OrderBody } from '../../test/q2c-fixtures';

const BUDGET = 2;

/**
 * The ERP answers 503 (maintenance) and 429 (its rate) for a while: every order completes
 * afterwards, the ERP's breaker in quote-to-cash opened and closed (its metrics say so), and the
 * ERP — by its own counters — never saw more calls at once than quote-to-cash's budget for it.
 */
describe('orders under ERP governance (e2e)', () => {
  let l: Landscape;

  beforeAll(async () => {
    l = await Landscape.start({
      ERP_CONCURRENCY: String(BUDGET),
      ERP_RATE_PER_SECOND: '8',
      ERP_POSTING_CONCURRENCY: String(BUDGET),
      STEP_RETRY_ATTEMPTS: '2',
      STEP_RETRY_INTERVAL_SECONDS: '1',
      OUTAGE_RETRY_SECONDS: '2',
      SYSTEM_API_BREAKER_RESET_SECONDS: '2',
    });
  });
  afterAll(async () => {
    await l.close();
  });

  it('completes every order through a maintenance window and rate limiting, within its budget', async () => {
    const admin = l.erp.token(['erp:admin']);
    const product = await l.product();
    const deals = [];
    for (let i = 0; i < 6; i++) deals.push(await l.closedWonDeal(product));
    // Maintenance until the orders have met it (however slow the machine), then a rate the
    // budget exceeds, with slow calls: 503s, then 429s.
    const governance = (maintenanceUntil: string, ratePerSecond: number) =>
      l.erpApi.ok('PUT', 'sandbox/governance', admin, {
        maintenanceUntil,
        ratePerSecond,
        latencyMs: 150,
      });
    await governance(new Date(Date.now() + 10 * 60_000).toISOString(), 3);
    const orders = await Promise.all(
      deals.map((d) =>
        l.ok<OrderBody>('q2c', 'POST', 'orders', { opportunityId: d.opportunityId }),
      ),
    );
    let maintenance = { rejectedMaintenance: 0, rejectedRate: 0, peakConcurrency: 0 };
    for (let i = 0; i < 600 && maintenance.rejectedMaintenance === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      maintenance = (
        await l.erpApi.ok<{ counters: typeof maintenance }>('GET', 'sandbox/governance', admin)
      ).counters;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    maintenance = (
      await l.erpApi.ok<{ counters: typeof maintenance }>('GET', 'sandbox/governance', admin)
    ).counters;
    // Maintenance over (a PUT starts the counters afresh: the window's are kept above).
    // Then 1 call a second: the orders' waiting ERP calls come faster than that.
    await governance(new Date().toISOString(), 1);
    const done = await Promise.all(
      orders.map((o) => l.waitFor(o.id, (x) => x.status === 'completed', 150)),
    );
    expect(done.every((o) => o.refs.erpInvoiceId !== undefined)).toBe(true);
    const { counters } = await l.erpApi.ok<{
      counters: { peakConcurrency: number; rejectedMaintenance: number; rejectedRate: number };
    }>('GET', 'sandbox/governance', admin);
    expect(counters.peakConcurrency).toBeLessThanOrEqual(BUDGET);
    expect(maintenance.peakConcurrency).toBeLessThanOrEqual(BUDGET);
    expect(maintenance.rejectedMaintenance).toBeGreaterThan(0);
    expect(maintenance.rejectedRate + counters.rejectedRate).toBeGreaterThan(0);
    const metrics = await http<string>('GET', `${l.q2c.url}/metrics`, {
      token: l.q2c.token(['metrics:read']),
    });
    const text = typeof metrics.body === 'string' ? metrics.body : JSON.stringify(metrics.body);
    const count = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? 0);
    expect(
      count(/upstream_breaker_transitions_total\{upstream="erp",to="open"[^}]*\} (\d+)/),
    ).toBeGreaterThan(0);
    expect(
      count(/upstream_breaker_transitions_total\{upstream="erp",to="closed"[^}]*\} (\d+)/),
    ).toBeGreaterThan(0);
    expect(text).toMatch(/upstream_breaker_state\{upstream="erp"[^}]*\} 0/);
    expect(
      count(/upstream_attempts_total\{upstream="erp",outcome="rate_limited"[^}]*\} (\d+)/),
    ).toBeGreaterThan(0);
    await l.erpApi.ok('PUT', 'sandbox/governance', admin, { ratePerSecond: 0, latencyMs: 0 });
  }, 240_000);
});
