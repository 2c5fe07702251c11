import { randomUUID } from 'node:crypto';
import { signatureHeader } from '@revgate/events';
import { eventsProbeApp, type ProbeConfig, ReceiverState } from './events-probe.app';
import { expectStatus, Probe, type DeliveryBody } from './events-fixtures';
import {
  expectProblem,
  http,
  type JsonResponse,
  startTestApp,
  type TestApp,
} from '../support/test-app';

const SECRET = 'whsec_inbox_test_secret_0123456789abcdefghijk';

/** An envelope as a producer would send it, with spacing and key order of its own. */
function envelopeText(overrides: Record<string, unknown> = {}): {
  id: string;
  subject: string;
  text: string;
} {
  const id = randomUUID();
  const subject = `thing-${id.slice(0, 8)}`;
  const fields = {
    type: 'probe.thing.created.v1',
    id,
    source: 'revgate/elsewhere',
    subject,
    time: new Date().toISOString(),
    correlationId: `corr-${id.slice(0, 8)}`,
    data: { amount: '12.50' },
    ...overrides,
  };
  // Not what JSON.stringify would write: a re-serialized body would not match its signature.
  return {
    id,
    subject,
    text: `{ "type" : ${JSON.stringify(fields.type)},\n  ${Object.entries(fields)
      .slice(1)
      .map(([k, v]) => `"${k}":  ${JSON.stringify(v)}`)
      .join(' ,\n  ')} }`,
  };
}

describe('consumer inbox (e2e)', () => {
  let t: TestApp<ProbeConfig>;
  let state: ReceiverState;
  let probe: Probe;

  beforeAll(async () => {
    t = await startTestApp(eventsProbeApp, {
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
    state = t.app.get(ReceiverState);
    probe = new Probe(t);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    state.secrets = [SECRET];
    state.waitMs = 10_000;
    state.gate = undefined;
    state.entered = 0;
    state.fail = false;
  });

  const deliver = (
    text: string,
    options: { secrets?: string[]; timestamp?: number; signature?: string } = {},
  ): Promise<JsonResponse<Record<string, unknown>>> =>
    http('POST', probe.url('hooks'), {
      rawBody: text,
      headers:
        options.signature === ''
          ? {}
          : {
              'revgate-signature':
                options.signature ??
                signatureHeader(
                  text,
                  options.secrets ?? [SECRET],
                  options.timestamp ?? Math.floor(Date.now() / 1000),
                ),
            },
    });
  const effects = async (subject: string): Promise<number | undefined> =>
    (
      await t.sql<{ effects: number }>(
        'select effects from events_probe.probe_effects where subject = $1',
        [subject],
      )
    )[0]?.effects;
  const inboxCount = async (): Promise<number> =>
    (await t.sql<{ n: number }>('select count(*)::int as n from events_probe.inbox_events'))[0]
      ?.n ?? 0;

  it('processes a signed event once; a duplicate answers 200 as already processed, with no effect', async () => {
    const event = envelopeText();
    const first = await deliver(event.text);
    expectStatus(first, 200);
    expect(first.body).toEqual({ outcome: 'processed', eventId: event.id });
    const again = await deliver(event.text);
    expectStatus(again, 200);
    expect(again.body).toEqual({ outcome: 'duplicate', eventId: event.id });
    expect(await effects(event.subject)).toBe(1);
    const [row] = await t.sql('select * from events_probe.inbox_events where event_id = $1', [
      event.id,
    ]);
    expect(row).toMatchObject({
      event_id: event.id,
      source: 'revgate/elsewhere',
      type: 'probe.thing.created.v1',
      subject: event.subject,
      correlation_id: `corr-${event.id.slice(0, 8)}`,
    });
    expect(row.processed_at).toBeInstanceOf(Date);
  });

  it('accepts the new or the old secret while a sender rotates', async () => {
    state.secrets = ['whsec_new_one', SECRET];
    const a = envelopeText();
    expectStatus(await deliver(a.text, { secrets: ['whsec_new_one'] }), 200);
    const b = envelopeText();
    expectStatus(await deliver(b.text, { secrets: ['whsec_new_one', SECRET] }), 200);
    const c = envelopeText();
    expectStatus(await deliver(c.text, { secrets: [SECRET] }), 200);
  });

  it('refuses what is not signed right or not an envelope, recording nothing', async () => {
    const before = await inboxCount();
    const event = envelopeText();
    expectProblem(
      await deliver(event.text, { secrets: ['whsec_someone_else'] }),
      400,
      'WEBHOOK_SIGNATURE_MISMATCH',
    );
    expectProblem(await deliver(event.text, { signature: '' }), 400, 'WEBHOOK_SIGNATURE_MISSING');
    expectProblem(
      await deliver(event.text, { signature: 't=1,v1=zz' }),
      400,
      'WEBHOOK_SIGNATURE_MALFORMED',
    );
    expectProblem(
      await deliver(event.text, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      400,
      'WEBHOOK_SIGNATURE_TIMESTAMP_OUT_OF_TOLERANCE',
    );
    const tampered = event.text.replace('12.50', '99.50');
    expectProblem(
      await deliver(tampered, {
        signature: signatureHeader(event.text, [SECRET], Math.floor(Date.now() / 1000)),
      }),
      400,
      'WEBHOOK_SIGNATURE_MISMATCH',
    );
    expectProblem(await deliver('[1, 2]'), 400, 'WEBHOOK_EVENT_MALFORMED');
    expectProblem(
      await deliver(envelopeText({ id: 'not-a-uuid' }).text),
      400,
      'WEBHOOK_EVENT_MALFORMED',
    );
    expectProblem(
      await deliver(envelopeText({ subject: 42 }).text),
      400,
      'WEBHOOK_EVENT_MALFORMED',
    );
    expect(await inboxCount()).toBe(before);
    expect(await effects(event.subject)).toBeUndefined();
  });

  it('records nothing when the handler fails, so the retry has the effect once', async () => {
    const event = envelopeText();
    state.fail = true;
    expectProblem(await deliver(event.text), 500, 'INTERNAL_ERROR');
    expect(await effects(event.subject)).toBeUndefined();
    expect(
      await t.sql('select 1 from events_probe.inbox_events where event_id = $1', [event.id]),
    ).toEqual([]);
    state.fail = false;
    expect((await deliver(event.text)).body).toMatchObject({ outcome: 'processed' });
    expect(await effects(event.subject)).toBe(1);
  });

  /** Resolves once a backend of the test database waits on a lock (the second delivery). */
  async function someoneWaitsOnALock(): Promise<void> {
    for (let i = 0; i < 400; i++) {
      const [row] = await t.sql<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
      );
      if (row.n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('no delivery waits on the event');
  }

  it('makes a concurrent duplicate wait for the first, then answer duplicate: one effect', async () => {
    const event = envelopeText();
    let release!: () => void;
    state.gate = new Promise<void>((resolve) => (release = resolve));
    const first = deliver(event.text);
    while (state.entered === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = deliver(event.text);
    await someoneWaitsOnALock();
    expect(state.entered).toBe(1);
    release();
    const [a, b] = await Promise.all([first, second]);
    expect([a.body.outcome, b.body.outcome]).toEqual(['processed', 'duplicate']);
    expect(state.entered).toBe(1);
    expect(await effects(event.subject)).toBe(1);
  });

  it('refuses a concurrent duplicate that waited too long with 409 and Retry-After; it is a duplicate later', async () => {
    const event = envelopeText();
    state.waitMs = 150;
    let release!: () => void;
    state.gate = new Promise<void>((resolve) => (release = resolve));
    const first = deliver(event.text);
    while (state.entered === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await deliver(event.text);
    const problem = expectProblem(second, 409, 'INBOX_EVENT_IN_PROGRESS');
    expect(problem.detail).toContain(event.id);
    expect(second.headers.get('retry-after')).toBe('1');
    release();
    expect((await first).body.outcome).toBe('processed');
    expect((await deliver(event.text)).body.outcome).toBe('duplicate');
    expect(await effects(event.subject)).toBe(1);
  });

  it('end to end: the relay delivers to the receiver, a replay of the delivery has no second effect', async () => {
    const sub = await probe.subscribe({ url: probe.url('hooks'), eventTypes: ['probe.other.*'] });
    state.secrets = [sub.secret!];
    const [eventId] = await probe.emit('probe.other.happened.v1', {
      subject: `e2e-${randomUUID()}`,
    });
    await probe.relay.runOnce();
    const [delivery] = await probe.deliveries({ eventId: eventId, subscriptionId: sub.id });
    expect(delivery).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
    const [stored] = await t.sql<{ subject: string }>(
      'select subject from events_probe.outbox_events where id = $1',
      [eventId],
    );
    expect(await effects(stored.subject)).toBe(1);

    const replay = await http<DeliveryBody>(
      'POST',
      probe.url(`webhook-deliveries/${delivery.id}/replay`),
      {
        token: probe.manage,
      },
    );
    expectStatus(replay, 201);
    await probe.relay.runOnce();
    const [replayed] = await probe
      .deliveries({ eventId: eventId, status: 'delivered', subscriptionId: sub.id })
      .then((all) => all.filter((d) => d.id === replay.body.id));
    expect(replayed).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
    expect(await effects(stored.subject)).toBe(1);
  });
});
