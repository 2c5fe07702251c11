import { expectStatus } from '../../../../test/support/api-fixtures';
import { http, startTestApp, TestApp } from '../../../../test/support/test-app';
import { U2r, usageEvent } from '../../test/u2r-fixtures';
import { currentMonth, World } from '../../test/u2r-world';
import { u2rApp } from '../u2r.app';
import { U2rConfig } from '../u2r.config';

interface Governance {
  counters: {
    peakConcurrency: number;
    rejectedRate: number;
    rejectedConcurrency: number;
    calls: number;
  };
}

describe('billing runs under the ERP budget (e2e)', () => {
  const world = new World();
  let t: TestApp<U2rConfig>;

  beforeAll(async () => {
    await world.start();
    t = await startTestApp(u2rApp, {
      ...world.env(),
      ERP_CONCURRENCY: '2',
      ERP_POSTING_CHUNK: '3',
    });
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await world.stop();
  });

  it('completes while the ERP answers 429, and the ERP never sees more calls at once than the budget', async () => {
    const u2r = new U2r(t);
    const operate = t.token(['u2r:operate', 'u2r:ingest', 'u2r:read']);
    await u2r.defineMeter(operate, {
      code: 'api_calls',
      name: 'API calls',
      aggregation: 'sum',
      unit: 'calls',
    });
    const subs = [];
    for (let i = 0; i < 12; i++) subs.push(await world.subscriber(`Budget ${i}`));
    await u2r.ingestOk(
      operate,
      subs.map((s) => usageEvent(s.subscriptionId, 'api_calls', '250')),
    );
    // The ERP takes 2 calls at once and 2 a second (slow enough that even a loaded machine goes past
    // it): past that, 429 with Retry-After.
    const governance = await http('PUT', `${world.erpApp.url}/erp/v1/sandbox/governance`, {
      token: world.erpToken,
      body: { concurrencyLimit: 2, ratePerSecond: 2, latencyMs: 20 },
    });
    expectStatus(governance, 200);

    const { period } = currentMonth();
    const started = await http<{ id: string }>('POST', u2r.url('billing-runs'), {
      token: operate,
      body: { period },
    });
    expectStatus(started, 202);
    let run: { status: string; counts: Record<string, number> } | undefined;
    for (let i = 0; i < 600; i++) {
      run = (
        await http<{ status: string; counts: Record<string, number> }>(
          'GET',
          u2r.url(`billing-runs/${started.body.id}`),
          { token: operate },
        )
      ).body;
      if (run.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(run).toMatchObject({ status: 'completed', counts: { posted: 12, failed: 0 } });

    const seen = await http<Governance>('GET', `${world.erpApp.url}/erp/v1/sandbox/governance`, {
      token: world.erpToken,
    });
    expect(seen.body.counters.rejectedRate).toBeGreaterThan(0);
    expect(seen.body.counters.rejectedConcurrency).toBe(0);
    expect(seen.body.counters.peakConcurrency).toBeLessThanOrEqual(2);
    await http('PUT', `${world.erpApp.url}/erp/v1/sandbox/governance`, {
      token: world.erpToken,
      body: { concurrencyLimit: 0, ratePerSecond: 0, latencyMs: 0 },
    });
    for (const s of subs) {
      const [invoice] = await world.invoicesOf(s.subscriptionId);
      expectStatus(await world.erpInvoice(invoice.id), 200);
    }
  }, 120_000);
});
