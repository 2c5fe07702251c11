import { Landscape } from '../../apps/process-quote-to-cash/test/q2c-fixtures';
import { World } from '../../apps/process-usage-to-revenue/test/u2r-world';
import type { BillingConfig } from '../../apps/system-billing/src/billing.config';
import type { ErpConfig } from '../../apps/system-erp/src/erp.config';
import type { TestApp } from '../support/test-app';
import { CHAOS_SEED, seededRandom, summaryLine, tally, writeSummary } from './support/chaos';
import { Findings } from './support/invariants';
import { checkSystemOutboxes } from './support/q2c-checks';
import { ErpFaults } from './support/erp-faults';
import { billingRunUnderCrashes } from './scenarios/billing-run-crashes';
import { ordersThroughDatabaseRestart } from './scenarios/database-restart';
import { ordersUnderCrashes } from './scenarios/orders-crashes';
import { LOOPBACK_WEBHOOKS, Resources } from './scenarios/resources';
import { webhooksDuplicatedReorderedDelayed } from './scenarios/webhook-chaos';

/** SIGKILLs per scenario: at least 50 over the suite, as issue 8 asks. */
const KILLS = { orders: 25, billingRun: 20, webhooks: 5 };
const MIN_KILLS = 50;

/** Runs scenarios side by side (they use separate process apps), failing with every failure. */
async function together(...scenarios: Promise<void>[]): Promise<void> {
  const outcomes = await Promise.allSettled(scenarios);
  const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed.length === 1) throw failed[0].reason;
  if (failed.length > 1)
    throw new Error(failed.map((f) => String((f.reason as Error).stack ?? f.reason)).join('\n\n'));
}

/**
 * Chaos (issue 8): the process apps killed with SIGKILL at random moments of their orders and
 * billing runs, the ERP down (503) for 30 s and rate-limiting (429), the database restarted, and
 * webhooks duplicated, reordered and delayed. After each scenario the real systems are read:
 * every order and invoice exists exactly once in each system, the ledgers balance, the outboxes
 * drain, no exception lacks a cause. Scenarios on separate apps run side by side to keep the
 * suite short; the last test prints the totals. CHAOS_SEED=<seed> replays the suite's own random
 * choices (kill moments, delivery copies and delays).
 */
describe('chaos: crashes, outages, a database restart and a bad network (e2e)', () => {
  const r = new Resources();
  // One generator per scenario, so scenarios running side by side draw reproducibly.
  const random = (n: number) => seededRandom(CHAOS_SEED + n);
  let started: Landscape | undefined;
  const land = (): Landscape => {
    if (!started) throw new Error('the landscape did not start');
    return started;
  };
  const world = new World();

  beforeAll(async () => {
    console.log(
      `chaos seed ${CHAOS_SEED} (CHAOS_SEED=${CHAOS_SEED} npx jest test/chaos replays it)`,
    );
    // One after the other: the apps' development issuers do not start side by side in one process.
    started = await Landscape.start(
      { Q2C_IN_PROCESS: 'false' },
      { crm: LOOPBACK_WEBHOOKS, billing: LOOPBACK_WEBHOOKS },
    );
    // Billing and the ERP of usage-to-revenue are the landscape's: a process hosts one app of a
    // kind (their development issuers would clash).
    await world.on(started.billing as TestApp<BillingConfig>, started.erp as TestApp<ErpConfig>);
  }, 180_000);
  afterAll(async () => {
    await r.release();
    await started?.close();
  });

  it('orders and a billing run, their apps SIGKILLed at random moments, through a 30 s ERP outage and a 429 storm', async () => {
    await together(
      ordersUnderCrashes(land(), r, random(1), KILLS.orders),
      billingRunUnderCrashes(world, r, random(2), KILLS.billingRun),
    );
  }, 600_000);

  it('orders through a database restart, and webhooks duplicated, reordered and delayed', async () => {
    // The ERP answers slowly, so the restart and the kills land while orders are under way.
    const l = land();
    const erp = new ErpFaults(l.erp.url, l.erp.token(['erp:admin']));
    await erp.set({ latencyMs: 400 });
    try {
      await together(
        ordersThroughDatabaseRestart(l, r, random(3)),
        webhooksDuplicatedReorderedDelayed(l, r, random(4), KILLS.webhooks),
      );
      // Both over: every system's outbox drains (what the database scenario left to this point).
      const drained = new Findings();
      await checkSystemOutboxes(l, drained);
      drained.settle('outboxesAfterDatabaseAndWebhooks');
    } finally {
      await erp.clear();
    }
  }, 300_000);

  it('survived at least 50 SIGKILLs with no duplicate and no record lost', () => {
    const file = writeSummary();
    console.log(`${summaryLine()}\n(per scenario: ${file})`);
    expect(tally.kills).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(tally.duplicates).toBe(0);
    expect(tally.lost).toBe(0);
  });
});
