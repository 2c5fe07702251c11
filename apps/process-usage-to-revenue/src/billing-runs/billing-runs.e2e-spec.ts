import { usageChecksum } from '@revgate/canonical';
import { expectStatus } from '../../../../test/support/api-fixtures';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import { U2r, u2rCounts, usageEvent } from '../../test/u2r-fixtures';
import { currentMonth, World } from '../../test/u2r-world';
import { u2rApp } from '../u2r.app';
import { U2rConfig } from '../u2r.config';

interface Run {
  id: string;
  status: string;
  total?: number;
  done: number;
  counts: Record<string, number>;
}

/** Polls a run until it is no longer running. */
async function finished(t: TestApp<U2rConfig>, token: string, id: string): Promise<Run> {
  for (let i = 0; i < 600; i++) {
    const res = await http<Run>('GET', `${t.url}/u2r/v1/billing-runs/${id}`, { token });
    expectStatus(res, 200);
    if (res.body.status !== 'running') return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${id} did not finish`);
}

describe('billing runs (e2e): rate, invoice, post, once', () => {
  const world = new World();
  let t: TestApp<U2rConfig>;
  let u2r: U2r;
  let operate: string;
  let read: string;
  const { period } = currentMonth();
  const subs: { customerId: string; subscriptionId: string }[] = [];
  const sent = new Map<string, { id: string; quantity: string }[]>();

  beforeAll(async () => {
    await world.start();
    t = await startTestApp(u2rApp, world.env());
    u2r = new U2r(t);
    operate = t.token(['u2r:operate', 'u2r:ingest']);
    read = t.token(['u2r:read']);
    await u2r.defineMeter(operate, {
      code: 'api_calls',
      name: 'API calls',
      aggregation: 'sum',
      unit: 'calls',
    });
    for (const name of ['Acme', 'Globex', 'Initech']) subs.push(await world.subscriber(name));
    for (const [i, s] of subs.entries()) {
      const events = Array.from({ length: 5 + i }, (_, k) =>
        usageEvent(s.subscriptionId, 'api_calls', String(100 * (k + 1) + i), {}),
      );
      sent.set(
        s.subscriptionId,
        events.map((e) => ({ id: String(e.id), quantity: String(e.quantity) })),
      );
      const answer = await u2r.ingestOk(operate, events);
      expect(answer.accepted).toBe(events.length);
    }
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await world.stop();
  });

  it('invoices every subscription once with its recurring and usage lines, and posts each invoice to the ERP once', async () => {
    const started = await http<Run>('POST', u2r.url('billing-runs'), {
      token: operate,
      body: { period },
    });
    expectStatus(started, 202);
    expect(started.body.id).toBe(`billing-run:${period}:all`);
    const run = await finished(t, read, started.body.id);
    expect(run).toMatchObject({
      status: 'completed',
      total: 3,
      done: 3,
      counts: { posted: 3, failed: 0 },
    });

    for (const s of subs) {
      const events = sent.get(s.subscriptionId) ?? [];
      const total = events.reduce((sum, e) => sum + Number(e.quantity), 0);
      const invoices = await world.invoicesOf(s.subscriptionId);
      expect(invoices).toHaveLength(1);
      const [invoice] = invoices;
      expect(invoice.status).toBe('finalized');
      const usage = invoice.lines.filter((l) => l.type === 'usage');
      expect(usage.map((l) => Number(l.quantity))).toEqual([total]);
      expect(Number(usage[0].amount)).toBeCloseTo((total - 100) * 0.01, 2);
      expect(invoice.lines.some((l) => l.type === 'subscription')).toBe(true);
      const posted = await world.erpInvoice(invoice.id);
      expectStatus(posted, 200);
      expect(posted.body.total).toBe(invoice.total);

      // rated = the events, provably: the rating's fingerprint is the ledger's events'.
      const [rated] = await t.sql<{
        quantity: string;
        event_count: number;
        checksum: string;
        status: string;
      }>(
        `select trim_scale(quantity)::text as quantity, event_count, checksum, status from u2r.rated_usage
          where period = $1 and subscription_id = $2`,
        [period, s.subscriptionId],
      );
      expect(rated).toEqual({
        quantity: String(total),
        event_count: events.length,
        checksum: usageChecksum(events),
        status: 'billed',
      });
    }
    const rated = await t.sql<{ n: number }>(
      `select count(*)::int as n from u2r.outbox_events where type = 'usage.rated.v1'`,
    );
    expect(rated[0].n).toBe(3);
  });

  it('reconciles the period: ingested = rated = invoiced = posted, no variance', async () => {
    const res = await http<{
      rows: number;
      rowsWithVariances: number;
      lines: {
        subscriptionId: string;
        quantityIngested: string;
        quantityRated: string;
        quantityInvoiced: string;
        postedToErp: boolean;
        variances: unknown[];
      }[];
    }>('GET', `${u2r.url('reconciliation')}?period=${period}`, { token: read });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ rows: 3, rowsWithVariances: 0 });
    for (const line of res.body.lines) {
      const total = String(
        (sent.get(line.subscriptionId) ?? []).reduce((sum, e) => sum + Number(e.quantity), 0),
      );
      expect(line).toMatchObject({
        quantityIngested: total,
        quantityRated: total,
        quantityInvoiced: total,
        postedToErp: true,
        variances: [],
      });
    }
    // A reader limited to legal entities sees the rows of its entities only.
    const rowsFor = async (entities: string[]): Promise<number> => {
      const limited = await http<{ rows: number }>(
        'GET',
        `${u2r.url('reconciliation')}?period=${period}`,
        { token: t.token(['u2r:read'], { legalEntities: entities }) },
      );
      expectStatus(limited, 200);
      return limited.body.rows;
    };
    expect(await rowsFor(['DE01'])).toBe(0);
    expect(await rowsFor(['US01'])).toBe(3);
    expectProblem(
      await http('GET', `${u2r.url('reconciliation')}?period=26-01`, { token: read }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await http('GET', u2r.url('reconciliation'), { token: read }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await http('GET', `${u2r.url('reconciliation')}?period=${period}`, { token: operate }),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
  });

  it('does nothing twice when the same period is run again', async () => {
    const before = await u2rCounts(t);
    const again = await http<Run>('POST', u2r.url('billing-runs'), {
      token: operate,
      body: { period },
    });
    expectStatus(again, 200);
    expect(again.body).toMatchObject({ status: 'completed', done: 3 });
    const other = await http<Run>('POST', u2r.url('billing-runs'), {
      token: operate,
      body: { period, entities: ['US01'] },
    });
    expectStatus(other, 202);
    expect(await finished(t, read, other.body.id)).toMatchObject({ status: 'completed', total: 0 });
    for (const s of subs) expect(await world.invoicesOf(s.subscriptionId)).toHaveLength(1);
    expect((await u2rCounts(t)).outbox_events).toBe(before.outbox_events);
  });

  it('carries usage that arrives after the run into the next period', async () => {
    const late = usageEvent(subs[0].subscriptionId, 'api_calls', '7');
    const answer = await u2r.ingestOk(operate, [late]);
    expect(answer.events[0]).toMatchObject({ fate: 'accepted', disposition: 'carried_forward' });
    expect(answer.events[0].period).not.toBe(period);
    const next = String(answer.events[0].period);
    const res = await http<{ lines: { variances: { cause: string }[] }[] }>(
      'GET',
      `${u2r.url('reconciliation')}?period=${next}`,
      { token: read },
    );
    expect(res.body.lines.map((l) => l.variances.map((v) => v.cause))).toEqual([['not_rated']]);
  });

  it('refuses bad runs with a problem, starting nothing', async () => {
    for (const body of [
      {},
      { period: '2026-13' },
      { period, entities: ['us 01'] },
      { period, extra: 1 },
    ]) {
      const before = await t.sql<{ n: number }>('select count(*)::int as n from u2r.billing_runs');
      expectProblem(
        await http('POST', u2r.url('billing-runs'), { token: operate, body }),
        400,
        'VALIDATION_FAILED',
      );
      expect(await t.sql<{ n: number }>('select count(*)::int as n from u2r.billing_runs')).toEqual(
        before,
      );
    }
    expectProblem(
      await http('POST', u2r.url('billing-runs'), { token: read, body: { period } }),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
    expectProblem(
      await http('GET', u2r.url('billing-runs/nope'), { token: read }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await http('GET', u2r.url('billing-runs/billing-run:2020-01:all'), { token: read }),
      404,
      'U2R_BILLING_RUN_NOT_FOUND',
    );
  });
});
