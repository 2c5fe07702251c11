import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase, startEmbeddedPostgres } from '@revgate/persistence';
import type { EmbeddedPostgresHandle } from '@revgate/persistence';
import { OutboxRelay } from '@revgate/events';
import { Landscape } from '../../apps/process-quote-to-cash/test/q2c-fixtures';
import { usageEvent } from '../../apps/process-usage-to-revenue/test/u2r-fixtures';
import { currentMonth, World } from '../../apps/process-usage-to-revenue/test/u2r-world';
import { devToken } from '../bench/harness';
import { expectStatus } from '../support/api-fixtures';
import { freePort } from '../support/process-app';
import { http } from '../support/test-app';
import {
  between,
  CHAOS_SEED,
  CrashingApp,
  pollUntil,
  seededRandom,
  sleep,
  summaryLine,
  tally,
  writeSummary,
} from './support/chaos';
import { DeliveryChaos } from './support/delivery-chaos';
import { ErpFaults } from './support/erp-faults';
import {
  checkErpLedger,
  checkProcessOutbox,
  checkSystemOutbox,
  Findings,
  query,
} from './support/invariants';
import { checkOrders, exceptionCodes, Q2cReader } from './support/q2c-checks';

/** SIGKILLs per scenario: at least 50 over the suite, as issue 8 asks. */
const KILLS = { orders: 30, billingRun: 15, webhooks: 5 };
const MIN_KILLS = 50;
const LOOPBACK_WEBHOOKS = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' };
/** Quote-to-cash retries fast here, so outages and kills are waited out within the test. */
const Q2C_FAST = {
  STEP_RETRY_ATTEMPTS: '3',
  STEP_RETRY_INTERVAL_SECONDS: '1',
  OUTAGE_RETRY_SECONDS: '2',
  SYSTEM_API_BREAKER_RESET_SECONDS: '2',
  OUTBOX_RELAY_POLL_MS: '250',
};

/**
 * Chaos (issue 8): the process apps killed with SIGKILL at random moments of their orders and
 * billing runs, the ERP down (503) for 30 s and rate-limiting (429), the database restarted, and
 * webhooks duplicated, reordered and delayed. After each scenario the real systems are read:
 * every order and invoice exists exactly once in each system, the ledgers balance, the outboxes
 * drain, no exception lacks a cause. The last test prints the totals; CHAOS_SEED replays the
 * suite's random choices.
 */
describe('chaos: crashes, outages, a database restart and a bad network (e2e)', () => {
  const random = seededRandom(CHAOS_SEED);
  const scratch: { drop: () => Promise<void> }[] = [];
  const folders: string[] = [];
  const running: CrashingApp[] = [];
  const folder = (name: string): string => {
    const dir = mkdtempSync(join(tmpdir(), `revgate-chaos-${name}-`));
    folders.push(dir);
    return dir;
  };
  const database = async (): Promise<string> => {
    const db = await createScratchDatabase(process.env.DATABASE_URL ?? '', 'revgate_t');
    scratch.push(db);
    return db.url;
  };
  const launch = async (name: string, env: Record<string, string>): Promise<CrashingApp> => {
    const app = await new CrashingApp(name, env).start();
    running.push(app);
    return app;
  };

  beforeAll(() => {
    console.log(
      `chaos seed ${CHAOS_SEED} (CHAOS_SEED=${CHAOS_SEED} npx jest test/chaos replays it)`,
    );
  });
  afterAll(async () => {
    for (const app of running) await app.stop();
    for (const db of scratch) await db.drop();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  describe('quote to cash', () => {
    let l: Landscape;

    beforeAll(async () => {
      l = await Landscape.start(
        { Q2C_IN_PROCESS: 'false' },
        { crm: LOOPBACK_WEBHOOKS, billing: LOOPBACK_WEBHOOKS },
      );
    }, 120_000);
    afterAll(async () => {
      await l.close();
    });

    /** A product sold across the systems, mapped in this quote-to-cash. */
    const mappedProduct = async (q2c: Q2cReader) => {
      const product = await l.product({ mapped: false });
      const res = await q2c.call('POST', 'product-mappings', {
        crmProductId: product.crmProductId,
        currency: 'USD',
        billingPriceId: product.priceId,
        erpItemCode: product.erpItem,
      });
      expectStatus(res, 201);
      return product;
    };
    const startOrder = async (q2c: Q2cReader, opportunityId: string): Promise<void> => {
      const res = await q2c.call('POST', 'orders', { opportunityId });
      expectStatus(res, 202);
    };

    it('1. orders: SIGKILLs at random moments, a 30 s ERP outage (503) and a 429 storm', async () => {
      const dbUrl = await database();
      const app = await launch('process-quote-to-cash', {
        ...l.systemsEnv(),
        ...Q2C_FAST,
        DATABASE_URL: dbUrl,
        REVGATE_DATA_DIR: folder('q2c'),
        INVOICE_EVENT_WAIT_SECONDS: '0',
      });
      const q2c = new Q2cReader(() => app.url);
      const product = await mappedProduct(q2c);
      const erp = new ErpFaults(l.erp.url, l.erp.token(['erp:admin']));
      // Every ERP call takes a while, so the kills land in the middle of the orders.
      await erp.set({ latencyMs: 800 });
      const deals = [];
      for (let i = 0; i < 4; i++) deals.push(await l.closedWonDeal(product));
      for (const deal of deals) await startOrder(q2c, deal.opportunityId);

      let outageEnds = 0;
      let stormEnds = 0;
      let phase: 'before' | 'outage' | 'storm' | 'after' = 'before';
      for (let k = 0; k < KILLS.orders; k++) {
        // Every other kill a new order starts first, so there is always work in flight to cut.
        if (k % 2 === 1) {
          const deal = await l.closedWonDeal(product);
          deals.push(deal);
          await startOrder(q2c, deal.opportunityId);
        }
        if (phase === 'before' && k === 3) {
          outageEnds = Date.now() + 30_000;
          await erp.set({ latencyMs: 800, maintenanceUntil: new Date(outageEnds).toISOString() });
          tally.faults += 1;
          phase = 'outage';
        } else if (phase === 'outage' && Date.now() > outageEnds) {
          // Past the window the ERP takes one call a second: the orders' waiting calls meet 429s.
          stormEnds = Date.now() + 10_000;
          await erp.set({ latencyMs: 100, ratePerSecond: 1 });
          tally.faults += 1;
          phase = 'storm';
        } else if (phase === 'storm' && Date.now() > stormEnds) {
          await erp.set({ latencyMs: 800 });
          phase = 'after';
        }
        await sleep(between(random, 300, 1800));
        await app.crash();
      }
      // However fast the kills went, the outage and the storm both happened in full.
      if (phase === 'outage') {
        await sleep(Math.max(0, outageEnds - Date.now()));
        await erp.set({ latencyMs: 100, ratePerSecond: 1 });
        tally.faults += 1;
        await sleep(10_000);
      } else if (phase === 'storm') await sleep(Math.max(0, stormEnds - Date.now()));
      const refused = await erp.clear();

      const f = await checkOrders(l, q2c, dbUrl, deals, 150);
      const exceptions = await exceptionCodes(dbUrl);
      console.log(
        `chaos 1 (orders): ${deals.length} orders, ${KILLS.orders} SIGKILLs, ERP refused ` +
          `${refused.maintenance} calls in maintenance (503) and ${refused.rate} over its rate (429); ` +
          `exceptions raised on the way: ${JSON.stringify(exceptions)}`,
      );
      expect(refused.maintenance).toBeGreaterThan(0);
      expect(refused.rate).toBeGreaterThan(0);
      f.settle('orders', {
        orders: deals.length,
        kills: KILLS.orders,
        erp503: refused.maintenance,
        erp429: refused.rate,
      });
    }, 420_000);

    it('3. orders: the database restarted in the middle of the run', async () => {
      // A real restart: quote-to-cash's database is an embedded PostgreSQL of this test's own
      // (the machine's server cannot be restarted by a test), stopped and started again while
      // orders are under way; quote-to-cash is not restarted.
      const port = await freePort();
      const pgDir = folder('pg');
      const startPg = (): Promise<EmbeddedPostgresHandle> =>
        startEmbeddedPostgres({ dataDir: pgDir, port, database: 'revgate_chaos_q2c' });
      let pg = await startPg();
      try {
        const app = await launch('process-quote-to-cash', {
          ...l.systemsEnv(),
          ...Q2C_FAST,
          DATABASE_URL: pg.url,
          REVGATE_DATA_DIR: folder('q2c-pg'),
          INVOICE_EVENT_WAIT_SECONDS: '0',
        });
        const q2c = new Q2cReader(() => app.url);
        const product = await mappedProduct(q2c);
        const erp = new ErpFaults(l.erp.url, l.erp.token(['erp:admin']));
        await erp.set({ latencyMs: 500 });
        const deals = [];
        for (let i = 0; i < 6; i++) deals.push(await l.closedWonDeal(product));
        for (const deal of deals) await startOrder(q2c, deal.opportunityId);
        await sleep(between(random, 1000, 3000));
        await pg.stop();
        tally.faults += 1;
        const downMs = between(random, 2000, 4000);
        await sleep(downMs);
        pg = await startPg();
        await erp.clear();
        const f = await checkOrders(l, q2c, pg.url, deals, 150);
        if (!app.alive()) f.broken('quote-to-cash exited when its database restarted');
        console.log(
          `chaos 3 (database restart): ${deals.length} orders, PostgreSQL down ${downMs} ms ` +
            `mid-run, quote-to-cash ${app.alive() ? 'stayed up' : 'exited'}`,
        );
        f.settle('databaseRestart', { orders: deals.length, downMs });
        await app.stop();
      } finally {
        await pg.stop();
      }
    }, 300_000);

    it('4. webhooks: closed-won and invoice.finalized duplicated, reordered and delayed', async () => {
      let app: CrashingApp | undefined;
      const net = new DeliveryChaos(() => app?.url ?? '', random);
      await net.start();
      // The systems reach quote-to-cash through the bad network: it subscribes at that URL.
      const dbUrl = await database();
      app = await launch('process-quote-to-cash', {
        ...l.systemsEnv(),
        ...Q2C_FAST,
        DATABASE_URL: dbUrl,
        REVGATE_DATA_DIR: folder('q2c-hooks'),
        Q2C_PUBLIC_URL: net.url,
        // Orders wait for billing's invoice.finalized event (no read before 2 minutes).
        INVOICE_EVENT_WAIT_SECONDS: '120',
      });
      const q2c = new Q2cReader(() => app?.url ?? '');
      const product = await mappedProduct(q2c);
      // The systems' relays, as their timers would run them.
      let relaying = true;
      const relay = (async () => {
        while (relaying) {
          await l.crm.app.get(OutboxRelay).runOnce();
          await l.billing.app.get(OutboxRelay).runOnce();
          await sleep(200);
        }
      })();
      try {
        const deals = [];
        for (let i = 0; i < 6; i++) {
          const deal = await l.closedWonDeal(product, { close: false });
          await l.closeWon(deal.opportunityId);
          deals.push(deal);
        }
        for (let k = 0; k < KILLS.webhooks; k++) {
          await sleep(between(random, 500, 2500));
          await app.crash();
        }
        const f = new Findings();
        const views = await Promise.all(
          deals.map((d) =>
            pollUntil(
              () => q2c.ordersOf(d.opportunityId).catch(() => []),
              (o) => o.length > 0 && o.every((x) => x.status === 'completed'),
              90,
            ),
          ),
        );
        for (const orders of views)
          for (const o of orders)
            if (
              !/confirmed by billing's event/.test(
                o.steps.find((s) => s.name === 'await_invoice_finalized')?.detail ?? '',
              )
            )
              f.broken(`order ${o.id} did not complete on billing's event`);
        // Everything once more, late: no second effect.
        net.replayAll();
        await net.idle();
        const all = await checkOrders(l, q2c, dbUrl, deals, 30);
        f.problems.push(...all.problems);
        f.duplicates += all.duplicates;
        f.lost += all.lost;
        for (const c of net.captured) {
          const outcomes = net.outcomes.get(c.eventId) ?? [];
          const processed = outcomes.filter((o) => o === 'processed').length;
          f.once(processed, `${c.eventType} ${c.eventId} processed by quote-to-cash`);
        }
        for (const r of net.refused) f.broken(`delivery refused: ${r}`);
        const types = new Set(net.captured.map((c) => c.eventType));
        expect([...types].sort()).toEqual([
          'billing.invoice.finalized.v1',
          'crm.opportunity.closed_won.v1',
        ]);
        const extra = net.copiesSent - new Set(net.captured.map((c) => c.eventId)).size;
        tally.faults += extra + net.reordered;
        console.log(
          `chaos 4 (webhooks): ${net.captured.length} signed deliveries caught, ${net.copiesSent} ` +
            `copies taken by quote-to-cash (${extra} duplicates), ${net.delayed} delayed > 1 s, ` +
            `${net.reordered} overtaken, ${KILLS.webhooks} SIGKILLs`,
        );
        expect(extra).toBeGreaterThan(0);
        expect(net.reordered).toBeGreaterThan(0);
        f.settle('webhooks', {
          deliveries: net.captured.length,
          duplicatesSent: extra,
          reordered: net.reordered,
          kills: KILLS.webhooks,
        });
      } finally {
        relaying = false;
        await relay;
        await net.stop();
      }
    }, 300_000);
  });

  describe('usage to revenue', () => {
    const world = new World();

    beforeAll(async () => {
      await world.start();
    }, 120_000);
    afterAll(async () => {
      await world.stop();
    });

    it('2. a billing run: SIGKILLs at random moments', async () => {
      const dbUrl = await database();
      const app = await launch('process-usage-to-revenue', {
        ...world.env(),
        DATABASE_URL: dbUrl,
        REVGATE_DATA_DIR: folder('u2r'),
        OUTBOX_RELAY_POLL_MS: '250',
        BILLING_RUN_CHUNK: '4',
        ERP_POSTING_CHUNK: '2',
        ERP_CONCURRENCY: '2',
      });
      const u2r = async <T>(method: string, path: string, body?: unknown) =>
        http<T>(method, `${app.url}/u2r/v1/${path}`, { token: await devToken(app.url), body });
      expectStatus(
        await u2r('POST', 'meters', {
          code: 'api_calls',
          name: 'API calls',
          aggregation: 'sum',
          unit: 'calls',
        }),
        201,
      );
      const subs = [];
      for (let i = 0; i < 24; i++) subs.push(await world.subscriber(`Chaos ${i}`));
      // Usage: three events per subscription, then the same batch again (all duplicates).
      const events = subs.flatMap((s) =>
        [0, 1, 2].map(() =>
          usageEvent(s.subscriptionId, 'api_calls', String(between(random, 1, 400))),
        ),
      );
      const sent = new Map<string, number>();
      for (const e of events)
        sent.set(
          String(e.subscriptionId),
          (sent.get(String(e.subscriptionId)) ?? 0) + Number(e.quantity),
        );
      const first = await u2r<{ accepted: number }>('POST', 'usage-events', { events });
      expectStatus(first, 200);
      expect(first.body.accepted).toBe(events.length);
      const again = await u2r<{ duplicates: number }>('POST', 'usage-events', { events });
      expectStatus(again, 200);
      expect(again.body.duplicates).toBe(events.length);

      const erp = new ErpFaults(world.erpApp.url, world.erpToken);
      await erp.set({ latencyMs: 400 });
      const { period } = currentMonth();
      const started = await u2r<{ id: string }>('POST', 'billing-runs', { period });
      expectStatus(started, 202);
      const runId = started.body.id;
      type Run = { status: string; done: number; total?: number; counts: Record<string, number> };
      const progress = async (): Promise<Run | undefined> => {
        try {
          return (await u2r<Run>('GET', `billing-runs/${encodeURIComponent(runId)}`)).body;
        } catch {
          return undefined;
        }
      };
      let killedRunning = 0;
      for (let k = 0; k < KILLS.billingRun; k++) {
        await sleep(between(random, 300, 1500));
        if ((await progress())?.status === 'running') killedRunning += 1;
        await app.crash();
      }
      await erp.clear();
      const run = await pollUntil(progress, (r) => r !== undefined && r.status !== 'running', 120);

      const f = new Findings();
      if (run?.status !== 'completed' || run.counts.posted !== subs.length || run.counts.failed)
        f.broken(`billing run ended ${JSON.stringify(run)}`);
      const recon = await u2r<{
        rowsWithVariances: number;
        lines: {
          subscriptionId?: string;
          quantityIngested: string;
          quantityRated?: string;
          quantityInvoiced?: string;
          postedToErp: boolean;
          variances: { cause: string }[];
        }[];
      }>('GET', `reconciliation?period=${period}`);
      expectStatus(recon, 200);
      if (recon.body.rowsWithVariances !== 0)
        f.broken(`reconciliation: ${recon.body.rowsWithVariances} row(s) with variances`);
      for (const s of subs) {
        const invoices = await world.invoicesOf(s.subscriptionId);
        f.once(invoices.length, `invoice of subscription ${s.subscriptionId}`);
        for (const invoice of invoices) {
          const [ar] = await world.erpApp.sql<{ n: number }>(
            'select count(*)::int as n from erp.ar_documents where external_id = $1',
            [invoice.id],
          );
          f.once(ar.n, `ERP posting of invoice ${invoice.id}`);
        }
        const line = recon.body.lines.find((r) => r.subscriptionId === s.subscriptionId);
        const ingested = String(sent.get(s.subscriptionId));
        if (!line) f.missing(`usage of subscription ${s.subscriptionId} in the reconciliation`);
        else if (
          Number(line.quantityIngested) !== Number(ingested) ||
          Number(line.quantityRated) !== Number(ingested) ||
          Number(line.quantityInvoiced) !== Number(ingested) ||
          !line.postedToErp
        )
          f.broken(`subscription ${s.subscriptionId}: sent ${ingested}, ${JSON.stringify(line)}`);
      }
      const failed = await query<{ subscription_id: string; problem: unknown }>(
        dbUrl,
        "select subscription_id, problem from u2r.billed_subscriptions where status <> 'posted'",
      );
      for (const row of failed) f.broken(`billed subscription not posted: ${JSON.stringify(row)}`);
      await checkErpLedger(world.erpApp, f);
      await checkSystemOutbox(world.billing, 'billing', f);
      await checkSystemOutbox(world.erpApp, 'erp', f);
      await checkProcessOutbox(dbUrl, 'u2r', f);
      console.log(
        `chaos 2 (billing run): ${subs.length} subscriptions, ${events.length} usage events sent ` +
          `twice, ${KILLS.billingRun} SIGKILLs (${killedRunning} while the run was running)`,
      );
      expect(killedRunning).toBeGreaterThan(0);
      f.settle('billingRun', {
        subscriptions: subs.length,
        kills: KILLS.billingRun,
        killedWhileRunning: killedRunning,
      });
    }, 300_000);
  });

  it('survived at least 50 SIGKILLs with no duplicate and no record lost', () => {
    const file = writeSummary();
    console.log(`${summaryLine()}\n(details: ${file})`);
    expect(tally.kills).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(tally.duplicates).toBe(0);
    expect(tally.lost).toBe(0);
  });
});
