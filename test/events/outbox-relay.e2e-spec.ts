import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LookupAddress } from 'node:dns';
import {
  AxiosWebhookSender,
  OutboxRelay,
  SsrfGuard,
  verifyWebhookSignature,
  WebhookSignatureError,
} from '@revgate/events';
import { createApp, loadConfig } from '@revgate/platform';
import { eventsProbeApp, ProbeConfig } from './events-probe.app';
import {
  countRows,
  type DeliveryBody,
  EVENTS_TABLES,
  expectStatus,
  Probe,
  type SubscriptionBody,
} from './events-fixtures';
import { Receiver } from './receiver';
import { expectProblem, http, startTestApp, type TestApp } from '../support/test-app';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

const RELAY_ENV = {
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_TIMEOUT_MS: '400',
  WEBHOOK_MAX_ATTEMPTS: '4',
  WEBHOOK_REPLAY_MAX_EVENTS: '40',
  OUTBOX_RELAY_BATCH_SIZE: '25',
};

/** A second instance of the app on the same database (and the same secrets key), as in production. */
async function secondInstance(
  t: TestApp<ProbeConfig>,
  env: Record<string, string> = {},
): Promise<NestFastifyApplication> {
  const config = loadConfig(ProbeConfig, {
    DATABASE_URL: t.config.DATABASE_URL,
    REVGATE_DATA_DIR: t.config.REVGATE_DATA_DIR,
    LOG_LEVEL: 'silent',
    OUTBOX_RELAY_ENABLED: 'false',
    ...RELAY_ENV,
    ...env,
  });
  const app = await createApp(eventsProbeApp, config);
  await app.init();
  return app;
}

function signedWith(
  received: { body: Buffer; headers: Record<string, unknown> },
  secret: string,
  now: Date,
): boolean {
  try {
    verifyWebhookSignature(
      received.body,
      received.headers['revgate-signature'] as string,
      [secret],
      300,
      now,
    );
    return true;
  } catch (e) {
    if (e instanceof WebhookSignatureError) return false;
    throw e;
  }
}

describe('outbox relay and webhook deliveries (e2e)', () => {
  let t: TestApp<ProbeConfig>;
  let probe: Probe;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startTestApp(eventsProbeApp, RELAY_ENV);
    probe = new Probe(t);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    receiver = await Receiver.start();
  });
  afterEach(async () => {
    await receiver.close();
    // Each test's subscriptions stop receiving, so the next test's cycles only see its own.
    await t.sql('update events_probe.webhook_subscriptions set enabled = false');
  });

  const deliveryOf = async (eventId: string, subscriptionId: string): Promise<DeliveryBody> => {
    const found = await probe.deliveries({ eventId, subscriptionId });
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('fans each event out to the subscriptions that want it, signed with each one’s secret', async () => {
    const things = await probe.subscribe({ url: receiver.url, eventTypes: ['probe.thing.*'] });
    const other = await probe.subscribe({
      url: `${receiver.url}?other`,
      eventTypes: ['probe.other.happened.v1'],
    });
    const disabled = await probe.subscribe({
      url: `${receiver.url}?disabled`,
      eventTypes: ['*'],
      enabled: false,
    });
    const deletedOnly = await probe.subscribe({
      url: `${receiver.url}?deleted`,
      eventTypes: ['probe.thing.deleted.v1'],
    });
    const [created1, created2] = await probe.emit('probe.thing.created.v1', { count: 2 });
    const [happened] = await probe.emit('probe.other.happened.v1');
    const late = await probe.subscribe({ url: `${receiver.url}?late`, eventTypes: ['*'] });
    const now = new Date();

    const stats = await probe.relay.runOnce({ now });
    expect(stats).toEqual({ events: 3, deliveriesCreated: 3, delivered: 3, failed: 0, dead: 0 });

    expect(receiver.received.map((r) => r.url).sort()).toEqual([
      '/hooks',
      '/hooks',
      '/hooks?other',
    ]);
    for (const id of [created1, created2]) {
      const [got] = receiver.forEvent(id);
      expect(got.url).toBe('/hooks');
      expect(signedWith(got, things.secret!, now)).toBe(true);
      expect(signedWith(got, other.secret!, now)).toBe(false);
    }
    const [otherGot] = receiver.forEvent(happened);
    expect(signedWith(otherGot, other.secret!, now)).toBe(true);
    for (const s of [disabled, deletedOnly, late])
      expect(await probe.deliveries({ subscriptionId: s.id })).toEqual([]);

    // The body is the stored envelope; the headers name the event, its type and its correlation id.
    const [stored] = await t.sql<{
      envelope: { id: string; correlationId: string };
      published_at: Date;
    }>('select envelope, published_at from events_probe.outbox_events where id = $1', [created1]);
    const [got] = receiver.forEvent(created1);
    expect(JSON.parse(got.body.toString('utf8'))).toEqual(stored.envelope);
    expect(got.headers).toMatchObject({
      'content-type': 'application/json',
      'revgate-event-id': created1,
      'revgate-event-type': 'probe.thing.created.v1',
      'x-correlation-id': stored.envelope.correlationId,
    });
    expect(got.headers['revgate-signature']).toMatch(
      new RegExp(`^t=${Math.floor(now.getTime() / 1000)},v1=[0-9a-f]{64}$`),
    );
    expect(stored.published_at).toBeInstanceOf(Date);

    const delivery = await deliveryOf(created1, things.id);
    expect(got.headers['revgate-delivery-id']).toBe(delivery.id);
    expect(delivery).toMatchObject({
      status: 'delivered',
      origin: 'relay',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      replayOf: null,
    });
    expect(delivery.deliveredAt).not.toBeNull();

    // Nothing is sent twice.
    expect(await probe.relay.runOnce({ now: later(now, HOUR) })).toEqual({
      events: 0,
      deliveriesCreated: 0,
      delivered: 0,
      failed: 0,
      dead: 0,
    });
    expect(receiver.received).toHaveLength(3);
  });

  it('keeps one event per business key: the same fact emitted again (a step repeated) is delivered once', async () => {
    await probe.subscribe({ url: receiver.url, eventTypes: ['probe.thing.*'] });
    const key = `order-${Date.now()}`;
    const first = await probe.emit('probe.thing.created.v1', { count: 2, key });
    const again = await probe.emit('probe.thing.created.v1', { count: 2, key });
    expect(again).toEqual(first);
    const other = await probe.emit('probe.thing.created.v1', { key: `${key}-other` });
    expect(other[0]).not.toBe(first[0]);

    const stats = await probe.relay.runOnce({ now: new Date() });
    expect(stats).toMatchObject({ events: 3, delivered: 3 });
    for (const id of [...first, ...other]) expect(receiver.forEvent(id)).toHaveLength(1);
    expect(receiver.received).toHaveLength(3);
  });

  it('retries after a 500, with backoff, then delivers', async () => {
    const sub = await probe.subscribe({
      url: receiver.url,
      eventTypes: ['probe.thing.created.v1'],
    });
    receiver.script = [{ status: 500, body: 'database is down' }];
    const [eventId] = await probe.emit('probe.thing.created.v1');
    const now = new Date();
    expect(await probe.relay.runOnce({ now })).toMatchObject({ delivered: 0, failed: 1 });
    const failed = await deliveryOf(eventId, sub.id);
    expect(failed).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'HTTP 500: database is down',
    });
    const wait = Date.parse(failed.nextAttemptAt!) - now.getTime();
    expect(wait).toBeGreaterThanOrEqual(8 * SECOND);
    expect(wait).toBeLessThanOrEqual(13 * SECOND);

    expect(await probe.relay.runOnce({ now: later(now, 5 * SECOND) })).toMatchObject({
      delivered: 0,
      failed: 0,
    });
    expect(receiver.forEvent(eventId)).toHaveLength(1);
    expect(await probe.relay.runOnce({ now: later(now, wait + SECOND) })).toMatchObject({
      delivered: 1,
    });
    const sent = receiver.forEvent(eventId);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.body.equals(sent[0].body)).toBe(true);
    expect(sent[1]?.headers['revgate-delivery-id']).toBe(sent[0]?.headers['revgate-delivery-id']);
    expect(await deliveryOf(eventId, sub.id)).toMatchObject({
      status: 'delivered',
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
    });
  });

  it('counts a timeout as a failed attempt and retries it', async () => {
    const sub = await probe.subscribe({
      url: receiver.url,
      eventTypes: ['probe.thing.created.v1'],
    });
    receiver.script = [{ hang: true }];
    const [eventId] = await probe.emit('probe.thing.created.v1');
    const now = new Date();
    expect(await probe.relay.runOnce({ now })).toMatchObject({ failed: 1 });
    const failed = await deliveryOf(eventId, sub.id);
    expect(failed).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: null,
      lastError: 'no answer within 400 ms',
    });
    expect(await probe.relay.runOnce({ now: later(now, 13 * SECOND) })).toMatchObject({
      delivered: 1,
    });
    expect(receiver.forEvent(eventId)).toHaveLength(2);
  });

  it('honours Retry-After when it asks for longer than the backoff', async () => {
    const sub = await probe.subscribe({
      url: receiver.url,
      eventTypes: ['probe.thing.created.v1'],
    });
    receiver.script = [{ status: 503, headers: { 'retry-after': '120' } }];
    const [eventId] = await probe.emit('probe.thing.created.v1');
    const now = new Date();
    await probe.relay.runOnce({ now });
    const failed = await deliveryOf(eventId, sub.id);
    expect(failed.lastStatusCode).toBe(503);
    expect(Date.parse(failed.nextAttemptAt!) - now.getTime()).toBeGreaterThanOrEqual(120 * SECOND);
    await probe.relay.runOnce({ now: later(now, 60 * SECOND) });
    expect(receiver.forEvent(eventId)).toHaveLength(1);
    await probe.relay.runOnce({ now: later(now, 122 * SECOND) });
    expect(receiver.forEvent(eventId)).toHaveLength(2);
    expect((await deliveryOf(eventId, sub.id)).status).toBe('delivered');
  });

  it('gives up after the last attempt: dead, and never sent again', async () => {
    const sub = await probe.subscribe({
      url: receiver.url,
      eventTypes: ['probe.thing.created.v1'],
    });
    receiver.fallback = { status: 500 };
    const [eventId] = await probe.emit('probe.thing.created.v1');
    let now = new Date();
    for (let attempt = 1; attempt <= 4; attempt++) {
      const stats = await probe.relay.runOnce({ now });
      expect(stats).toMatchObject(attempt < 4 ? { failed: 1, dead: 0 } : { failed: 0, dead: 1 });
      const d = await deliveryOf(eventId, sub.id);
      expect(d.attempts).toBe(attempt);
      if (d.nextAttemptAt) now = later(new Date(d.nextAttemptAt), SECOND);
    }
    const dead = await deliveryOf(eventId, sub.id);
    expect(dead).toMatchObject({
      status: 'dead',
      attempts: 4,
      lastStatusCode: 500,
      nextAttemptAt: null,
    });
    await probe.relay.runOnce({ now: later(now, 48 * HOUR) });
    expect(receiver.forEvent(eventId)).toHaveLength(4);
    expect(
      (await probe.deliveries({ status: 'dead', subscriptionId: sub.id })).map((d) => d.id),
    ).toEqual([dead.id]);

    const metrics = await http<string>('GET', `${t.url}/metrics`, {
      token: t.token(['metrics:read']),
    });
    expect(metrics.body).toMatch(
      /webhook_delivery_attempts_total\{outcome="dead",app="events-probe"\} [1-9]/,
    );
    expect(metrics.body).toMatch(/webhook_deliveries\{status="dead",app="events-probe"\} [1-9]/);
  });

  it('does not follow redirects', async () => {
    const elsewhere = await Receiver.start();
    try {
      const sub = await probe.subscribe({
        url: receiver.url,
        eventTypes: ['probe.thing.created.v1'],
      });
      receiver.script = [{ status: 307, headers: { location: elsewhere.url } }];
      const [eventId] = await probe.emit('probe.thing.created.v1');
      await probe.relay.runOnce();
      expect(elsewhere.received).toHaveLength(0);
      expect(await deliveryOf(eventId, sub.id)).toMatchObject({
        status: 'pending',
        lastStatusCode: 307,
        lastError: expect.stringContaining('redirects are not followed') as unknown,
      });
    } finally {
      await elsewhere.close();
    }
  });

  it('keeps a disabled subscription’s pending deliveries until it is enabled again', async () => {
    const sub = await probe.subscribe({
      url: receiver.url,
      eventTypes: ['probe.thing.created.v1'],
    });
    const [eventId] = await probe.emit('probe.thing.created.v1');
    await probe.relay.fanOut();
    const patch = (enabled: boolean) =>
      http('PATCH', probe.url(`webhook-subscriptions/${sub.id}`), {
        token: probe.manage,
        body: { enabled },
      });
    expectStatus(await patch(false), 200);
    await probe.relay.runOnce();
    expect(receiver.received).toHaveLength(0);
    expect((await deliveryOf(eventId, sub.id)).status).toBe('pending');
    expectStatus(await patch(true), 200);
    await probe.relay.runOnce();
    expect(receiver.forEvent(eventId)).toHaveLength(1);
  });

  it('replays one delivery as a new delivery, leaving the original as it was', async () => {
    const sub = await probe.subscribe({
      url: receiver.url,
      eventTypes: ['probe.thing.created.v1'],
    });
    const [eventId] = await probe.emit('probe.thing.created.v1');
    await probe.relay.runOnce();
    const original = await deliveryOf(eventId, sub.id);

    const res = await http<DeliveryBody>(
      'POST',
      probe.url(`webhook-deliveries/${original.id}/replay`),
      {
        token: probe.manage,
      },
    );
    expectStatus(res, 201);
    expect(res.headers.get('location')).toBe(`webhook-deliveries/${res.body.id}`);
    expect(res.body).toMatchObject({
      subscriptionId: sub.id,
      eventId,
      status: 'pending',
      origin: 'replay',
      replayOf: original.id,
      attempts: 0,
    });
    await probe.relay.runOnce();
    const sent = receiver.forEvent(eventId);
    expect(sent.map((r) => r.headers['revgate-delivery-id'])).toEqual([original.id, res.body.id]);
    expect(sent[1]?.body.equals(sent[0].body)).toBe(true);
    const all = await probe.deliveries({ eventId: eventId, subscriptionId: sub.id });
    expect(all.find((d) => d.id === original.id)).toEqual(original);
    expect(all.find((d) => d.id === res.body.id)?.status).toBe('delivered');
    const [audit] = await t.sql<{ actor: string; delivery_id: string; detail: unknown }>(
      "select actor, delivery_id, detail from events_probe.webhook_audit_log where action = 'delivery.replayed' and delivery_id = $1",
      [res.body.id],
    );
    expect(audit).toEqual({
      actor: 'test-client',
      delivery_id: res.body.id,
      detail: { replayOf: original.id, eventId },
    });

    // The read scope cannot replay; a deleted subscription has nowhere to send to.
    expectProblem(
      await http('POST', probe.url(`webhook-deliveries/${original.id}/replay`), {
        token: probe.read,
      }),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
    expect(
      (await http('DELETE', probe.url(`webhook-subscriptions/${sub.id}`), { token: probe.manage }))
        .status,
    ).toBe(204);
    expectProblem(
      await http('POST', probe.url(`webhook-deliveries/${original.id}/replay`), {
        token: probe.manage,
      }),
      409,
      'WEBHOOK_SUBSCRIPTION_DELETED',
    );
  });

  it('replays a time range: the matching events of the range, older than the subscription too', async () => {
    const [before] = await probe.emit('probe.thing.created.v1');
    const from = new Date();
    const [inRange1] = await probe.emit('probe.thing.created.v1');
    const [otherType] = await probe.emit('probe.other.happened.v1');
    const [inRange2] = await probe.emit('probe.thing.deleted.v1');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const to = new Date();
    const [after] = await probe.emit('probe.thing.created.v1');
    await probe.relay.runOnce();

    const sub = await probe.subscribe({ url: receiver.url, eventTypes: ['probe.thing.*'] });
    const res = await http<{ deliveries: number; from: string; to: string }>(
      'POST',
      probe.url(`webhook-subscriptions/${sub.id}/replay`),
      { token: probe.manage, body: { from: from.toISOString(), to: to.toISOString() } },
    );
    expectStatus(res, 202);
    expect(res.body).toEqual({
      subscriptionId: sub.id,
      from: from.toISOString(),
      to: to.toISOString(),
      deliveries: 2,
    });
    await probe.relay.runOnce();
    expect(receiver.received.map((r) => r.headers['revgate-event-id']).sort()).toEqual(
      [inRange1, inRange2].sort(),
    );
    for (const id of [before, otherType, after]) expect(receiver.forEvent(id)).toHaveLength(0);
    const made = await probe.deliveries({ subscriptionId: sub.id });
    expect(
      made.every((d) => d.origin === 'replay' && d.status === 'delivered' && d.replayOf === null),
    ).toBe(true);

    // Again: new deliveries again, history only grows.
    expectStatus(
      await http('POST', probe.url(`webhook-subscriptions/${sub.id}/replay`), {
        token: probe.manage,
        body: { from: from.toISOString(), to: to.toISOString() },
      }),
      202,
    );
    expect(await probe.deliveries({ subscriptionId: sub.id })).toHaveLength(4);
  });

  it('refuses a range with more events than one replay may send, writing nothing', async () => {
    const from = new Date();
    await probe.emit('probe.other.happened.v1', { count: 41 });
    const to = new Date(Date.now() + 5);
    const sub = await probe.subscribe({ url: receiver.url, eventTypes: ['probe.other.*'] });
    const before = await countRows(t, 'events_probe', EVENTS_TABLES);
    expectProblem(
      await http('POST', probe.url(`webhook-subscriptions/${sub.id}/replay`), {
        token: probe.manage,
        body: { from: from.toISOString(), to: to.toISOString() },
      }),
      422,
      'WEBHOOK_REPLAY_TOO_LARGE',
    );
    expect(await countRows(t, 'events_probe', EVENTS_TABLES)).toEqual(before);
  });

  it('signs with both secrets during a rotation’s grace period, and with the new one only after', async () => {
    const sub = await probe.subscribe({
      url: receiver.url,
      eventTypes: ['probe.thing.created.v1'],
    });
    const rotated = await http<SubscriptionBody>(
      'POST',
      probe.url(`webhook-subscriptions/${sub.id}/rotate-secret`),
      {
        token: probe.manage,
      },
    );
    expectStatus(rotated, 200);
    const [during] = await probe.emit('probe.thing.created.v1');
    const now = new Date();
    await probe.relay.runOnce({ now });
    const [got] = receiver.forEvent(during);
    expect((got.headers['revgate-signature'] as string).match(/v1=/g)).toHaveLength(2);
    expect(signedWith(got, sub.secret!, now)).toBe(true);
    expect(signedWith(got, rotated.body.secret!, now)).toBe(true);

    const [afterGrace] = await probe.emit('probe.thing.created.v1');
    const dayLater = later(now, 25 * HOUR);
    await probe.relay.runOnce({ now: dayLater });
    const [next] = receiver.forEvent(afterGrace);
    expect((next.headers['revgate-signature'] as string).match(/v1=/g)).toHaveLength(1);
    expect(signedWith(next, rotated.body.secret!, dayLater)).toBe(true);
    expect(signedWith(next, sub.secret!, dayLater)).toBe(false);
  });

  it('lists deliveries by subscription, status, type and event, page by page', async () => {
    const sub = await probe.subscribe({ url: receiver.url, eventTypes: ['probe.thing.*'] });
    receiver.script = [{ status: 500 }];
    const created = await probe.emit('probe.thing.created.v1', { count: 3 });
    const [deleted] = await probe.emit('probe.thing.deleted.v1');
    await probe.relay.runOnce();
    expect(await probe.deliveries({ subscriptionId: sub.id })).toHaveLength(4);
    expect(await probe.deliveries({ subscriptionId: sub.id, status: 'pending' })).toHaveLength(1);
    expect(await probe.deliveries({ subscriptionId: sub.id, status: 'delivered' })).toHaveLength(3);
    expect(
      (await probe.deliveries({ subscriptionId: sub.id, eventType: 'probe.thing.deleted.v1' })).map(
        (d) => d.eventId,
      ),
    ).toEqual([deleted]);
    expect(await probe.deliveries({ eventId: created[1] })).toHaveLength(1);
    const page = await http<{ data: DeliveryBody[]; nextCursor: string | null }>(
      'GET',
      `${probe.url('webhook-deliveries')}?subscriptionId=${sub.id}&limit=3`,
      { token: probe.read },
    );
    expect(page.body.data).toHaveLength(3);
    const rest = await http<{ data: DeliveryBody[]; nextCursor: string | null }>(
      'GET',
      `${probe.url('webhook-deliveries')}?subscriptionId=${sub.id}&limit=3&cursor=${page.body.nextCursor}`,
      { token: probe.read },
    );
    expect(rest.body.data).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();
    const one = await http<DeliveryBody>(
      'GET',
      probe.url(`webhook-deliveries/${rest.body.data[0].id}`),
      { token: probe.read },
    );
    expect(one.body).toEqual(rest.body.data[0]);
  });

  it('with two relays at once, fans each event out once and sends each delivery once', async () => {
    const other = await secondInstance(t);
    try {
      const subs = [
        await probe.subscribe({ url: receiver.url, eventTypes: ['probe.thing.*'] }),
        await probe.subscribe({ url: `${receiver.url}?2`, eventTypes: ['*'] }),
      ];
      const ids = await probe.emit('probe.thing.created.v1', { count: 150 });
      const [a, b] = await Promise.all([probe.relay.runOnce(), other.get(OutboxRelay).runOnce()]);
      expect(a.events + b.events).toBe(150);
      expect(a.deliveriesCreated + b.deliveriesCreated).toBe(300);
      // Each delivery is attempted once by the two relays together. On a loaded machine an attempt
      // can outlast this file's 400 ms timeout: it counts as failed (retried later), not twice.
      const attempted = (r: typeof a): number => r.delivered + r.failed + r.dead;
      expect(attempted(a) + attempted(b)).toBe(300);
      expect(a.delivered + b.delivered).toBeGreaterThan(0);
      const rows = await t.sql<{ event_id: string; subscription_id: string; n: number }>(
        `select event_id, subscription_id, count(*)::int as n from events_probe.webhook_deliveries
          where event_id = any($1) group by event_id, subscription_id`,
        [ids],
      );
      expect(rows).toHaveLength(300);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      expect(new Set(rows.map((r) => r.subscription_id))).toEqual(new Set(subs.map((s) => s.id)));
      // Every delivery reached the receiver at most once (a timed-out one may have arrived too).
      expect(receiver.received.length).toBeGreaterThanOrEqual(a.delivered + b.delivered);
      expect(receiver.received.length).toBeLessThanOrEqual(300);
      expect(new Set(receiver.received.map((r) => r.headers['revgate-delivery-id'])).size).toBe(
        receiver.received.length,
      );
      const [unpublished] = await t.sql<{ n: number }>(
        'select count(*)::int as n from events_probe.outbox_events where published_at is null',
      );
      expect(unpublished.n).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('refuses at delivery a target the rules no longer allow (checked again at every attempt)', async () => {
    const strict = await secondInstance(t, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
    try {
      const sub = await probe.subscribe({
        url: receiver.url,
        eventTypes: ['probe.thing.created.v1'],
      });
      const [eventId] = await probe.emit('probe.thing.created.v1');
      await strict.get(OutboxRelay).runOnce();
      expect(receiver.received).toHaveLength(0);
      expect(await deliveryOf(eventId, sub.id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastStatusCode: null,
        lastError: expect.stringContaining('loopback') as unknown,
      });
    } finally {
      await strict.close();
    }
  });

  it('refuses at connect time a name that now resolves to a private address (DNS rebinding)', async () => {
    const port = new URL(receiver.url).port;
    let answer = '93.184.215.14';
    const resolver = (): Promise<LookupAddress[]> =>
      Promise.resolve([{ address: answer, family: 4 }]);
    const strict = new SsrfGuard({ allowHttp: true, allowPrivateTargets: false }, resolver);
    const url = `http://hooks.rebind.test:${port}/hooks`;
    await expect(strict.checkUrl(url)).resolves.toBeInstanceOf(URL); // what creation saw
    answer = '127.0.0.1'; // what delivery sees
    const sender = new AxiosWebhookSender(strict);
    const request = { url, body: Buffer.from('{}'), headers: {}, timeoutMs: 2000 };
    try {
      const refused = await sender.send(request, new AbortController().signal);
      expect(refused.status).toBeUndefined();
      expect(refused.error).toMatch(
        /^target refused: hooks\.rebind\.test resolves to 127\.0\.0\.1, which is loopback/,
      );
      expect(receiver.received).toHaveLength(0);
      // The same request with private targets allowed reaches the receiver: only the rule stopped it.
      const open = new AxiosWebhookSender(
        new SsrfGuard({ allowHttp: true, allowPrivateTargets: true }, resolver),
      );
      expect(await open.send(request, new AbortController().signal)).toMatchObject({ status: 200 });
      expect(receiver.received).toHaveLength(1);
      open.onApplicationShutdown();
    } finally {
      sender.onApplicationShutdown();
    }
  });

  it('reports the outbox lag and the pending deliveries on /metrics', async () => {
    await probe.subscribe({ url: receiver.url, eventTypes: ['probe.thing.created.v1'] });
    receiver.fallback = { status: 500 };
    await probe.emit('probe.thing.created.v1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const scrape = async () =>
      (await http<string>('GET', `${t.url}/metrics`, { token: t.token(['metrics:read']) })).body;
    const lag = (text: string) => Number(/^outbox_lag_seconds\{[^}]*\} (\S+)$/m.exec(text)?.[1]);
    expect(lag(await scrape())).toBeGreaterThan(0);
    await probe.relay.runOnce();
    const after = await scrape();
    expect(lag(after)).toBe(0);
    expect(after).toMatch(/webhook_deliveries\{status="pending",app="events-probe"\} [1-9]/);
    expect(after).toMatch(
      /webhook_delivery_attempts_total\{outcome="failed",app="events-probe"\} [1-9]/,
    );
    expect(after).toMatch(
      /webhook_delivery_attempt_duration_seconds_count\{[^}]*outcome="failed"[^}]*\} [1-9]/,
    );
    expect(after).toMatch(/webhook_delivery_latency_seconds_count\{app="events-probe"\} [1-9]/);
  });
});

describe('the relay in the background', () => {
  it('delivers on its own, and shutdown cuts an attempt short without counting it', async () => {
    const t = await startTestApp(eventsProbeApp, RELAY_ENV);
    const receiver = await Receiver.start();
    // The instance that relays: a second process of the app, with its relay running.
    const background = await secondInstance(t, {
      OUTBOX_RELAY_ENABLED: 'true',
      OUTBOX_RELAY_POLL_MS: '50',
      WEBHOOK_TIMEOUT_MS: '30000',
    });
    let running = true;
    try {
      const probe = new Probe(t);
      const sub = await probe.subscribe({ url: receiver.url, eventTypes: ['probe.thing.*'] });
      const arrived = async (eventId: string) => {
        for (let i = 0; i < 400 && receiver.forEvent(eventId).length === 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        return receiver.forEvent(eventId);
      };
      const [first] = await probe.emit('probe.thing.created.v1');
      expect(await arrived(first)).toHaveLength(1);

      receiver.fallback = { hang: true };
      const [second] = await probe.emit('probe.thing.deleted.v1');
      expect(await arrived(second)).toHaveLength(1); // in flight, unanswered
      const row = () =>
        t.sql<{ status: string; attempts: number }>(
          'select status, attempts from events_probe.webhook_deliveries where event_id = $1 and subscription_id = $2',
          [second, sub.id],
        );
      expect(await row()).toEqual([{ status: 'pending', attempts: 1 }]);
      await background.close(); // stops the relay, which aborts the hanging send (30 s timeout)
      running = false;
      expect(await row()).toEqual([{ status: 'pending', attempts: 0 }]);
    } finally {
      if (running) await background.close();
      await receiver.close();
      await t.close();
    }
  });
});
