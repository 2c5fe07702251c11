import { randomUUID } from 'node:crypto';
import { IdempotencyInterceptor, requestHash } from '@revgate/idempotency';
import { crmApp } from '../../apps/system-crm/src/crm.app';
import type { CrmConfig } from '../../apps/system-crm/src/crm.config';
import { AccountBody, newAccount, NewAccount } from '../support/crm';
import { expectProblem, http, JsonResponse, startTestApp, TestApp } from '../support/test-app';

describe('Idempotency-Key (e2e, DESIGN §9)', () => {
  let t: TestApp<CrmConfig>;
  let accounts: string;
  let writer: string;

  beforeAll(async () => {
    t = await startTestApp(crmApp);
    accounts = `${t.url}/crm/v1/accounts`;
    writer = t.token(['crm:read', 'crm:write'], { subject: 'writer-1' });
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (
    key: string | undefined,
    body: NewAccount | Record<string, unknown>,
    token = writer,
  ): Promise<JsonResponse<AccountBody>> =>
    http<AccountBody>('POST', accounts, {
      token,
      body,
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });

  const accountsNamed = async (legalName: string): Promise<number> =>
    (await t.sql(`select 1 from crm.accounts where legal_name = $1`, [legalName])).length;

  const keyRows = (
    key: string,
  ): Promise<{ caller: string; state: string; status_code: number | null }[]> =>
    t.sql(
      `select caller, state, status_code from crm.idempotency_keys where key = $1 order by caller`,
      [key],
    );

  /** A name no other test uses, so counts of rows are this test's own. */
  const unique = (label: string): string => `${label} ${randomUUID().slice(0, 8)}`;

  it('replays the first response for the same key and body, and creates one account', async () => {
    const key = randomUUID();
    const body = newAccount({ legalName: unique('Replay Co') });
    const first = await create(key, body);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    // The same body with its keys in another order is the same request.
    const reordered = {
      currency: body.currency,
      legalEntity: body.legalEntity,
      billingAddress: body.billingAddress,
      legalName: body.legalName,
    };
    for (const again of [body, reordered]) {
      const replay = await create(key, again);
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect(replay.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(replay.headers.get('location')).toBe(first.headers.get('location'));
    }
    expect(await accountsNamed(body.legalName)).toBe(1);
    expect(await keyRows(key)).toEqual([
      { caller: 'writer-1', state: 'completed', status_code: 201 },
    ]);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED to the same key with another body, and writes nothing', async () => {
    const key = randomUUID();
    const body = newAccount({ legalName: unique('Reuse Co') });
    expect((await create(key, body)).status).toBe(201);
    const other = { ...body, legalName: unique('Reuse Other') };
    const res = await create(key, other);
    expectProblem(res, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await accountsNamed(other.legalName)).toBe(0);
    expect(await accountsNamed(body.legalName)).toBe(1);
  });

  it('answers 422 to the same key on another path', async () => {
    const key = randomUUID();
    expect((await create(key, newAccount({ legalName: unique('Path Co') }))).status).toBe(201);
    const res = await http('POST', `${t.url}/crm/v1/products`, {
      token: writer,
      headers: { 'idempotency-key': key },
      body: { sku: 'SKU-IDEM', name: 'Probe', family: 'subscription', active: true },
    });
    expectProblem(res, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await t.sql(`select 1 from crm.products where sku = 'SKU-IDEM'`)).toHaveLength(0);
  });

  it('scopes keys to the caller', async () => {
    const key = randomUUID();
    const body = newAccount({ legalName: unique('Scoped Co') });
    const mine = await create(key, body);
    const theirs = await create(key, body, t.token(['crm:write'], { subject: 'writer-2' }));
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(await accountsNamed(body.legalName)).toBe(2);
    expect((await keyRows(key)).map((r) => r.caller)).toEqual(['writer-1', 'writer-2']);
  });

  it.each([
    ['300 characters', 'k'.repeat(300)],
    ['a space', 'has space'],
    ['non-ASCII', 'clé-1'],
  ])(
    'answers 400 IDEMPOTENCY_KEY_INVALID to a key with %s, and writes nothing',
    async (_label, key) => {
      const body = newAccount({ legalName: unique('Bad Key Co') });
      const res = await http('POST', accounts, {
        token: writer,
        body,
        headers: { 'idempotency-key': key },
      });
      expectProblem(res, 400, 'IDEMPOTENCY_KEY_INVALID');
      expect(await accountsNamed(body.legalName)).toBe(0);
    },
  );

  it('accepts a key of 255 characters', async () => {
    const key = `${randomUUID()}${'k'.repeat(219)}`;
    expect(key).toHaveLength(255);
    const body = newAccount({ legalName: unique('Long Key Co') });
    expect((await create(key, body)).status).toBe(201);
    expect((await create(key, body)).headers.get('idempotent-replayed')).toBe('true');
  });

  it('does not store a request that fails, so a corrected retry with the key succeeds', async () => {
    const key = randomUUID();
    const legalName = unique('Retry Co');
    const invalid = await create(key, { ...newAccount({ legalName }), currency: 'DOLLARS' });
    expectProblem(invalid, 400, 'VALIDATION_FAILED');
    expect(await keyRows(key)).toEqual([]);
    expect(await accountsNamed(legalName)).toBe(0);

    const fixed = await create(key, newAccount({ legalName }));
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    expect(await accountsNamed(legalName)).toBe(1);
  });

  it('never runs a request twice when storing its response fails: the effect rolls back with it', async () => {
    // Make the first attempt to mark a key completed fail, as a lost connection would.
    await t.sql(`create sequence if not exists crm.fail_once_seq`);
    await t.sql(`create or replace function crm.fail_once() returns trigger language plpgsql as $$
      begin
        if new.state = 'completed' and nextval('crm.fail_once_seq') = 1 then
          raise exception 'injected failure while storing the response';
        end if;
        return new;
      end $$`);
    await t.sql(
      `create trigger fail_once before update on crm.idempotency_keys for each row execute function crm.fail_once()`,
    );
    try {
      const key = randomUUID();
      const legalName = unique('Lost Response Co');
      const first = await create(key, newAccount({ legalName }));
      expectProblem(first, 500, 'INTERNAL_ERROR');
      expect(await accountsNamed(legalName)).toBe(0);
      expect(await keyRows(key)).toEqual([]);

      const retry = await create(key, newAccount({ legalName }));
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
      expect(await accountsNamed(legalName)).toBe(1);
      expect((await keyRows(key)).map((r) => r.state)).toEqual(['completed']);
    } finally {
      await t.sql(`drop trigger if exists fail_once on crm.idempotency_keys`);
    }
  });

  it('replays a PATCH without applying it twice', async () => {
    const created = await create(undefined, newAccount({ legalName: unique('Patch Co') }));
    const key = randomUUID();
    const patch = (): Promise<JsonResponse<AccountBody>> =>
      http<AccountBody>('PATCH', `${accounts}/${created.body.id}`, {
        token: writer,
        body: { legalName: 'Patched Co' },
        headers: { 'idempotency-key': key },
      });
    const first = await patch();
    const second = await patch();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(first.body.version).toBe(created.body.version + 1);
    const read = await http<AccountBody>('GET', `${accounts}/${created.body.id}`, {
      token: writer,
    });
    expect(read.body.version).toBe(first.body.version);
  });

  it('answers 409 IDEMPOTENCY_KEY_IN_USE while the first request with the key is running', async () => {
    const key = randomUUID();
    const body = newAccount({ legalName: unique('In Flight Co') });
    await t.sql(
      `insert into crm.idempotency_keys (caller, key, request_hash, method, path, state, locked_at, created_at, expires_at)
       values ('writer-1', $1, $2, 'POST', '/crm/v1/accounts', 'in_flight', now(), now(), now() + interval '1 day')`,
      [key, requestHash('POST', '/crm/v1/accounts', body)],
    );
    const res = await create(key, body);
    expectProblem(res, 409, 'IDEMPOTENCY_KEY_IN_USE');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await accountsNamed(body.legalName)).toBe(0);
  });

  it('takes over a key whose first request died (stale lock)', async () => {
    const key = randomUUID();
    const body = newAccount({ legalName: unique('Stale Lock Co') });
    await t.sql(
      `insert into crm.idempotency_keys (caller, key, request_hash, method, path, state, locked_at, created_at, expires_at)
       values ('writer-1', $1, $2, 'POST', '/crm/v1/accounts', 'in_flight', now() - interval '5 minutes', now() - interval '5 minutes', now() + interval '1 day')`,
      [key, requestHash('POST', '/crm/v1/accounts', body)],
    );
    const res = await create(key, body);
    expect(res.status).toBe(201);
    expect(await accountsNamed(body.legalName)).toBe(1);
    expect(await keyRows(key)).toEqual([
      { caller: 'writer-1', state: 'completed', status_code: 201 },
    ]);
  });

  it('runs 200 concurrent requests with one key once', async () => {
    const key = randomUUID();
    const body = newAccount({ legalName: unique('Concurrent Co') });
    const responses = await Promise.all(Array.from({ length: 200 }, () => create(key, body)));

    expect(await accountsNamed(body.legalName)).toBe(1);
    const created = responses.filter((r) => r.status === 201);
    const inUse = responses.filter((r) => r.status !== 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(created.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    for (const res of inUse) expectProblem(res, 409, 'IDEMPOTENCY_KEY_IN_USE');

    // Once the first has finished, a retry gets its result.
    const retry = await create(key, body);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(created[0]?.body.id);
  });

  it('forgets an expired key: the key can then be used for a new request', async () => {
    const key = randomUUID();
    expect((await create(key, newAccount({ legalName: unique('Expired Co') }))).status).toBe(201);
    await t.sql(
      `update crm.idempotency_keys set expires_at = now() - interval '1 minute' where key = $1`,
      [key],
    );
    const other = newAccount({ legalName: unique('After Expiry Co') });
    const res = await create(key, other);
    expect(res.status).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(await accountsNamed(other.legalName)).toBe(1);
  });

  it('ignores the header on reads and without it stores nothing', async () => {
    const read = await http('GET', accounts, {
      token: writer,
      headers: { 'idempotency-key': 'has space' },
    });
    expect(read.status).toBe(200);
    const before = await t.sql<{ n: string }>(
      `select count(*)::text as n from crm.idempotency_keys`,
    );
    expect((await create(undefined, newAccount({ legalName: unique('No Key Co') }))).status).toBe(
      201,
    );
    expect(
      await t.sql<{ n: string }>(`select count(*)::text as n from crm.idempotency_keys`),
    ).toEqual(before);
  });

  it('purges expired keys and keeps the others', async () => {
    const expired = randomUUID();
    const kept = randomUUID();
    expect((await create(expired, newAccount({ legalName: unique('Purge Co') }))).status).toBe(201);
    expect((await create(kept, newAccount({ legalName: unique('Keep Co') }))).status).toBe(201);
    await t.sql(
      `update crm.idempotency_keys set expires_at = now() - interval '1 second' where key = $1`,
      [expired],
    );
    const [{ n }] = (await t.sql<{ n: number }>(
      `select count(*)::int as n from crm.idempotency_keys where expires_at < now()`,
    )) as [{ n: number }];

    const purged = await t.app.get(IdempotencyInterceptor).purgeExpired();

    expect(purged).toBe(n);
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await keyRows(expired)).toEqual([]);
    expect(await keyRows(kept)).toHaveLength(1);
    expect(await t.sql(`select 1 from crm.idempotency_keys where expires_at < now()`)).toEqual([]);
  });

  it('keeps keys for the configured time (at least 24 hours)', async () => {
    const key = randomUUID();
    expect((await create(key, newAccount({ legalName: unique('TTL Co') }))).status).toBe(201);
    const rows = await t.sql<{ hours: number }>(
      `select (extract(epoch from expires_at - created_at) / 3600)::float8 as hours from crm.idempotency_keys where key = $1`,
      [key],
    );
    expect(rows).toEqual([{ hours: 24 }]);
  });
});
