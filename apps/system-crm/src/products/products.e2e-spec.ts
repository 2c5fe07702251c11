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
import type { ProductResponse } from './dto/product.dto';

describe('products (e2e)', () => {
  let t: TestApp<CrmConfig>;
  let crm: Crm;
  let rw: string;
  let readOnly: string;

  beforeAll(async () => {
    t = await startTestApp(crmApp);
    crm = new Crm(t, http);
    rw = t.token(['crm:read', 'crm:write']);
    readOnly = t.token(['crm:read']);
  });
  afterAll(async () => {
    await t.close();
  });

  const row = async (id: string): Promise<Record<string, unknown> | undefined> =>
    (
      await t.sql(
        `select external_id, sku, name, family, active, version, updated_at from crm.products where id = $1`,
        [id],
      )
    )[0];

  describe('POST /products', () => {
    it('creates a product, active by default, and answers exactly what it stored', async () => {
      const body = {
        externalId: unique('P'),
        sku: unique('PLAT-ANNUAL'),
        name: 'Platform subscription',
        family: 'subscription',
      };
      const res = await http<ProductResponse>('POST', crm.url('products'), { token: rw, body });
      expectStatus(res, 201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        ...body,
        active: true,
        version: 1,
        createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
        updatedAt: res.body.createdAt,
      });
      expect(res.headers.get('etag')).toBe('"v1"');
      expect(new URL(res.headers.get('location') ?? '', crm.url('products')).pathname).toBe(
        `/crm/v1/products/${res.body.id}`,
      );

      const read = await http<ProductResponse>('GET', crm.url(`products/${res.body.id}`), {
        token: readOnly,
      });
      expectStatus(read, 200);
      expect(read.body).toEqual(res.body);
      expect(read.headers.get('etag')).toBe('"v1"');
      expect(await row(res.body.id)).toEqual({
        external_id: body.externalId,
        sku: body.sku,
        name: body.name,
        family: 'subscription',
        active: true,
        version: 1,
        updated_at: new Date(res.body.updatedAt),
      });
    });

    it('creates an inactive product without the optional fields', async () => {
      const sku = unique('OLD');
      const res = await http<ProductResponse>('POST', crm.url('products'), {
        token: rw,
        body: { sku, name: 'Legacy', active: false },
      });
      expectStatus(res, 201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        sku,
        name: 'Legacy',
        active: false,
        version: 1,
        createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
        updatedAt: res.body.createdAt,
      });
    });

    const valid = (): Record<string, unknown> => ({ sku: unique('OK'), name: 'Valid' });
    const badBodies: [string, (b: Record<string, unknown>) => unknown, string][] = [
      ['sku missing', ({ sku: _omit, ...b }) => b, '/sku'],
      ['sku with a space', (b) => ({ ...b, sku: 'PLAT ANNUAL' }), '/sku'],
      ['sku starting with a dash', (b) => ({ ...b, sku: '-PLAT' }), '/sku'],
      ['sku longer than 64', (b) => ({ ...b, sku: 'S'.repeat(65) }), '/sku'],
      ['sku not a string', (b) => ({ ...b, sku: 12 }), '/sku'],
      ['name missing', ({ name: _omit, ...b }) => b, '/name'],
      ['name empty', (b) => ({ ...b, name: '' }), '/name'],
      ['name longer than 255', (b) => ({ ...b, name: 'n'.repeat(256) }), '/name'],
      ['family empty', (b) => ({ ...b, family: '' }), '/family'],
      ['active as a string', (b) => ({ ...b, active: 'yes' }), '/active'],
      ['externalId with a slash', (b) => ({ ...b, externalId: 'P/1' }), '/externalId'],
      ['unknown field', (b) => ({ ...b, price: '10.00' }), '/price'],
      ['server-owned field', (b) => ({ ...b, id: randomUUID() }), '/id'],
    ];
    it.each(badBodies)(
      'rejects %s with VALIDATION_FAILED and writes nothing',
      async (_name, mutate, pointer) => {
        const before = await crm.counts();
        const res = await http('POST', crm.url('products'), { token: rw, body: mutate(valid()) });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(pointers(res)).toContain(pointer);
        expect(await crm.counts()).toEqual(before);
      },
    );

    it('refuses a taken sku (409 CRM_SKU_TAKEN) and a taken externalId (409 CRM_EXTERNAL_ID_TAKEN), writing nothing', async () => {
      const existing = await crm.createProduct(rw, { externalId: unique('EXT') });
      const before = await crm.counts();
      const sku = await http('POST', crm.url('products'), {
        token: rw,
        body: { sku: existing.sku, name: 'Other' },
      });
      expect(expectProblem(sku, 409, 'CRM_SKU_TAKEN').detail).toContain(existing.sku);
      const ext = await http('POST', crm.url('products'), {
        token: rw,
        body: { sku: unique('NEW'), name: 'Other', externalId: existing.externalId },
      });
      expectProblem(ext, 409, 'CRM_EXTERNAL_ID_TAKEN');
      expect(await crm.counts()).toEqual(before);
    });

    it('needs crm:write (403 AUTH_INSUFFICIENT_SCOPE) and writes nothing', async () => {
      const before = await crm.counts();
      expectProblem(
        await http('POST', crm.url('products'), { token: readOnly, body: valid() }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expectProblem(
        await http('POST', crm.url('products'), { body: valid() }),
        401,
        'AUTH_TOKEN_MISSING',
      );
      expect(await crm.counts()).toEqual(before);
    });

    it('is shared by every legal entity: an entity-limited token reads it but cannot change it', async () => {
      const de01 = t.token(['crm:read', 'crm:write'], { legalEntities: ['DE01'] });
      const before = await crm.counts();
      expectProblem(
        await http('POST', crm.url('products'), { token: de01, body: valid() }),
        403,
        'CRM_CATALOG_FORBIDDEN',
      );
      expect(await crm.counts()).toEqual(before);
      const product = await crm.createProduct(rw);
      expectProblem(
        await http('PATCH', crm.url(`products/${product.id}`), {
          token: de01,
          body: { active: false },
        }),
        403,
        'CRM_CATALOG_FORBIDDEN',
      );
      const read = await http<{ active: boolean; version: number }>(
        'GET',
        crm.url(`products/${product.id}`),
        {
          token: t.token(['crm:read'], { legalEntities: ['US01'] }),
        },
      );
      expectStatus(read, 200);
      expect(read.body).toMatchObject({ active: true, version: 1 });
    });
  });

  describe('GET /products/:id', () => {
    it('answers 400 for a non-UUID id, 404 for an unknown one, 403 without crm:read', async () => {
      const bad = await http('GET', crm.url('products/PLAT-ANNUAL'), { token: readOnly });
      expectProblem(bad, 400, 'VALIDATION_FAILED');
      expect(pointers(bad)).toEqual(['id']);
      const id = randomUUID();
      expect(
        expectProblem(
          await http('GET', crm.url(`products/${id}`), { token: readOnly }),
          404,
          'CRM_PRODUCT_NOT_FOUND',
        ).detail,
      ).toContain(id);
      const product = await crm.createProduct(rw);
      expectProblem(
        await http('GET', crm.url(`products/${product.id}`), { token: t.token(['crm:write']) }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
    });
  });

  describe('GET /products', () => {
    let created: ProductResponse[];

    beforeAll(async () => {
      created = [];
      for (let i = 0; i < 7; i++)
        created.push(await crm.createProduct(rw, { name: `Paged ${i}`, active: i % 3 !== 0 }));
    });

    it('pages with limit=3 through every product exactly once, in (updatedAt, id) order', async () => {
      const { items, pages } = await crm.walk<ProductResponse>(readOnly, 'products', {
        limit: '3',
      });
      const [{ n }] = await t.sql<{ n: number }>('select count(*)::int as n from crm.products');
      expect(items).toHaveLength(n);
      expect(pages).toBe(Math.ceil(n / 3));
      expect(new Set(items.map((p) => p.id)).size).toBe(n);
      expect(inKeysetOrder(items)).toBe(true);
      // The seven created last are the last seven, in creation order.
      expect(items.slice(-7)).toEqual(created);
    });

    it('walks exactly the seven with updatedSince, three per page', async () => {
      const first = created[0];
      const { items, pages } = await crm.walk<ProductResponse>(readOnly, 'products', {
        limit: '3',
        updatedSince: first.updatedAt,
      });
      expect(pages).toBe(3);
      expect(items.map((p) => p.id)).toEqual(created.map((p) => p.id));
      const later = created[4];
      const res = await http<Page<ProductResponse>>(
        'GET',
        `${crm.url('products')}?updatedSince=${encodeURIComponent(later.updatedAt)}`,
        { token: readOnly },
      );
      expect(res.body.data.map((p) => p.id)).toEqual(
        created.filter((p) => p.updatedAt >= later.updatedAt).map((p) => p.id),
      );
    });

    it('filters by active=true and active=false', async () => {
      const since = created[0]?.updatedAt ?? '';
      const active = await crm.walk<ProductResponse>(readOnly, 'products', {
        active: 'true',
        updatedSince: since,
      });
      const inactive = await crm.walk<ProductResponse>(readOnly, 'products', {
        active: 'false',
        updatedSince: since,
      });
      expect(active.items.map((p) => p.id)).toEqual(
        created.filter((p) => p.active).map((p) => p.id),
      );
      expect(inactive.items.map((p) => p.id)).toEqual(
        created.filter((p) => !p.active).map((p) => p.id),
      );
      expect(inactive.items).toHaveLength(3);
    });

    const badQueries: [string, string, string][] = [
      ['active=maybe', 'active=maybe', 'active'],
      ['active=1', 'active=1', 'active'],
      ['limit=0', 'limit=0', 'limit'],
      ['limit=201', 'limit=201', 'limit'],
      ['a bad cursor', 'cursor=a.b', 'cursor'],
      [
        'a cursor that is not ours',
        `cursor=${Buffer.from('["x","y"]').toString('base64url')}`,
        'cursor',
      ],
      ['a bad updatedSince', 'updatedSince=2026-13-01T00:00:00Z', 'updatedSince'],
      ['a legal-entity filter (products have none)', 'legalEntity=US01', 'legalEntity'],
    ];
    it.each(badQueries)('rejects %s with 400 VALIDATION_FAILED', async (_name, query, param) => {
      const res = await http('GET', `${crm.url('products')}?${query}`, { token: readOnly });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res).some((p) => p.replace(/^\//, '') === param)).toBe(true);
    });
  });

  describe('PATCH /products/:id', () => {
    it('updates with the current ETag, keeps what was not sent, bumps the ETag; a stale or garbage ETag gets 412', async () => {
      const product = await crm.createProduct(rw, { externalId: unique('UPD') });
      const read = await http<ProductResponse>('GET', crm.url(`products/${product.id}`), {
        token: rw,
      });
      const etag = read.headers.get('etag') ?? '';
      expect(etag).toBe('"v1"');

      const res = await http<ProductResponse>('PATCH', crm.url(`products/${product.id}`), {
        token: rw,
        headers: { 'if-match': etag },
        body: { name: 'Platform (annual)' },
      });
      expectStatus(res, 200);
      expect(res.headers.get('etag')).toBe('"v2"');
      expect(res.body).toEqual({
        ...product,
        name: 'Platform (annual)',
        version: 2,
        updatedAt: expect.stringMatching(ISO_INSTANT) as unknown,
      });
      expect((await http('GET', crm.url(`products/${product.id}`), { token: rw })).body).toEqual(
        res.body,
      );

      const before = await row(product.id);
      const stale = await http<ProblemBody>('PATCH', crm.url(`products/${product.id}`), {
        token: rw,
        headers: { 'if-match': etag },
        body: { active: false },
      });
      expectProblem(stale, 412, 'PRECONDITION_FAILED');
      expect(stale.body.currentETag).toBe('"v2"');
      expectProblem(
        await http('PATCH', crm.url(`products/${product.id}`), {
          token: rw,
          headers: { 'if-match': 'yesterday' },
          body: { active: false },
        }),
        412,
        'PRECONDITION_FAILED',
      );
      expect(await row(product.id)).toEqual(before);

      const deactivated = await http<ProductResponse>('PATCH', crm.url(`products/${product.id}`), {
        token: rw,
        headers: { 'if-match': '"v2"' },
        body: { active: false, family: null },
      });
      expectStatus(deactivated, 200);
      expect(deactivated.body).toEqual({
        ...res.body,
        active: false,
        family: undefined,
        version: 3,
        updatedAt: expect.stringMatching(ISO_INSTANT) as unknown,
      });
      expect(await row(product.id)).toMatchObject({
        active: false,
        family: null,
        version: 3,
        name: 'Platform (annual)',
      });
    });

    const badPatches: [string, Record<string, unknown>, string][] = [
      ['name null', { name: null }, '/name'],
      ['name empty', { name: '' }, '/name'],
      ['active null', { active: null }, '/active'],
      ['active as a string', { active: 'false' }, '/active'],
      ['sku (not updatable)', { sku: 'NEW-SKU' }, '/sku'],
      ['externalId (not updatable)', { externalId: 'NEW' }, '/externalId'],
      ['unknown field', { price: '1' }, '/price'],
    ];
    it.each(badPatches)(
      'rejects %s with VALIDATION_FAILED and changes nothing',
      async (_name, body, pointer) => {
        const product = await crm.createProduct(rw);
        const before = await row(product.id);
        const res = await http('PATCH', crm.url(`products/${product.id}`), {
          token: rw,
          headers: { 'if-match': '"v1"' },
          body,
        });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(pointers(res)).toContain(pointer);
        expect(await row(product.id)).toEqual(before);
      },
    );

    it('answers 400 for a non-UUID id, 404 for an unknown one, 403 without crm:write', async () => {
      const product = await crm.createProduct(rw);
      const before = await row(product.id);
      expectProblem(
        await http('PATCH', crm.url('products/x'), { token: rw, body: { name: 'X' } }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await http('PATCH', crm.url(`products/${randomUUID()}`), {
          token: rw,
          body: { name: 'X' },
        }),
        404,
        'CRM_PRODUCT_NOT_FOUND',
      );
      expectProblem(
        await http('PATCH', crm.url(`products/${product.id}`), {
          token: readOnly,
          body: { name: 'X' },
        }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expect(await row(product.id)).toEqual(before);
    });

    it('lets exactly one of two concurrent updates with the same ETag through', async () => {
      const product = await crm.createProduct(rw);
      const results = await Promise.all(
        ['A', 'B'].map((name) =>
          http<ProductResponse>('PATCH', crm.url(`products/${product.id}`), {
            token: rw,
            headers: { 'if-match': '"v1"' },
            body: { name },
          }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const winner = results.find((r) => r.status === 200);
      expect(await row(product.id)).toMatchObject({ version: 2, name: winner?.body.name });
    });
  });
});
