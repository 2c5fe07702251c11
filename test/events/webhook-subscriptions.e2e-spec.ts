import { eventsProbeApp, type ProbeConfig } from './events-probe.app';
import {
  countRows,
  EVENTS_TABLES,
  expectStatus,
  inKeysetOrder,
  ISO_INSTANT,
  pointers,
  Probe,
  type SubscriptionBody,
  UUID,
  walkPages,
} from './events-fixtures';
import { expectProblem, http, type TestApp, startTestApp } from '../support/test-app';

const PUBLIC_URL = 'https://93.184.215.14/hooks';

describe('webhook subscriptions API (e2e)', () => {
  let t: TestApp<ProbeConfig>;
  let probe: Probe;

  beforeAll(async () => {
    t = await startTestApp(eventsProbeApp); // https only, no private targets: the defaults
    probe = new Probe(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const counts = () => countRows(t, 'events_probe', EVENTS_TABLES);
  const post = (body: unknown, token = probe.manage, headers: Record<string, string> = {}) =>
    http<SubscriptionBody>('POST', probe.url('webhook-subscriptions'), { token, body, headers });
  const subscriptionUrl = (id: string) => probe.url(`webhook-subscriptions/${id}`);

  /** The request is refused with this problem and writes nothing. */
  async function expectRefused(
    send: () => Promise<{ status: number; headers: Headers; body: unknown }>,
    status: number,
    code: string,
  ): Promise<Record<string, unknown>> {
    const before = await counts();
    const problem = expectProblem(await send(), status, code);
    expect(await counts()).toEqual(before);
    return problem;
  }

  describe('POST /webhook-subscriptions', () => {
    it('creates a subscription and shows its secret once; the secret is stored sealed', async () => {
      const res = await post(
        {
          url: PUBLIC_URL,
          eventTypes: ['probe.thing.*', 'probe.other.happened.v1'],
          description: 'ERP posting',
        },
        probe.manage,
        { 'x-correlation-id': 'sub-create-1' },
      );
      expectStatus(res, 201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        url: PUBLIC_URL,
        eventTypes: ['probe.thing.*', 'probe.other.happened.v1'],
        description: 'ERP posting',
        enabled: true,
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/) as unknown,
        secretRotatedAt: null,
        previousSecretExpiresAt: null,
        createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
        updatedAt: expect.stringMatching(ISO_INSTANT) as unknown,
        version: 1,
      });
      expect(res.headers.get('etag')).toBe('"v1"');
      expect(res.headers.get('location')).toBe(`webhook-subscriptions/${res.body.id}`);
      const secret = res.body.secret ?? '';

      const read = await http<SubscriptionBody>('GET', subscriptionUrl(res.body.id), {
        token: probe.read,
      });
      expectStatus(read, 200);
      expect(read.body).not.toHaveProperty('secret');
      expect(read.headers.get('etag')).toBe('"v1"');

      const [row] = await t.sql<Record<string, string | null>>(
        'select secret_sealed, created_by from events_probe.webhook_subscriptions where id = $1',
        [res.body.id],
      );
      expect(row.secret_sealed).toMatch(/^v1\./);
      expect(row.secret_sealed).not.toContain(secret.slice(6));
      expect(row.created_by).toBe('test-client');
      const dump = JSON.stringify(await t.sql('select * from events_probe.webhook_subscriptions'));
      expect(dump).not.toContain(secret.slice(6));

      const audit = await t.sql(
        'select actor, action, correlation_id, detail from events_probe.webhook_audit_log where subscription_id = $1',
        [res.body.id],
      );
      expect(audit).toEqual([
        {
          actor: 'test-client',
          action: 'subscription.created',
          correlation_id: 'sub-create-1',
          detail: {
            url: PUBLIC_URL,
            eventTypes: ['probe.thing.*', 'probe.other.happened.v1'],
            enabled: true,
          },
        },
      ]);
    });

    it('stores the URL normalized', async () => {
      const created = await probe.subscribe({
        url: 'HTTPS://93.184.215.14:443/a/../hooks',
        eventTypes: ['*'],
      });
      expect(created.url).toBe(PUBLIC_URL);
    });

    it('replays an Idempotency-Key answer without the secret, which is never stored in clear', async () => {
      const body = { url: PUBLIC_URL, eventTypes: ['probe.thing.created.v1'] };
      const headers = { 'idempotency-key': 'create-once-1' };
      const first = await post(body, probe.manage, headers);
      expectStatus(first, 201);
      const before = await counts();
      const again = await post(body, probe.manage, headers);
      expectStatus(again, 201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const { secret, ...rest } = first.body;
      expect(again.body).toEqual(rest);
      expect(typeof secret).toBe('string');
      expect(await counts()).toEqual(before);
      const stored = await t.sql<{ response_body: unknown }>(
        "select response_body from events_probe.idempotency_keys where key = 'create-once-1'",
      );
      expect(JSON.stringify(stored)).not.toContain(secret ?? 'no-secret');
    });

    it.each([
      ['10.0.0.1', 'private'],
      ['172.16.0.1', 'private'],
      ['192.168.1.1', 'private'],
      ['127.0.0.1', 'loopback'],
      ['[::1]', 'loopback'],
      ['[::ffff:127.0.0.1]', 'loopback'],
      ['169.254.169.254', 'link-local'],
      ['[fd00::1]', 'unique local'],
      ['0.0.0.0', 'unspecified'],
      ['100.64.0.1', 'CGNAT'],
      ['[fe80::1]', 'link-local'],
      ['localhost', 'loopback'],
    ])('refuses https://%s (%s) with WEBHOOK_URL_FORBIDDEN, writing nothing', async (host, why) => {
      const problem = await expectRefused(
        () => post({ url: `https://${host}/hooks`, eventTypes: ['*'] }),
        422,
        'WEBHOOK_URL_FORBIDDEN',
      );
      expect(problem.detail).toContain(why);
    });

    it('refuses plain http, credentials in the URL and hosts that do not resolve', async () => {
      await expectRefused(
        () => post({ url: 'http://93.184.215.14/hooks', eventTypes: ['*'] }),
        422,
        'WEBHOOK_URL_FORBIDDEN',
      );
      await expectRefused(
        () => post({ url: 'https://user:pw@93.184.215.14/hooks', eventTypes: ['*'] }),
        422,
        'WEBHOOK_URL_FORBIDDEN',
      );
      await expectRefused(
        () => post({ url: 'https://hooks.revgate.invalid/x', eventTypes: ['*'] }),
        422,
        'WEBHOOK_URL_UNRESOLVABLE',
      );
    });

    it('refuses event types that match nothing this API emits, naming them', async () => {
      const problem = await expectRefused(
        () =>
          post({
            url: PUBLIC_URL,
            eventTypes: ['probe.thing.*', 'probe.thing.created.v2', 'billing.*'],
          }),
        422,
        'WEBHOOK_EVENT_TYPE_UNKNOWN',
      );
      expect(problem.errors).toEqual([
        {
          pointer: '/eventTypes/1',
          detail: expect.stringContaining('probe.thing.created.v2') as unknown,
        },
        { pointer: '/eventTypes/2', detail: expect.stringContaining('billing.*') as unknown },
      ]);
    });

    it.each([
      ['an unknown field', { url: PUBLIC_URL, eventTypes: ['*'], secret: 'mine' }, '/secret'],
      ['no url', { eventTypes: ['*'] }, '/url'],
      ['a url that is not one', { url: 'not a url', eventTypes: ['*'] }, '/url'],
      ['an ftp url', { url: 'ftp://93.184.215.14/x', eventTypes: ['*'] }, '/url'],
      ['no event types', { url: PUBLIC_URL }, '/eventTypes'],
      ['an empty list of types', { url: PUBLIC_URL, eventTypes: [] }, '/eventTypes'],
      ['a malformed type', { url: PUBLIC_URL, eventTypes: ['Probe.Thing'] }, '/eventTypes'],
      ['a type twice', { url: PUBLIC_URL, eventTypes: ['probe.*', 'probe.*'] }, '/eventTypes'],
      ['enabled as a string', { url: PUBLIC_URL, eventTypes: ['*'], enabled: 'yes' }, '/enabled'],
      ['enabled null', { url: PUBLIC_URL, eventTypes: ['*'], enabled: null }, '/enabled'],
      [
        'a description over 500 characters',
        { url: PUBLIC_URL, eventTypes: ['*'], description: 'x'.repeat(501) },
        '/description',
      ],
      [
        'a url over 2048 characters',
        { url: `https://93.184.215.14/${'x'.repeat(2100)}`, eventTypes: ['*'] },
        '/url',
      ],
    ])('refuses %s (400 at %s), writing nothing', async (_label, body, pointer) => {
      const before = await counts();
      const res = await post(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res)).toContain(pointer);
      expect(await counts()).toEqual(before);
    });

    it('needs the manage scope and a token without a legal-entity limit', async () => {
      const body = { url: PUBLIC_URL, eventTypes: ['*'] };
      await expectRefused(() => post(body, probe.read), 403, 'AUTH_INSUFFICIENT_SCOPE');
      await expectRefused(
        () => post(body, t.token(['probe:write'])),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      await expectRefused(
        () =>
          post(
            body,
            t.token(['probe:webhooks:manage', 'probe:webhooks:read'], { legalEntities: ['US01'] }),
          ),
        403,
        'WEBHOOK_LEGAL_ENTITY_FORBIDDEN',
      );
      await expectRefused(
        () => http('POST', probe.url('webhook-subscriptions'), { body }),
        401,
        'AUTH_TOKEN_MISSING',
      );
    });
  });

  describe('GET /webhook-subscriptions', () => {
    it('pages through every subscription in keyset order, with the enabled filter', async () => {
      const made = [];
      for (let i = 0; i < 5; i++) {
        made.push(
          await probe.subscribe({
            url: PUBLIC_URL,
            eventTypes: ['*'],
            enabled: i % 2 === 0,
            description: `page ${i}`,
          }),
        );
      }
      const { items, pages } = await walkPages<SubscriptionBody>(
        http,
        probe.read,
        probe.url('webhook-subscriptions'),
        { limit: '2' },
      );
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(inKeysetOrder(items)).toBe(true);
      expect(new Set(items.map((s) => s.id)).size).toBe(items.length);
      for (const m of made) expect(items.map((s) => s.id)).toContain(m.id);
      expect(items.every((s) => !('secret' in s))).toBe(true);

      const disabled = await walkPages<SubscriptionBody>(
        http,
        probe.read,
        probe.url('webhook-subscriptions'),
        {
          enabled: 'false',
        },
      );
      expect(disabled.items.every((s) => !s.enabled)).toBe(true);
      expect(disabled.items.map((s) => s.id)).toEqual(
        expect.arrayContaining([made[1]?.id, made[3]?.id]),
      );
    });

    it('refuses a bad filter or cursor, and a token limited to legal entities', async () => {
      expectProblem(
        await http('GET', `${probe.url('webhook-subscriptions')}?enabled=maybe`, {
          token: probe.read,
        }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await http('GET', `${probe.url('webhook-subscriptions')}?cursor=abc`, {
          token: probe.read,
        }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await http('GET', probe.url('webhook-subscriptions'), {
          token: t.token(['probe:webhooks:read'], { legalEntities: ['US01'] }),
        }),
        403,
        'WEBHOOK_LEGAL_ENTITY_FORBIDDEN',
      );
      expectProblem(
        await http('GET', probe.url('webhook-subscriptions'), { token: probe.writer }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expectProblem(
        await http('GET', subscriptionUrl('6f1c7c1e-3d0a-4a4f-9d55-1c1f7f0e9a10'), {
          token: probe.read,
        }),
        404,
        'WEBHOOK_SUBSCRIPTION_NOT_FOUND',
      );
      expectProblem(
        await http('GET', subscriptionUrl('nope'), { token: probe.read }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('PATCH /webhook-subscriptions/{id}', () => {
    it('changes the URL, types, description and enabled, with If-Match, and audits it', async () => {
      const created = await probe.subscribe({
        url: PUBLIC_URL,
        eventTypes: ['*'],
        description: 'old',
      });
      const res = await http<SubscriptionBody>('PATCH', subscriptionUrl(created.id), {
        token: probe.manage,
        headers: { 'if-match': '"v1"' },
        body: {
          url: 'https://93.184.215.15/new',
          eventTypes: ['probe.other.*'],
          description: null,
          enabled: false,
        },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        url: 'https://93.184.215.15/new',
        eventTypes: ['probe.other.*'],
        description: null,
        enabled: false,
        version: 2,
      });
      expect(res.headers.get('etag')).toBe('"v2"');
      const [audit] = await t.sql<{ action: string; detail: unknown }>(
        "select action, detail from events_probe.webhook_audit_log where subscription_id = $1 and action = 'subscription.updated'",
        [created.id],
      );
      expect(audit.detail).toEqual({
        url: 'https://93.184.215.15/new',
        eventTypes: ['probe.other.*'],
        description: null,
        enabled: false,
      });
    });

    it('refuses a stale If-Match, a forbidden URL, unknown types and unknown fields, changing nothing', async () => {
      const created = await probe.subscribe({ url: PUBLIC_URL, eventTypes: ['*'] });
      const patch =
        (body: unknown, headers: Record<string, string> = {}) =>
        () =>
          http('PATCH', subscriptionUrl(created.id), { token: probe.manage, body, headers });
      const row = () =>
        t.sql('select * from events_probe.webhook_subscriptions where id = $1', [created.id]);
      const before = await row();
      await expectRefused(
        patch({ enabled: false }, { 'if-match': '"v9"' }),
        412,
        'PRECONDITION_FAILED',
      );
      await expectRefused(patch({ url: 'https://10.0.0.1/x' }), 422, 'WEBHOOK_URL_FORBIDDEN');
      await expectRefused(patch({ eventTypes: ['tax.*'] }), 422, 'WEBHOOK_EVENT_TYPE_UNKNOWN');
      await expectRefused(patch({ secretSealed: 'x' }), 400, 'VALIDATION_FAILED');
      await expectRefused(patch({ url: null }), 400, 'VALIDATION_FAILED');
      await expectRefused(patch({ eventTypes: [] }), 400, 'VALIDATION_FAILED');
      await expectRefused(
        () =>
          http('PATCH', subscriptionUrl(created.id), {
            token: probe.read,
            body: { enabled: false },
          }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      await expectRefused(
        () =>
          http('PATCH', subscriptionUrl('6f1c7c1e-3d0a-4a4f-9d55-1c1f7f0e9a10'), {
            token: probe.manage,
            body: { enabled: false },
          }),
        404,
        'WEBHOOK_SUBSCRIPTION_NOT_FOUND',
      );
      expect(await row()).toEqual(before);
    });
  });

  describe('DELETE /webhook-subscriptions/{id}', () => {
    it('deletes: gone from reads, secrets erased, pending deliveries dead, history kept', async () => {
      const created = await probe.subscribe({ url: PUBLIC_URL, eventTypes: ['probe.thing.*'] });
      const [eventId] = await probe.emit('probe.thing.created.v1');
      await probe.relay.fanOut();
      expect(
        await probe.deliveries({ subscriptionId: created.id, status: 'pending' }),
      ).toHaveLength(1);

      const res = await http('DELETE', subscriptionUrl(created.id), {
        token: probe.manage,
        headers: { 'if-match': '"v1"' },
      });
      expect(res.status).toBe(204);
      expectProblem(
        await http('GET', subscriptionUrl(created.id), { token: probe.read }),
        404,
        'WEBHOOK_SUBSCRIPTION_NOT_FOUND',
      );
      expectProblem(
        await http('DELETE', subscriptionUrl(created.id), { token: probe.manage }),
        404,
        'WEBHOOK_SUBSCRIPTION_NOT_FOUND',
      );
      const [row] = await t.sql(
        'select secret_sealed, previous_secret_sealed, deleted_at from events_probe.webhook_subscriptions where id = $1',
        [created.id],
      );
      expect(row).toMatchObject({ secret_sealed: null, previous_secret_sealed: null });
      expect(row.deleted_at).toBeInstanceOf(Date);
      const [delivery] = await probe.deliveries({ subscriptionId: created.id });
      expect(delivery).toMatchObject({
        eventId,
        status: 'dead',
        lastError: 'the subscription was deleted',
        nextAttemptAt: null,
      });
      const actions = await t.sql<{ action: string }>(
        'select action from events_probe.webhook_audit_log where subscription_id = $1 order by at',
        [created.id],
      );
      expect(actions.map((a) => a.action)).toEqual([
        'subscription.created',
        'subscription.deleted',
      ]);
    });

    it('refuses a stale If-Match and the read scope, deleting nothing', async () => {
      const created = await probe.subscribe({ url: PUBLIC_URL, eventTypes: ['*'] });
      await expectRefused(
        () =>
          http('DELETE', subscriptionUrl(created.id), {
            token: probe.manage,
            headers: { 'if-match': '"v2"' },
          }),
        412,
        'PRECONDITION_FAILED',
      );
      await expectRefused(
        () => http('DELETE', subscriptionUrl(created.id), { token: probe.read }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expectStatus(await http('GET', subscriptionUrl(created.id), { token: probe.read }), 200);
    });
  });

  describe('POST /webhook-subscriptions/{id}/rotate-secret', () => {
    it('answers a new secret once; the old one keeps signing for 24 h by default', async () => {
      const created = await probe.subscribe({ url: PUBLIC_URL, eventTypes: ['*'] });
      const before = Date.now();
      const res = await http<SubscriptionBody>(
        'POST',
        probe.url(`webhook-subscriptions/${created.id}/rotate-secret`),
        {
          token: probe.manage,
        },
      );
      expectStatus(res, 200);
      expect(res.body.secret).toMatch(/^whsec_/);
      expect(res.body.secret).not.toBe(created.secret);
      expect(res.body.version).toBe(2);
      const graceEnds = Date.parse(res.body.previousSecretExpiresAt ?? '');
      expect(graceEnds - before).toBeGreaterThanOrEqual(24 * 3600_000 - 1000);
      expect(graceEnds - before).toBeLessThanOrEqual(24 * 3600_000 + 60_000);
      expect(res.body.secretRotatedAt).toMatch(ISO_INSTANT);

      const now = await http<SubscriptionBody>(
        'POST',
        probe.url(`webhook-subscriptions/${created.id}/rotate-secret`),
        {
          token: probe.manage,
          body: { previousSecretExpiresInHours: 0 },
        },
      );
      expectStatus(now, 200);
      expect(now.body.previousSecretExpiresAt).toBeNull();
      const [row] = await t.sql<{ previous_secret_sealed: string | null }>(
        'select previous_secret_sealed from events_probe.webhook_subscriptions where id = $1',
        [created.id],
      );
      expect(row.previous_secret_sealed).toBeNull();
      const audit = await t.sql<{ action: string }>(
        "select action from events_probe.webhook_audit_log where subscription_id = $1 and action = 'subscription.secret_rotated'",
        [created.id],
      );
      expect(audit).toHaveLength(2);
    });

    it('refuses a bad grace period, an unknown subscription and the read scope', async () => {
      const created = await probe.subscribe({ url: PUBLIC_URL, eventTypes: ['*'] });
      const rotate =
        (body: unknown, token = probe.manage, id = created.id) =>
        () =>
          http('POST', probe.url(`webhook-subscriptions/${id}/rotate-secret`), { token, body });
      await expectRefused(rotate({ previousSecretExpiresInHours: 169 }), 400, 'VALIDATION_FAILED');
      await expectRefused(rotate({ previousSecretExpiresInHours: 1.5 }), 400, 'VALIDATION_FAILED');
      await expectRefused(rotate({ graceHours: 1 }), 400, 'VALIDATION_FAILED');
      await expectRefused(rotate({}, probe.read), 403, 'AUTH_INSUFFICIENT_SCOPE');
      await expectRefused(
        rotate({}, probe.manage, '6f1c7c1e-3d0a-4a4f-9d55-1c1f7f0e9a10'),
        404,
        'WEBHOOK_SUBSCRIPTION_NOT_FOUND',
      );
    });
  });

  describe('replays refused', () => {
    it('refuses a bad range, a disabled subscription and a token without manage', async () => {
      const created = await probe.subscribe({ url: PUBLIC_URL, eventTypes: ['*'], enabled: false });
      const replay =
        (body: unknown, token = probe.manage, id = created.id) =>
        () =>
          http('POST', probe.url(`webhook-subscriptions/${id}/replay`), { token, body });
      const from = '2026-01-01T00:00:00Z';
      await expectRefused(replay({ from, to: from }), 422, 'WEBHOOK_REPLAY_RANGE_INVALID');
      await expectRefused(
        replay({ from: '2026-02-01T00:00:00Z', to: from }),
        422,
        'WEBHOOK_REPLAY_RANGE_INVALID',
      );
      await expectRefused(replay({ from: '2026-01-01', to: from }), 400, 'VALIDATION_FAILED');
      await expectRefused(
        replay({ from: '2026-13-01T00:00:00Z', to: from }),
        400,
        'VALIDATION_FAILED',
      );
      await expectRefused(replay({ from }), 400, 'VALIDATION_FAILED');
      await expectRefused(
        replay({ from, to: '2026-02-01T00:00:00Z', extra: 1 }),
        400,
        'VALIDATION_FAILED',
      );
      await expectRefused(
        replay({ from, to: '2026-02-01T00:00:00Z' }),
        409,
        'WEBHOOK_SUBSCRIPTION_DISABLED',
      );
      await expectRefused(
        replay({ from, to: '2026-02-01T00:00:00Z' }, probe.read),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      await expectRefused(
        replay(
          { from, to: '2026-02-01T00:00:00Z' },
          probe.manage,
          '6f1c7c1e-3d0a-4a4f-9d55-1c1f7f0e9a10',
        ),
        404,
        'WEBHOOK_SUBSCRIPTION_NOT_FOUND',
      );
    });

    it('refuses replaying an unknown delivery and bad delivery filters', async () => {
      await expectRefused(
        () =>
          http(
            'POST',
            probe.url('webhook-deliveries/6f1c7c1e-3d0a-4a4f-9d55-1c1f7f0e9a10/replay'),
            {
              token: probe.manage,
            },
          ),
        404,
        'WEBHOOK_DELIVERY_NOT_FOUND',
      );
      for (const query of [
        'status=failed',
        'subscriptionId=x',
        'eventType=Bad Type',
        'eventId=1',
        'limit=0',
      ]) {
        expectProblem(
          await http('GET', `${probe.url('webhook-deliveries')}?${query}`, { token: probe.read }),
          400,
          'VALIDATION_FAILED',
        );
      }
      expectProblem(
        await http('GET', probe.url('webhook-deliveries/6f1c7c1e-3d0a-4a4f-9d55-1c1f7f0e9a10'), {
          token: probe.read,
        }),
        404,
        'WEBHOOK_DELIVERY_NOT_FOUND',
      );
    });
  });
});
