import { expectStatus, unique } from '../../../../test/support/api-fixtures';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import { U2r, u2rCounts, usageEvent } from '../../test/u2r-fixtures';
import type { EntityManager } from 'typeorm';
import { lockPeriodExclusive } from '../usage-periods/usage-period.locks';
import { u2rApp } from '../u2r.app';
import { U2rConfig } from '../u2r.config';

/** The first day of the month `offset` months from now, as YYYY-MM and an instant in it. */
function month(offset: number): { period: string; at: string } {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 10, 12));
  return { period: d.toISOString().slice(0, 7), at: d.toISOString() };
}

describe('usage events (e2e)', () => {
  let t: TestApp<U2rConfig>;
  let u2r: U2r;
  let ingest: string;
  let operate: string;
  let read: string;
  const sub = 'sub-e2e-1';

  beforeAll(async () => {
    t = await startTestApp(u2rApp);
    u2r = new U2r(t);
    ingest = t.token(['u2r:ingest']);
    operate = t.token(['u2r:operate']);
    read = t.token(['u2r:read']);
    await u2r.defineMeter(operate, {
      code: 'api_calls',
      name: 'API calls',
      aggregation: 'sum',
      unit: 'calls',
    });
    await u2r.defineMeter(operate, {
      code: 'seats_peak',
      name: 'Peak seats',
      aggregation: 'max',
      unit: 'seats',
      latePolicy: 'hold',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives each event its fate: accepted, duplicate in the batch, rejected with the reason', async () => {
    const ok = usageEvent(sub, 'api_calls', '12.50', { properties: { region: 'eu' } });
    const future = usageEvent(sub, 'api_calls', '1', {
      timestamp: new Date(Date.now() + 10 * 60_000).toISOString(),
    });
    const answer = await u2r.ingestOk(ingest, [
      ok,
      { ...ok, quantity: '999' },
      usageEvent(sub, 'api_calls', '-1'),
      usageEvent(sub, 'nope_meter', '1'),
      future,
      { id: 'x', meterCode: 'api_calls', quantity: '1', timestamp: new Date().toISOString() },
      { ...usageEvent(sub, 'api_calls', '1'), colour: 'red' },
      'not an event',
    ]);
    expect(answer).toMatchObject({ accepted: 1, duplicates: 1, rejected: 6, held: 0 });
    const [accepted, dup, negative, meter, ahead, noRef, extra, text] = answer.events;
    expect(accepted).toEqual({
      index: 0,
      id: ok.id,
      fate: 'accepted',
      period: month(0).period,
      disposition: 'on_time',
    });
    expect(dup).toEqual({ index: 1, id: ok.id, fate: 'duplicate', duplicateOf: 'batch' });
    expect(negative.problem).toMatchObject({
      code: 'U2R_EVENT_INVALID',
      pointer: '/events/2/quantity',
    });
    expect(meter.problem).toMatchObject({
      code: 'U2R_METER_UNKNOWN',
      pointer: '/events/3/meterCode',
    });
    expect(ahead.problem).toMatchObject({
      code: 'U2R_EVENT_IN_FUTURE',
      pointer: '/events/4/timestamp',
    });
    expect(noRef.problem).toMatchObject({ pointer: '/events/5/subscriptionId' });
    expect(extra.problem).toMatchObject({ pointer: '/events/6/colour' });
    expect(text).toMatchObject({ index: 7, fate: 'rejected' });

    const stored = await http('GET', u2r.url(`usage-events/${String(ok.id)}`), { token: read });
    expectStatus(stored, 200);
    expect(stored.body).toMatchObject({
      id: ok.id,
      kind: 'usage',
      subscriptionId: sub,
      meterCode: 'api_calls',
      quantity: '12.5',
      period: month(0).period,
      disposition: 'on_time',
      properties: { region: 'eu' },
    });
  });

  it('stores an id once across batches, whatever the second content', async () => {
    const a = [1, 2, 3].map((q) => usageEvent(sub, 'api_calls', String(q)));
    const first = await u2r.ingestOk(ingest, a);
    expect(first.accepted).toBe(3);
    const again = await u2r.ingestOk(ingest, [
      { ...a[0], quantity: '100' },
      a[1],
      usageEvent(sub, 'api_calls', '4'),
    ]);
    expect(again).toMatchObject({ accepted: 1, duplicates: 2 });
    expect(again.events[0]).toMatchObject({ fate: 'duplicate', duplicateOf: 'ledger' });
    const [{ quantity }] = await t.sql<{ quantity: string }>(
      'select quantity::text as quantity from u2r.usage_events where id = $1',
      [a[0].id],
    );
    expect(Number(quantity)).toBe(1);
  });

  it('stores each event once when the same batch is sent twice at once', async () => {
    const batch = Array.from({ length: 300 }, (_, i) => usageEvent(sub, 'api_calls', String(i)));
    const before = (await u2rCounts(t)).usage_events;
    const [x, y] = await Promise.all([u2r.ingestOk(ingest, batch), u2r.ingestOk(ingest, batch)]);
    expect(x.accepted + y.accepted).toBe(300);
    expect(x.duplicates + y.duplicates).toBe(300);
    for (let i = 0; i < 300; i++)
      expect([x.events[i].fate, y.events[i].fate].sort()).toEqual(['accepted', 'duplicate']);
    expect((await u2rCounts(t)).usage_events).toBe(before + 300);
  });

  it('stores what was sent: an id that reads as NULL, escaped properties, offsets, mixed columns', async () => {
    const properties = { note: 'say "hi" \\ {a,b} NULL', emoji: 'né 🚀', n: -1.5e-7, flag: false };
    const odd = [
      usageEvent(sub, 'api_calls', '0.0000000001', { id: 'NULL', properties }),
      usageEvent(sub, 'api_calls', '1', {
        id: 'null',
        timestamp: '2026-02-28T23:30:00.123456789-01:00',
      }),
    ];
    const byCustomer = {
      id: 'by-customer',
      customerId: 'ACME-001',
      meterCode: 'seats_peak',
      quantity: '3',
      timestamp: '2026-03-01T09:00:00+09:00',
    };
    const answer = await u2r.ingestOk(ingest, [...odd, byCustomer]);
    expect(answer.events.map((e) => e.fate)).toEqual(['accepted', 'accepted', 'accepted']);
    const first = await http('GET', u2r.url('usage-events/NULL'), { token: read });
    expect(first.body).toMatchObject({ id: 'NULL', quantity: '0.0000000001', properties });
    const stored = await t.sql(
      `select id, kind, cancels_event_id, subscription_ref, customer_ref, meter_code,
              quantity::text as quantity, occurred_at, period, own_period, disposition, properties
         from u2r.usage_events where id = any($1::text[]) order by id collate "C"`,
      [['NULL', 'null', 'by-customer']],
    );
    const row = { kind: 'usage', cancels_event_id: null, disposition: 'on_time' };
    expect(stored).toEqual([
      {
        ...row,
        id: 'NULL',
        subscription_ref: sub,
        customer_ref: null,
        meter_code: 'api_calls',
        quantity: '0.0000000001',
        occurred_at: new Date(odd[0].timestamp as string),
        period: month(0).period,
        own_period: month(0).period,
        properties,
      },
      {
        ...row,
        id: 'by-customer',
        subscription_ref: null,
        customer_ref: 'ACME-001',
        meter_code: 'seats_peak',
        quantity: '3.0000000000',
        occurred_at: new Date('2026-03-01T00:00:00.000Z'),
        period: '2026-03',
        own_period: '2026-03',
        properties: null,
      },
      {
        ...row,
        id: 'null',
        subscription_ref: sub,
        customer_ref: null,
        meter_code: 'api_calls',
        quantity: '1.0000000000',
        occurred_at: new Date('2026-03-01T00:30:00.123Z'),
        period: '2026-03',
        own_period: '2026-03',
        properties: null,
      },
    ]);
  });

  it('carries late usage forward or holds it, per meter, and reports it; a held event can be released', async () => {
    const last = month(-1);
    const closed = await http('POST', u2r.url(`usage-periods/${last.period}/close`), {
      token: operate,
    });
    expectStatus(closed, 200);
    expect(closed.body).toMatchObject({ period: last.period, status: 'closed' });
    const carried = usageEvent(sub, 'api_calls', '5', { timestamp: last.at });
    const held = usageEvent(sub, 'seats_peak', '7', { timestamp: last.at });
    const answer = await u2r.ingestOk(ingest, [carried, held]);
    expect(answer).toMatchObject({ accepted: 2, carriedForward: 1, held: 1 });
    expect(answer.events[0]).toMatchObject({
      fate: 'accepted',
      period: month(0).period,
      disposition: 'carried_forward',
    });
    expect(answer.events[1]).toMatchObject({
      fate: 'accepted',
      period: last.period,
      disposition: 'held',
    });
    const heldList = await http<{ data: { id: string }[] }>(
      'GET',
      `${u2r.url('usage-events')}?period=${last.period}&disposition=held`,
      { token: read },
    );
    expect(heldList.body.data.map((e) => e.id)).toEqual([held.id]);

    const released = await http('POST', u2r.url(`usage-events/${String(held.id)}/release`), {
      token: operate,
    });
    expectStatus(released, 200);
    expect(released.body).toMatchObject({ disposition: 'held', releasedInto: month(0).period });
    const twice = await http('POST', u2r.url(`usage-events/${String(carried.id)}/release`), {
      token: operate,
    });
    expectProblem(twice, 409, 'U2R_EVENT_NOT_HELD');

    // The reconciliation of the closed period lists the held event as a variance, with its cause.
    const recon = await http<{
      lines: { meterCode: string; eventsHeld: number; variances: { cause: string }[] }[];
    }>('GET', `${u2r.url('reconciliation')}?period=${last.period}`, { token: read });
    expectStatus(recon, 200);
    const seats = recon.body.lines.find((l) => l.meterCode === 'seats_peak');
    expect(seats?.eventsHeld).toBe(1);
    expect(seats?.variances.map((v) => v.cause)).toContain('held_for_review');
  });

  it('waits for a close in progress of its period, then follows the late-usage policy', async () => {
    const closing = month(-2);
    const asSql = { query: (text: string, params?: unknown[]) => t.sql(text, params) };
    await t.sql('begin');
    await lockPeriodExclusive(asSql as unknown as EntityManager, closing.period);
    await t.sql(
      `insert into u2r.usage_periods (period, status, closed_at, closed_by)
       values ($1, 'closed', now(), 'e2e') on conflict (period) do update set status = 'closed'`,
      [closing.period],
    );
    let answered = false;
    const pending = u2r
      .ingestOk(ingest, [usageEvent(sub, 'api_calls', '2', { timestamp: closing.at })])
      .finally(() => (answered = true));
    await new Promise((r) => setTimeout(r, 500));
    expect(answered).toBe(false);
    await t.sql('commit');
    const answer = await pending;
    expect(answer.events[0]).toMatchObject({ fate: 'accepted', disposition: 'carried_forward' });
    expect((answer.events[0].period ?? '') > closing.period).toBe(true);
  });

  it('corrects by cancellation, never by update: once per event, only events in the ledger', async () => {
    const original = usageEvent(sub, 'api_calls', '40');
    await u2r.ingestOk(ingest, [original]);
    const cancel = { id: unique('cancel'), cancels: original.id };
    const answer = await u2r.ingestOk(ingest, [
      cancel,
      { id: unique('cancel'), cancels: original.id },
      { id: unique('cancel'), cancels: 'never-sent' },
      { id: unique('cancel'), cancels: original.id, quantity: '1' },
    ]);
    expect(answer.events.map((e) => e.fate)).toEqual([
      'accepted',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(answer.events[1].problem?.code).toBe('U2R_EVENT_ALREADY_CANCELLED');
    expect(answer.events[2].problem?.code).toBe('U2R_CANCELLED_EVENT_UNKNOWN');
    expect(answer.events[3].problem?.pointer).toBe('/events/3/quantity');
    const stored = await http('GET', u2r.url(`usage-events/${cancel.id}`), { token: read });
    expect(stored.body).toMatchObject({
      kind: 'cancellation',
      cancels: original.id,
      quantity: '40',
      meterCode: 'api_calls',
    });
  });

  it('sums usage to date per meter, without held or cancelled events, for one subscription', async () => {
    const own = unique('sub-summary');
    const kept = [usageEvent(own, 'api_calls', '10.25'), usageEvent(own, 'api_calls', '4.75')];
    const cancelled = usageEvent(own, 'api_calls', '100');
    await u2r.ingestOk(ingest, [...kept, cancelled, usageEvent(own, 'seats_peak', '3')]);
    await u2r.ingestOk(ingest, [{ id: unique('cancel'), cancels: cancelled.id }]);
    await u2r.ingestOk(ingest, [usageEvent(unique('sub-other'), 'api_calls', '7')]);
    const { period } = month(0);
    const summary = await http(
      'GET',
      `${u2r.url(`usage-periods/${period}/summary`)}?subscriptionId=${own}`,
      { token: read },
    );
    expectStatus(summary, 200);
    expect(summary.body).toEqual({
      period,
      subscriptionId: own,
      meters: [
        { meterCode: 'api_calls', events: 2, quantity: '15', held: 0 },
        { meterCode: 'seats_peak', events: 1, quantity: '3', held: 0 },
      ],
    });
    const whole = await http('GET', u2r.url(`usage-periods/${period}/summary`), { token: read });
    expectStatus(whole, 200);
    const calls = (whole.body as { meters: { meterCode: string; events: number }[] }).meters.find(
      (m) => m.meterCode === 'api_calls',
    );
    expect(calls?.events).toBeGreaterThanOrEqual(3);
    expectProblem(
      await http('GET', u2r.url('usage-periods/2026-13/summary'), { token: read }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await http('GET', `${u2r.url(`usage-periods/${period}/summary`)}?subscriptionId=`, {
        token: read,
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await http('GET', u2r.url(`usage-periods/${period}/summary`), { token: ingest }),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
  });

  describe('bad input: a problem, and nothing written', () => {
    const refused = async (
      body: unknown,
      status: number,
      code: string,
      token = ingest,
    ): Promise<Record<string, unknown>> => {
      const before = await u2rCounts(t);
      const res = await http('POST', u2r.url('usage-events'), { token, body });
      const problem = expectProblem(res, status, code);
      expect(await u2rCounts(t)).toEqual(before);
      return problem;
    };

    it('refuses a body that is not a batch', async () => {
      await refused([usageEvent(sub, 'api_calls', '1')], 400, 'VALIDATION_FAILED');
      await refused({ events: 'x' }, 400, 'VALIDATION_FAILED');
      await refused({ events: [], extra: 1 }, 400, 'VALIDATION_FAILED');
      await refused({ events: [] }, 422, 'U2R_BATCH_EMPTY');
    });

    it('refuses more than 1,000 events whole, with 413 and a clear message', async () => {
      const events = Array.from({ length: 1001 }, () => usageEvent(sub, 'api_calls', '1'));
      const problem = await refused({ events }, 413, 'U2R_BATCH_TOO_LARGE');
      expect(problem.detail).toMatch(/at most 1000 events; this one has 1001/);
    });

    it('refuses callers without the ingest scope, and anonymous ones', async () => {
      await refused(
        { events: [usageEvent(sub, 'api_calls', '1')] },
        403,
        'AUTH_INSUFFICIENT_SCOPE',
        read,
      );
      const before = await u2rCounts(t);
      const res = await http('POST', u2r.url('usage-events'), {
        body: { events: [usageEvent(sub, 'api_calls', '1')] },
      });
      expectProblem(res, 401, 'AUTH_TOKEN_MISSING');
      expect(await u2rCounts(t)).toEqual(before);
    });

    it('refuses bad ids, periods and queries on the read and operate routes', async () => {
      expectProblem(
        await http('GET', u2r.url('usage-events/bad%20id'), { token: read }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await http('GET', u2r.url('usage-events/unknown-id'), { token: read }),
        404,
        'U2R_EVENT_NOT_FOUND',
      );
      expectProblem(
        await http('GET', `${u2r.url('usage-events')}?period=2026-13`, { token: read }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await http('GET', u2r.url('usage-events'), { token: read }),
        400,
        'VALIDATION_FAILED',
      );
      const before = await u2rCounts(t);
      expectProblem(
        await http('POST', u2r.url('usage-periods/2026-1/close'), { token: operate }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await http('POST', u2r.url('usage-events/unknown-id/release'), { token: operate }),
        404,
        'U2R_EVENT_NOT_FOUND',
      );
      expectProblem(
        await http('POST', u2r.url('usage-periods/2026-01/close'), { token: read }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expect(await u2rCounts(t)).toEqual(before);
    });
  });
});
