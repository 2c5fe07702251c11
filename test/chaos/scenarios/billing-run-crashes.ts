import { usageEvent } from '../../../apps/process-usage-to-revenue/test/u2r-fixtures';
import type { World } from '../../../apps/process-usage-to-revenue/test/u2r-world';
import { devToken } from '../../bench/harness';
import { expectStatus } from '../../support/api-fixtures';
import { http } from '../../support/test-app';
import { between, pollUntil, sleep } from '../support/chaos';
import {
  checkErpLedger,
  checkProcessOutbox,
  checkSystemOutbox,
  Findings,
  query,
} from '../support/invariants';
import type { Resources } from './resources';

interface Run {
  status: string;
  done: number;
  total?: number;
  counts: Record<string, number>;
}

interface Reconciliation {
  rowsWithVariances: number;
  lines: {
    subscriptionId?: string;
    quantityIngested: string;
    quantityRated?: string;
    quantityInvoiced?: string;
    postedToErp: boolean;
  }[];
}

/**
 * Usage-to-revenue in a process of its own, killed (SIGKILL) `kills` times at random moments of
 * a billing run, the usage sent twice. It posts to the ERP of the orders scenario, which runs at
 * the same time: slow, then down for maintenance, then rate-limiting, so the run spans the kills
 * and meets the ERP's 503s and 429s too. Then: the run
 * completed, each subscription was invoiced once and each invoice posted to the ERP once, the
 * quantity ingested = rated = invoiced for every subscription (the reconciliation, with no
 * variance), the ERP's books balance and the outboxes drained.
 */
export async function billingRunUnderCrashes(
  world: World,
  r: Resources,
  random: () => number,
  kills: number,
): Promise<void> {
  const dbUrl = await r.database();
  const app = await r.launch('process-usage-to-revenue', {
    ...world.env(),
    DATABASE_URL: dbUrl,
    REVGATE_DATA_DIR: r.folder('u2r'),
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
  // Last month's run: the orders of the other scenarios start this month, so it leaves them be.
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const period = from.toISOString().slice(0, 7);
  const subs = [];
  for (let i = 0; i < 24; i++)
    subs.push(await world.subscriber(`Chaos ${i}`, from.toISOString().slice(0, 10)));
  const timestamp = new Date(from.getTime() + 12 * 3600_000).toISOString();
  // Three events per subscription, then the same batch again: every copy a duplicate.
  const events = subs.flatMap((s) =>
    [0, 1, 2].map(() =>
      usageEvent(s.subscriptionId, 'api_calls', String(between(random, 1, 400)), { timestamp }),
    ),
  );
  const sent = new Map<string, number>();
  for (const e of events) {
    const id = String(e.subscriptionId);
    sent.set(id, (sent.get(id) ?? 0) + Number(e.quantity));
  }
  const first = await u2r<{ accepted: number }>('POST', 'usage-events', { events });
  expectStatus(first, 200);
  expect(first.body.accepted).toBe(events.length);
  const again = await u2r<{ duplicates: number }>('POST', 'usage-events', { events });
  expectStatus(again, 200);
  expect(again.body.duplicates).toBe(events.length);

  const started = await u2r<{ id: string }>('POST', 'billing-runs', { period });
  expectStatus(started, 202);
  const progress = async (): Promise<Run | undefined> => {
    try {
      const res = await u2r<Run>('GET', `billing-runs/${encodeURIComponent(started.body.id)}`);
      return res.status === 200 ? res.body : undefined;
    } catch {
      return undefined; // between a kill and the restart
    }
  };
  let killedRunning = 0;
  for (let k = 0; k < kills; k++) {
    await sleep(between(random, 200, 1200));
    if ((await progress())?.status === 'running') killedRunning += 1;
    await app.crash();
  }
  const run = await pollUntil(progress, (x) => x !== undefined && x.status !== 'running', 120);

  const f = new Findings();
  if (run?.status !== 'completed' || run.counts.posted !== subs.length || run.counts.failed)
    f.broken(`billing run ended ${JSON.stringify(run)}`);
  const recon = await u2r<Reconciliation>('GET', `reconciliation?period=${period}`);
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
    const line = recon.body.lines.find((x) => x.subscriptionId === s.subscriptionId);
    const ingested = sent.get(s.subscriptionId) ?? 0;
    if (!line) f.missing(`usage of subscription ${s.subscriptionId} in the reconciliation`);
    else if (
      [line.quantityIngested, line.quantityRated, line.quantityInvoiced].some(
        (q) => Number(q) !== ingested,
      ) ||
      !line.postedToErp
    )
      f.broken(`subscription ${s.subscriptionId}: sent ${ingested}, ${JSON.stringify(line)}`);
  }
  const unposted = await query<{ subscription_id: string; status: string; problem: unknown }>(
    dbUrl,
    "select subscription_id, status, problem from u2r.billed_subscriptions where status <> 'posted'",
  );
  for (const row of unposted) f.broken(`billed subscription not posted: ${JSON.stringify(row)}`);
  await checkErpLedger(world.erpApp, f);
  await checkSystemOutbox(world.billing, 'billing', f);
  await checkSystemOutbox(world.erpApp, 'erp', f);
  await checkProcessOutbox(dbUrl, 'u2r', f);
  console.log(
    `chaos, billing run: ${subs.length} subscriptions, ${events.length} usage events sent twice, ` +
      `${kills} SIGKILLs of usage-to-revenue (${killedRunning} while the run was running)`,
  );
  expect(killedRunning).toBeGreaterThan(0);
  f.settle('billingRun', { subscriptions: subs.length, kills, killedWhileRunning: killedRunning });
}
