import { randomUUID } from 'node:crypto';
import { crmApp } from '../crm.app';
import { CrmConfig } from '../crm.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  Crm,
  expectStatus,
  inKeysetOrder,
  ISO_INSTANT,
  Page,
  pointers,
  ProblemBody,
  unique,
  UUID,
} from '../../test/crm-fixtures';
import type { AccountResponse } from './dto/account.dto';

const ADDRESS = {
  line1: '1 Market Street',
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94105',
  country: 'US',
};

function validAccount(): Record<string, unknown> {
  return {
    legalName: 'Acme Corporation',
    billingAddress: { ...ADDRESS },
    currency: 'USD',
    legalEntity: 'US01',
  };
}

const cursorOf = (parts: unknown): string =>
  Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');

describe('accounts (e2e)', () => {
  let t: TestApp<CrmConfig>;
  let crm: Crm;
  let rw: string;
  let readOnly: string;
  let de01: string;

  beforeAll(async () => {
    t = await startTestApp(crmApp);
    crm = new Crm(t, http);
    rw = t.token(['crm:read', 'crm:write']);
    readOnly = t.token(['crm:read']);
    de01 = t.token(['crm:read', 'crm:write'], { legalEntities: ['DE01'] });
  });
  afterAll(async () => {
    await t.close();
  });

  const row = async (id: string): Promise<Record<string, unknown> | undefined> =>
    (
      await t.sql(
        `select legal_name, billing_address, tax_registration, currency, legal_entity, parent_account_id, version, updated_at from crm.accounts where id = $1`,
        [id],
      )
    )[0];

  describe('POST /accounts', () => {
    it('creates an account with every field and answers exactly what it stored', async () => {
      const externalId = unique('ACME');
      const body = {
        externalId,
        legalName: 'Acme Corporation',
        billingAddress: { ...ADDRESS, line2: 'Suite 300' },
        taxRegistration: { scheme: 'EIN', number: '94-1234567', country: 'US' },
        currency: 'USD',
        legalEntity: 'US01',
      };
      const res = await http<AccountResponse>('POST', crm.url('accounts'), { token: rw, body });
      expectStatus(res, 201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        ...body,
        version: 1,
        createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
        updatedAt: res.body.createdAt,
      });
      expect(res.headers.get('etag')).toBe('"v1"');
      expect(new URL(res.headers.get('location') ?? '', crm.url('accounts')).pathname).toBe(
        `/crm/v1/accounts/${res.body.id}`,
      );
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);

      const read = await http<AccountResponse>('GET', crm.url(`accounts/${res.body.id}`), {
        token: readOnly,
      });
      expectStatus(read, 200);
      expect(read.body).toEqual(res.body);
      expect(read.headers.get('etag')).toBe('"v1"');

      expect(await row(res.body.id)).toEqual({
        legal_name: 'Acme Corporation',
        billing_address: body.billingAddress,
        tax_registration: body.taxRegistration,
        currency: 'USD',
        legal_entity: 'US01',
        parent_account_id: null,
        version: 1,
        updated_at: new Date(res.body.updatedAt),
      });
    });

    it('creates an account with only the required fields', async () => {
      const res = await http<AccountResponse>('POST', crm.url('accounts'), {
        token: rw,
        body: validAccount(),
      });
      expectStatus(res, 201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        legalName: 'Acme Corporation',
        billingAddress: ADDRESS,
        currency: 'USD',
        legalEntity: 'US01',
        version: 1,
        createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
        updatedAt: res.body.createdAt,
      });
      expect(Object.keys(res.body)).not.toEqual(
        expect.arrayContaining(['externalId', 'taxRegistration', 'parentAccountId']),
      );
    });

    const badBodies: [string, (b: Record<string, unknown>) => unknown, string][] = [
      ['legalName missing', ({ legalName: _omit, ...b }) => b, '/legalName'],
      ['legalName empty', (b) => ({ ...b, legalName: '' }), '/legalName'],
      ['legalName not a string', (b) => ({ ...b, legalName: 42 }), '/legalName'],
      ['legalName longer than 255', (b) => ({ ...b, legalName: 'x'.repeat(256) }), '/legalName'],
      ['billingAddress missing', ({ billingAddress: _omit, ...b }) => b, '/billingAddress'],
      [
        'billingAddress not an object',
        (b) => ({ ...b, billingAddress: '1 Market Street' }),
        '/billingAddress',
      ],
      [
        'billingAddress without city',
        (b) => ({ ...b, billingAddress: { line1: '1 Main', country: 'US' } }),
        '/billingAddress/city',
      ],
      [
        'country not alpha-2',
        (b) => ({ ...b, billingAddress: { ...ADDRESS, country: 'USA' } }),
        '/billingAddress/country',
      ],
      [
        'country unknown',
        (b) => ({ ...b, billingAddress: { ...ADDRESS, country: 'XX' } }),
        '/billingAddress/country',
      ],
      [
        'country lower case',
        (b) => ({ ...b, billingAddress: { ...ADDRESS, country: 'us' } }),
        '/billingAddress/country',
      ],
      [
        'tax country lower case',
        (b) => ({ ...b, taxRegistration: { scheme: 'VAT', number: 'DE123', country: 'de' } }),
        '/taxRegistration/country',
      ],
      [
        'unknown field in the address',
        (b) => ({ ...b, billingAddress: { ...ADDRESS, zip: '94105' } }),
        '/billingAddress/zip',
      ],
      ['currency lower case', (b) => ({ ...b, currency: 'usd' }), '/currency'],
      ['currency unknown', (b) => ({ ...b, currency: 'ABC' }), '/currency'],
      ['currency missing', ({ currency: _omit, ...b }) => b, '/currency'],
      ['legalEntity lower case', (b) => ({ ...b, legalEntity: 'us01' }), '/legalEntity'],
      ['legalEntity too short', (b) => ({ ...b, legalEntity: 'U' }), '/legalEntity'],
      ['legalEntity too long', (b) => ({ ...b, legalEntity: 'U'.repeat(21) }), '/legalEntity'],
      ['legalEntity missing', ({ legalEntity: _omit, ...b }) => b, '/legalEntity'],
      ['externalId with a space', (b) => ({ ...b, externalId: 'ACME 1' }), '/externalId'],
      ['externalId longer than 100', (b) => ({ ...b, externalId: 'A'.repeat(101) }), '/externalId'],
      [
        'parentAccountId not a UUID',
        (b) => ({ ...b, parentAccountId: 'acme' }),
        '/parentAccountId',
      ],
      [
        'tax scheme lower case',
        (b) => ({ ...b, taxRegistration: { scheme: 'vat', number: 'DE123', country: 'DE' } }),
        '/taxRegistration/scheme',
      ],
      [
        'tax number missing',
        (b) => ({ ...b, taxRegistration: { scheme: 'VAT', country: 'DE' } }),
        '/taxRegistration/number',
      ],
      ['unknown field', (b) => ({ ...b, admin: true }), '/admin'],
      ['server-owned field', (b) => ({ ...b, version: 7 }), '/version'],
    ];
    it.each(badBodies)(
      'rejects %s with VALIDATION_FAILED and writes nothing',
      async (_name, mutate, pointer) => {
        const before = await crm.counts();
        const res = await http('POST', crm.url('accounts'), {
          token: rw,
          body: mutate(validAccount()),
        });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(pointers(res)).toContain(pointer);
        expect(await crm.counts()).toEqual(before);
      },
    );

    it('rejects a body that is not JSON, an array, or absent, and writes nothing', async () => {
      const before = await crm.counts();
      const broken = await http('POST', crm.url('accounts'), {
        token: rw,
        rawBody: '{"legalName":',
      });
      expectProblem(broken, 400, 'MALFORMED_REQUEST');
      const text = await http('POST', crm.url('accounts'), {
        token: rw,
        rawBody: 'legalName=Acme',
        headers: { 'content-type': 'text/plain' },
      });
      // A text/plain body reaches validation as no body at all (Fastify's default text parser); 415
      // UNSUPPORTED_MEDIA_TYPE would be clearer, which is the platform's call. Either way: refused, nothing written.
      expect(text.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect([400, 415]).toContain(text.status);
      expectProblem(
        await http('POST', crm.url('accounts'), { token: rw, body: [validAccount()] }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await http('POST', crm.url('accounts'), { token: rw }),
        400,
        'VALIDATION_FAILED',
      );
      expect(await crm.counts()).toEqual(before);
    });

    it('refuses a taken externalId with 409 CRM_EXTERNAL_ID_TAKEN and writes nothing', async () => {
      const externalId = unique('DUP');
      await crm.createAccount(rw, { externalId });
      const before = await crm.counts();
      const res = await http('POST', crm.url('accounts'), {
        token: rw,
        body: { ...validAccount(), externalId, legalName: 'Other' },
      });
      expect(expectProblem(res, 409, 'CRM_EXTERNAL_ID_TAKEN').detail).toContain(externalId);
      expect(await crm.counts()).toEqual(before);
    });

    it('refuses an unknown parent or one in another legal entity with 422 CRM_PARENT_ACCOUNT_INVALID', async () => {
      const us = await crm.createAccount(rw);
      const before = await crm.counts();
      expectProblem(
        await http('POST', crm.url('accounts'), {
          token: rw,
          body: { ...validAccount(), parentAccountId: randomUUID() },
        }),
        422,
        'CRM_PARENT_ACCOUNT_INVALID',
      );
      expectProblem(
        await http('POST', crm.url('accounts'), {
          token: rw,
          body: { ...validAccount(), currency: 'EUR', legalEntity: 'DE01', parentAccountId: us.id },
        }),
        422,
        'CRM_PARENT_ACCOUNT_INVALID',
      );
      expect(await crm.counts()).toEqual(before);
      const child = await crm.createAccount(rw, { parentAccountId: us.id });
      expect(child.parentAccountId).toBe(us.id);
    });

    it('refuses a legal entity outside the token with 403 CRM_LEGAL_ENTITY_FORBIDDEN and writes nothing', async () => {
      const before = await crm.counts();
      const res = await http('POST', crm.url('accounts'), { token: de01, body: validAccount() });
      expect(expectProblem(res, 403, 'CRM_LEGAL_ENTITY_FORBIDDEN').detail).toContain('US01');
      expect(await crm.counts()).toEqual(before);
      const own = await crm.createAccount(de01, {
        currency: 'EUR',
        legalEntity: 'DE01',
        billingAddress: { line1: 'Friedrichstraße 100', city: 'Berlin', country: 'DE' },
      });
      expect(own.legalEntity).toBe('DE01');
    });

    it('needs crm:write (403 AUTH_INSUFFICIENT_SCOPE) and a token (401), writing nothing', async () => {
      const before = await crm.counts();
      expectProblem(
        await http('POST', crm.url('accounts'), { token: readOnly, body: validAccount() }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expectProblem(
        await http('POST', crm.url('accounts'), { body: validAccount() }),
        401,
        'AUTH_TOKEN_MISSING',
      );
      expectProblem(
        await http('POST', crm.url('accounts'), { token: 'not-a-jwt', body: validAccount() }),
        401,
        'AUTH_TOKEN_INVALID',
      );
      expect(await crm.counts()).toEqual(before);
    });

    it('replays a request sent again with the same Idempotency-Key and creates one account', async () => {
      const key = randomUUID();
      const body = { ...validAccount(), externalId: unique('IDEM') };
      const before = await crm.counts();
      const first = await http<AccountResponse>('POST', crm.url('accounts'), {
        token: rw,
        body,
        headers: { 'idempotency-key': key },
      });
      const second = await http<AccountResponse>('POST', crm.url('accounts'), {
        token: rw,
        body,
        headers: { 'idempotency-key': key },
      });
      expectStatus(first, 201);
      expectStatus(second, 201);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.headers.get('etag')).toBe('"v1"');
      expect((await crm.counts()).accounts).toBe(before.accounts + 1);
      const other = await http('POST', crm.url('accounts'), {
        token: rw,
        body: { ...body, legalName: 'Other' },
        headers: { 'idempotency-key': key },
      });
      expectProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect((await crm.counts()).accounts).toBe(before.accounts + 1);
    });
  });

  describe('GET /accounts/:id', () => {
    it('answers 400 for a non-UUID id, 404 for an unknown one', async () => {
      const bad = await http('GET', crm.url('accounts/acme'), { token: readOnly });
      expectProblem(bad, 400, 'VALIDATION_FAILED');
      expect(pointers(bad)).toEqual(['id']);
      const id = randomUUID();
      expect(
        expectProblem(
          await http('GET', crm.url(`accounts/${id}`), { token: readOnly }),
          404,
          'CRM_ACCOUNT_NOT_FOUND',
        ).detail,
      ).toContain(id);
    });

    it('hides accounts of legal entities outside the token (404) and needs crm:read', async () => {
      const us = await crm.createAccount(rw);
      expectProblem(
        await http('GET', crm.url(`accounts/${us.id}`), { token: de01 }),
        404,
        'CRM_ACCOUNT_NOT_FOUND',
      );
      expectProblem(
        await http('GET', crm.url(`accounts/${us.id}`), { token: t.token(['crm:write']) }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expectStatus(
        await http('GET', crm.url(`accounts/${us.id}`), {
          token: t.token(['crm:read'], { legalEntities: ['DE01', 'US01'] }),
        }),
        200,
      );
    });
  });

  describe('GET /accounts', () => {
    const entity = 'PG01';
    let created: AccountResponse[];

    beforeAll(async () => {
      created = [];
      for (let i = 0; i < 7; i++)
        created.push(
          await crm.createAccount(rw, {
            legalEntity: entity,
            legalName: `Paged ${i}`,
            externalId: unique('PG'),
          }),
        );
    });

    it('pages with limit=3 through every item exactly once, in (updatedAt, id) order', async () => {
      const first = await http<Page<AccountResponse>>(
        'GET',
        `${crm.url('accounts')}?legalEntity=${entity}&limit=3`,
        { token: readOnly },
      );
      expectStatus(first, 200);
      expect(first.body.data).toHaveLength(3);
      expect(first.body.nextCursor).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]+$/));

      const { items, pages } = await crm.walk<AccountResponse>(readOnly, 'accounts', {
        legalEntity: entity,
        limit: '3',
      });
      expect(pages).toBe(3);
      expect(items.map((a) => a.id)).toEqual(created.map((a) => a.id));
      expect(new Set(items.map((a) => a.id)).size).toBe(7);
      expect(inKeysetOrder(items)).toBe(true);
      expect(items[0]).toEqual(created[0]);
    });

    it('pages through the whole table in order and moves an updated account to the end', async () => {
      const before = await crm.walk<AccountResponse>(readOnly, 'accounts', { limit: '2' });
      const [{ n }] = await t.sql<{ n: number }>('select count(*)::int as n from crm.accounts');
      expect(before.items).toHaveLength(n);
      expect(new Set(before.items.map((a) => a.id)).size).toBe(n);
      expect(inKeysetOrder(before.items)).toBe(true);

      const target = created[1];
      expectStatus(
        await http('PATCH', crm.url(`accounts/${target.id}`), {
          token: rw,
          body: { legalName: 'Paged 1 (renamed)' },
        }),
        200,
      );
      const after = await crm.walk<AccountResponse>(readOnly, 'accounts', {
        legalEntity: entity,
        limit: '3',
      });
      expect(after.items.map((a) => a.id)).toEqual([
        ...created.filter((a) => a.id !== target.id).map((a) => a.id),
        target.id,
      ]);
      created = after.items;
    });

    it('filters by updatedSince (inclusive), externalId and legalEntity', async () => {
      const since = created[3];
      const res = await http<Page<AccountResponse>>(
        'GET',
        `${crm.url('accounts')}?legalEntity=${entity}&updatedSince=${encodeURIComponent(since.updatedAt)}`,
        { token: readOnly },
      );
      expectStatus(res, 200);
      expect(res.body.data.map((a) => a.id)).toEqual(
        created.filter((a) => a.updatedAt >= since.updatedAt).map((a) => a.id),
      );
      expect(res.body.nextCursor).toBeNull();

      const future = await http<Page<AccountResponse>>(
        'GET',
        `${crm.url('accounts')}?updatedSince=2999-01-01`,
        { token: readOnly },
      );
      expect(future.body).toEqual({ data: [], nextCursor: null });

      const one = created[5];
      if (!one.externalId) throw new Error('the paged accounts have externalIds');
      const byExternal = await http<Page<AccountResponse>>(
        'GET',
        `${crm.url('accounts')}?externalId=${one.externalId}`,
        { token: readOnly },
      );
      expect(byExternal.body).toEqual({ data: [one], nextCursor: null });

      const byEntity = await http<Page<AccountResponse>>(
        'GET',
        `${crm.url('accounts')}?legalEntity=${entity}&limit=200`,
        { token: readOnly },
      );
      expect(byEntity.body.data).toHaveLength(7);
      expect(byEntity.body.data.every((a) => a.legalEntity === entity)).toBe(true);
    });

    it('lists only the legal entities of the token', async () => {
      const de = await crm.createAccount(rw, {
        legalEntity: 'DE01',
        currency: 'EUR',
        legalName: 'Globex GmbH',
      });
      const { items } = await crm.walk<AccountResponse>(de01, 'accounts', { limit: '200' });
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((a) => a.legalEntity === 'DE01')).toBe(true);
      expect(items.map((a) => a.id)).toContain(de.id);

      const filtered = await http<Page<AccountResponse>>(
        'GET',
        `${crm.url('accounts')}?legalEntity=${entity}`,
        { token: de01 },
      );
      expect(filtered.body).toEqual({ data: [], nextCursor: null });

      const none = await http<Page<AccountResponse>>('GET', crm.url('accounts'), {
        token: t.token(['crm:read'], { legalEntities: [] }),
      });
      expectStatus(none, 200);
      expect(none.body).toEqual({ data: [], nextCursor: null });
    });

    const badQueries: [string, string, string][] = [
      ['limit=0', 'limit=0', 'limit'],
      ['limit=201', 'limit=201', 'limit'],
      ['limit not a number', 'limit=abc', 'limit'],
      ['limit not whole', 'limit=1.5', 'limit'],
      ['cursor with bad characters', 'cursor=not%20a%20cursor', 'cursor'],
      ['cursor that is no JSON', 'cursor=abc', 'cursor'],
      ['cursor with a non-ISO time', `cursor=${cursorOf(['1', randomUUID()])}`, 'cursor'],
      [
        'cursor with an impossible time',
        `cursor=${cursorOf(['2026-02-30T00:00:00.000Z', randomUUID()])}`,
        'cursor',
      ],
      ['cursor without a UUID', `cursor=${cursorOf(['2026-01-01T00:00:00.000Z', 'x'])}`, 'cursor'],
      [
        'cursor of the wrong shape',
        `cursor=${cursorOf(['2026-01-01T00:00:00.000Z', randomUUID(), 'x'])}`,
        'cursor',
      ],
      ['updatedSince not a date', 'updatedSince=yesterday', 'updatedSince'],
      ['updatedSince impossible date', 'updatedSince=2026-02-30T00:00:00Z', 'updatedSince'],
      ['updatedSince week date', 'updatedSince=2026-W05', 'updatedSince'],
      ['updatedSince basic format', 'updatedSince=20260101', 'updatedSince'],
      ['updatedSince without a zone', 'updatedSince=2026-01-01T00:00:00', 'updatedSince'],
      ['legalEntity lower case', 'legalEntity=us01', 'legalEntity'],
      ['externalId with a space', 'externalId=a%20b', 'externalId'],
      ['unknown parameter', 'owner=me', 'owner'],
    ];
    it.each(badQueries)('rejects %s with 400 VALIDATION_FAILED', async (_name, query, param) => {
      const res = await http('GET', `${crm.url('accounts')}?${query}`, { token: readOnly });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res).some((p) => p.replace(/^\//, '') === param)).toBe(true);
    });

    it('accepts the date and date-time forms it documents', async () => {
      for (const since of ['2026-01-31', '2026-01-31T00:00:00Z', '2026-01-31T01:00:00.123+01:00']) {
        expectStatus(
          await http('GET', `${crm.url('accounts')}?updatedSince=${encodeURIComponent(since)}`, {
            token: readOnly,
          }),
          200,
        );
      }
    });
  });

  describe('PATCH /accounts/:id', () => {
    it('updates with the current ETag, keeps what was not sent, and bumps the ETag', async () => {
      const created = await crm.createAccount(rw, {
        externalId: unique('UPD'),
        taxRegistration: { scheme: 'EIN', number: '94-1234567', country: 'US' },
      });
      const read = await http<AccountResponse>('GET', crm.url(`accounts/${created.id}`), {
        token: rw,
      });
      const etag = read.headers.get('etag') ?? '';
      expect(etag).toBe('"v1"');

      const newAddress = { line1: '500 Howard Street', city: 'San Francisco', country: 'US' };
      const res = await http<AccountResponse>('PATCH', crm.url(`accounts/${created.id}`), {
        token: rw,
        headers: { 'if-match': etag },
        body: { legalName: 'Acme Inc.', billingAddress: newAddress },
      });
      expectStatus(res, 200);
      expect(res.headers.get('etag')).toBe('"v2"');
      expect(res.body).toEqual({
        ...created,
        legalName: 'Acme Inc.',
        billingAddress: newAddress,
        version: 2,
        updatedAt: expect.stringMatching(ISO_INSTANT) as unknown,
      });
      expect(res.body.updatedAt > created.updatedAt).toBe(true);
      const again = await http<AccountResponse>('GET', crm.url(`accounts/${created.id}`), {
        token: rw,
      });
      expect(again.body).toEqual(res.body);
      expect(again.headers.get('etag')).toBe('"v2"');

      // A stale ETag: 412, and nothing changes.
      const before = await row(created.id);
      const stale = await http<ProblemBody>('PATCH', crm.url(`accounts/${created.id}`), {
        token: rw,
        headers: { 'if-match': etag },
        body: { legalName: 'Lost update' },
      });
      expectProblem(stale, 412, 'PRECONDITION_FAILED');
      expect(stale.body.currentETag).toBe('"v2"');
      expect(await row(created.id)).toEqual(before);

      for (const garbage of ['v2', '"2"', 'W/"x"', 'abc', '"v2", "v3"']) {
        expectProblem(
          await http('PATCH', crm.url(`accounts/${created.id}`), {
            token: rw,
            headers: { 'if-match': garbage },
            body: { legalName: 'Garbage' },
          }),
          412,
          'PRECONDITION_FAILED',
        );
      }
      expect(await row(created.id)).toEqual(before);

      // Without If-Match (or with *) the write is unconditional.
      const star = await http<AccountResponse>('PATCH', crm.url(`accounts/${created.id}`), {
        token: rw,
        headers: { 'if-match': '*' },
        body: { currency: 'EUR' },
      });
      expectStatus(star, 200);
      expect(star.body).toMatchObject({ currency: 'EUR', legalName: 'Acme Inc.', version: 3 });
      const bare = await http<AccountResponse>('PATCH', crm.url(`accounts/${created.id}`), {
        token: rw,
        body: { taxRegistration: null },
      });
      expectStatus(bare, 200);
      expect(bare.body.version).toBe(4);
      expect(bare.body.taxRegistration).toBeUndefined();
      expect((await row(created.id))?.tax_registration).toBeNull();
    });

    const badPatches: [string, Record<string, unknown>, string][] = [
      ['legalName null', { legalName: null }, '/legalName'],
      ['legalName empty', { legalName: '' }, '/legalName'],
      ['billingAddress null', { billingAddress: null }, '/billingAddress'],
      [
        'billingAddress incomplete',
        { billingAddress: { line1: '1 Main' } },
        '/billingAddress/city',
      ],
      ['currency null', { currency: null }, '/currency'],
      ['currency invalid', { currency: 'EURO' }, '/currency'],
      ['currency lower case', { currency: 'eur' }, '/currency'],
      [
        'country lower case',
        { billingAddress: { ...ADDRESS, country: 'us' } },
        '/billingAddress/country',
      ],
      ['legalEntity null', { legalEntity: null }, '/legalEntity'],
      ['legalEntity invalid', { legalEntity: 'de-01' }, '/legalEntity'],
      ['parentAccountId not a UUID', { parentAccountId: 'parent' }, '/parentAccountId'],
      ['externalId (not updatable)', { externalId: 'NEW' }, '/externalId'],
      ['unknown field', { owner: 'me' }, '/owner'],
    ];
    it.each(badPatches)(
      'rejects %s with VALIDATION_FAILED and changes nothing',
      async (_name, body, pointer) => {
        const account = await crm.createAccount(rw);
        const before = await row(account.id);
        const counts = await crm.counts();
        const res = await http('PATCH', crm.url(`accounts/${account.id}`), {
          token: rw,
          headers: { 'if-match': '"v1"' },
          body,
        });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(pointers(res)).toContain(pointer);
        expect(await row(account.id)).toEqual(before);
        expect(await crm.counts()).toEqual(counts);
      },
    );

    it('answers 400 for a non-UUID id, 404 for unknown or hidden accounts, 403 without crm:write', async () => {
      const us = await crm.createAccount(rw);
      const before = await row(us.id);
      const res = await http('PATCH', crm.url('accounts/123'), {
        token: rw,
        body: { legalName: 'X' },
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res)).toEqual(['id']);
      expectProblem(
        await http('PATCH', crm.url(`accounts/${randomUUID()}`), {
          token: rw,
          body: { legalName: 'X' },
        }),
        404,
        'CRM_ACCOUNT_NOT_FOUND',
      );
      expectProblem(
        await http('PATCH', crm.url(`accounts/${us.id}`), {
          token: de01,
          body: { legalName: 'X' },
        }),
        404,
        'CRM_ACCOUNT_NOT_FOUND',
      );
      expectProblem(
        await http('PATCH', crm.url(`accounts/${us.id}`), {
          token: readOnly,
          body: { legalName: 'X' },
        }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expect(await row(us.id)).toEqual(before);
    });

    it('refuses to move an account to a legal entity outside the token (403)', async () => {
      const de = await crm.createAccount(de01, { legalEntity: 'DE01', currency: 'EUR' });
      const before = await row(de.id);
      expectProblem(
        await http('PATCH', crm.url(`accounts/${de.id}`), {
          token: de01,
          body: { legalEntity: 'US01' },
        }),
        403,
        'CRM_LEGAL_ENTITY_FORBIDDEN',
      );
      expect(await row(de.id)).toEqual(before);
    });

    it('keeps the hierarchy inside one legal entity and free of cycles (422 CRM_PARENT_ACCOUNT_INVALID)', async () => {
      const parent = await crm.createAccount(rw, { legalName: 'Parent' });
      const child = await crm.createAccount(rw, { legalName: 'Child', parentAccountId: parent.id });
      const grandchild = await crm.createAccount(rw, {
        legalName: 'Grandchild',
        parentAccountId: child.id,
      });
      const german = await crm.createAccount(rw, {
        legalName: 'German',
        legalEntity: 'DE01',
        currency: 'EUR',
      });
      const snapshot = async (): Promise<unknown[]> =>
        Promise.all([parent, child, grandchild, german].map((a) => row(a.id)));
      const before = await snapshot();

      const refusals: [string, Record<string, unknown>][] = [
        [parent.id, { parentAccountId: parent.id }],
        [parent.id, { parentAccountId: child.id }],
        [parent.id, { parentAccountId: grandchild.id }],
        [parent.id, { parentAccountId: german.id }],
        [parent.id, { parentAccountId: randomUUID() }],
        [child.id, { legalEntity: 'DE01' }],
        [parent.id, { legalEntity: 'DE01' }],
        [german.id, { parentAccountId: parent.id }],
      ];
      for (const [id, body] of refusals) {
        const res = await http('PATCH', crm.url(`accounts/${id}`), { token: rw, body });
        expectProblem(res, 422, 'CRM_PARENT_ACCOUNT_INVALID');
      }
      expect(await snapshot()).toEqual(before);

      // Moving a whole branch works once it is detached: null removes the parent.
      const detached = await http<AccountResponse>('PATCH', crm.url(`accounts/${child.id}`), {
        token: rw,
        body: { parentAccountId: null },
      });
      expectStatus(detached, 200);
      expect(detached.body.parentAccountId).toBeUndefined();
      expect((await row(child.id))?.parent_account_id).toBeNull();
      const reparented = await http<AccountResponse>(
        'PATCH',
        crm.url(`accounts/${grandchild.id}`),
        { token: rw, body: { parentAccountId: parent.id } },
      );
      expectStatus(reparented, 200);
      expect(reparented.body).toMatchObject({
        parentAccountId: parent.id,
        legalName: 'Grandchild',
        version: 2,
      });
      const moved = await http<AccountResponse>('PATCH', crm.url(`accounts/${child.id}`), {
        token: rw,
        body: { legalEntity: 'DE01', currency: 'EUR' },
      });
      expectStatus(moved, 200);
      expect(moved.body).toMatchObject({
        legalEntity: 'DE01',
        currency: 'EUR',
        legalName: 'Child',
      });
    });
  });

  describe('moving an account to another legal entity', () => {
    it('moves its open opportunities with it and leaves closed ones with the entity that contracted them', async () => {
      const product = await crm.createProduct(rw);
      const account = await crm.createAccount(rw, { legalName: 'Mover Inc' });
      const line = {
        productId: product.id,
        quantity: '1',
        unitPrice: '100',
        termMonths: 12,
        startDate: '2027-01-01',
      };
      const open = await crm.createOpportunity(rw, { accountId: account.id, lines: [line] });
      const won = await crm.createOpportunity(rw, { accountId: account.id, lines: [line] });
      expectStatus(
        await http('POST', crm.url(`opportunities/${won.id}/stage`), {
          token: rw,
          body: { stage: 'closed_won' },
        }),
        200,
      );

      expectStatus(
        await http('PATCH', crm.url(`accounts/${account.id}`), {
          token: rw,
          body: { legalEntity: 'DE01' },
        }),
        200,
      );

      const openNow = await http<{ legalEntity: string; version: number }>(
        'GET',
        crm.url(`opportunities/${open.id}`),
        { token: rw },
      );
      const wonNow = await http<{ legalEntity: string }>(
        'GET',
        crm.url(`opportunities/${won.id}`),
        { token: rw },
      );
      expect(openNow.body.legalEntity).toBe('DE01');
      expect(openNow.body.version).toBe(open.version + 1);
      expect(wonNow.body.legalEntity).toBe('US01');
      // A caller limited to DE01 now sees the open deal and still not the one won under US01.
      expectStatus(await http('GET', crm.url(`opportunities/${open.id}`), { token: de01 }), 200);
      expectProblem(
        await http('GET', crm.url(`opportunities/${won.id}`), { token: de01 }),
        404,
        'CRM_OPPORTUNITY_NOT_FOUND',
      );
    });
  });

  it('treats a parent in a legal entity outside the token as unknown, without revealing it exists', async () => {
    const usParent = await crm.createAccount(rw, { legalName: 'US parent' });
    const res = await http('POST', crm.url('accounts'), {
      token: de01,
      body: {
        ...validAccount(),
        currency: 'EUR',
        legalEntity: 'DE01',
        parentAccountId: usParent.id,
      },
    });
    const problem = expectProblem(res, 422, 'CRM_PARENT_ACCOUNT_INVALID');
    expect(problem.detail).toBe(`Parent account ${usParent.id} does not exist.`);
  });

  it('finds a cycle however deep the hierarchy is', async () => {
    const chain: AccountResponse[] = [await crm.createAccount(rw, { legalName: 'Root' })];
    for (let i = 1; i < 60; i++) {
      chain.push(
        await crm.createAccount(rw, { legalName: `Level ${i}`, parentAccountId: chain[i - 1]?.id }),
      );
    }
    const root = chain[0];
    const deepest = chain[chain.length - 1];
    const before = await row(root.id);
    const res = await http('PATCH', crm.url(`accounts/${root.id}`), {
      token: rw,
      body: { parentAccountId: deepest.id },
    });
    expectProblem(res, 422, 'CRM_PARENT_ACCOUNT_INVALID');
    expect(await row(root.id)).toEqual(before);
  });

  it('refuses a new currency while the account has open opportunities priced in the old one', async () => {
    const product = await crm.createProduct(rw);
    const account = await crm.createAccount(rw, { legalName: 'Currency Co' });
    const line = {
      productId: product.id,
      quantity: '1',
      unitPrice: '100',
      termMonths: 12,
      startDate: '2027-01-01',
    };
    const open = await crm.createOpportunity(rw, { accountId: account.id, lines: [line] });
    const before = await row(account.id);
    const refused = await http('PATCH', crm.url(`accounts/${account.id}`), {
      token: rw,
      body: { currency: 'JPY' },
    });
    expectProblem(refused, 422, 'CRM_ACCOUNT_HAS_OPEN_OPPORTUNITIES');
    expect(await row(account.id)).toEqual(before);

    expectStatus(
      await http('POST', crm.url(`opportunities/${open.id}/stage`), {
        token: rw,
        body: { stage: 'closed_lost' },
      }),
      200,
    );
    const changed = await http<AccountResponse>('PATCH', crm.url(`accounts/${account.id}`), {
      token: rw,
      body: { currency: 'JPY' },
    });
    expectStatus(changed, 200);
    expect(changed.body.currency).toBe('JPY');
  });
});
