import { mkdtempSync, rmSync } from 'node:fs';
import { Client } from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase } from '@revgate/persistence';
import { devToken, type RunningApp, startBuiltApp } from '../../../../test/bench/harness';
import { expectStatus } from '../../../../test/support/api-fixtures';
import { http } from '../../../../test/support/test-app';
import { usageEvent } from '../../test/u2r-fixtures';
import { currentMonth, World } from '../../test/u2r-world';

interface Run {
  status: string;
  total?: number;
  done: number;
  counts: Record<string, number>;
}

/**
 * The app as built, in its own process, killed (SIGKILL) in the middle of a billing run and
 * started again: the run resumes where it was, and every invoice exists once in billing and once
 * in the ERP.
 */
describe('a billing run killed mid-way (built app, e2e)', () => {
  const world = new World();
  let db: { url: string; drop: () => Promise<void> };
  let dataDir: string;
  let app: RunningApp | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    await world.start();
    db = await createScratchDatabase(process.env.DATABASE_URL ?? '', 'revgate_t');
    dataDir = mkdtempSync(join(tmpdir(), 'revgate-u2r-crash-'));
    env = {
      ...world.env(),
      DATABASE_URL: db.url,
      REVGATE_DATA_DIR: dataDir,
      OUTBOX_RELAY_ENABLED: 'false',
      BILLING_RUN_CHUNK: '4',
      ERP_POSTING_CHUNK: '2',
      ERP_CONCURRENCY: '2',
    };
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await world.stop();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes after SIGKILL: no invoice twice, none missing', async () => {
    app = await startBuiltApp('process-usage-to-revenue', env);
    let token = await devToken(app.url);
    const post = (path: string, body: unknown) =>
      http('POST', `${app?.url ?? ''}/u2r/v1/${path}`, { token, body });
    expectStatus(
      await post('meters', {
        code: 'api_calls',
        name: 'API calls',
        aggregation: 'sum',
        unit: 'calls',
      }),
      201,
    );
    const subs = [];
    for (let i = 0; i < 16; i++) subs.push(await world.subscriber(`Crash ${i}`));
    expectStatus(
      await post('usage-events', {
        events: subs.map((s, i) => usageEvent(s.subscriptionId, 'api_calls', String(200 + i))),
      }),
      200,
    );
    // Slow postings, so the kill lands while the run is under way.
    await http('PUT', `${world.erpApp.url}/erp/v1/sandbox/governance`, {
      token: world.erpToken,
      body: { latencyMs: 150 },
    });
    const { period } = currentMonth();
    const started = await post('billing-runs', { period });
    expectStatus(started, 202);
    const id = String(started.body.id);
    const progress = async (): Promise<Run> =>
      (await http<Run>('GET', `${app?.url ?? ''}/u2r/v1/billing-runs/${id}`, { token })).body;
    let before: Run = await progress();
    for (let i = 0; i < 600 && before.counts.posted < 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
      before = await progress();
    }
    expect(before.status).toBe('running');
    expect(before.done).toBeLessThan(16);
    app.child.kill('SIGKILL');
    await new Promise((r) => app?.child.once('exit', r));

    app = await startBuiltApp('process-usage-to-revenue', env);
    token = await devToken(app.url);
    let after = await progress();
    for (let i = 0; i < 1200 && after.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await progress();
    }
    expect(after).toMatchObject({
      status: 'completed',
      total: 16,
      done: 16,
      counts: { posted: 16, failed: 0 },
    });

    const erpInvoices = await http<{ data: { externalId: string }[] }>(
      'GET',
      `${world.erpApp.url}/erp/v1/invoices?legalEntity=US01&limit=200`,
      { token: world.erpToken },
    );
    const posted = erpInvoices.body.data.map((d) => d.externalId);
    expect(new Set(posted).size).toBe(posted.length);
    for (const s of subs) {
      const invoices = await world.invoicesOf(s.subscriptionId);
      expect(invoices).toHaveLength(1);
      expect(posted.filter((x) => x === invoices[0].id)).toHaveLength(1);
    }
    expect(posted).toHaveLength(16);

    // Revenue: each posted invoice has its schedules once — as many as its nonzero ERP lines.
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ invoice_id: string; schedules: number; lines: number }>(
        `select b.invoice_id::text, count(s.id)::int as schedules,
                (select count(*)::int from jsonb_array_elements(b.posting->'lines') l
                  where (l->>'amount')::numeric <> 0) as lines
           from u2r.billed_subscriptions b
           left join u2r.revenue_schedules s on s.invoice_id = b.invoice_id::text
          where b.status = 'posted' group by b.invoice_id, b.posting`,
      );
      expect(rows).toHaveLength(16);
      for (const row of rows) expect(row.schedules).toBe(row.lines);
    } finally {
      await pg.end();
    }
  }, 180_000);
});
