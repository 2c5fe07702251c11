import { randomUUID } from 'node:crypto';
import type { BillingProductResponse } from '@revgate/canonical';
import { billingApp } from '../billing.app';
import { BillingConfig } from '../billing.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  Billing,
  expectStatus,
  ISO_INSTANT,
  pointers,
  type ProblemBody,
  unique,
} from '../../test/billing-fixtures';

describe('products: PATCH /products/{id} (e2e)', () => {
  let t: TestApp<BillingConfig>;
  let billing: Billing;
  let rw: string;
  let reader: string;
  let de01: string;

  beforeAll(async () => {
    t = await startTestApp(billingApp);
    billing = new Billing(t, http);
    rw = t.token(['billing:read', 'billing:write']);
    reader = t.token(['billing:read']);
    de01 = t.token(['billing:read', 'billing:write'], { legalEntities: ['DE01'] });
  });
  afterAll(async () => {
    await t.close();
  });

  const row = async (id: string): Promise<Record<string, unknown> | undefined> =>
    (
      await t.sql(
        'select external_id, sku, name, description, tax_code, family, one_time_recognition, active, version from billing.products where id = $1',
        [id],
      )
    )[0];

  const patch = (
    id: string,
    body: unknown,
    options: { token?: string; ifMatch?: string } = {},
  ): ReturnType<typeof http<BillingProductResponse>> =>
    http<BillingProductResponse>('PATCH', billing.url(`products/${id}`), {
      token: options.token ?? rw,
      body,
      headers: options.ifMatch === undefined ? {} : { 'if-match': options.ifMatch },
    });

  it('changes the product with the current ETag, keeps the rest and bumps the version', async () => {
    const created = await billing.createProduct(rw, {
      name: 'Platform Pro',
      sku: unique('PRO'),
      externalId: unique('PLATFORM'),
      description: 'The platform, pro edition',
    });
    const read = await http('GET', billing.url(`products/${created.id}`), { token: reader });
    expect(read.headers.get('etag')).toBe('"v1"');

    const changes = {
      name: 'Platform Pro (2026)',
      description: 'The platform, 2026 edition',
      taxCode: 'P0000000',
      family: 'platform',
      oneTimeRecognition: 'ratable',
      active: false,
      sku: unique('PRO26'),
      externalId: unique('PLATFORM26'),
    };
    const res = await patch(created.id, changes, { ifMatch: '"v1"' });
    expectStatus(res, 200);
    expect(res.headers.get('etag')).toBe('"v2"');
    expect(res.body).toEqual({
      ...created,
      ...changes,
      version: 2,
      updatedAt: expect.stringMatching(ISO_INSTANT) as unknown,
    });
    expect(res.body.updatedAt > created.updatedAt).toBe(true);
    expect(await row(created.id)).toEqual({
      external_id: changes.externalId,
      sku: changes.sku,
      name: changes.name,
      description: changes.description,
      tax_code: 'P0000000',
      family: 'platform',
      one_time_recognition: 'ratable',
      active: false,
      version: 2,
    });
    const again = await http<BillingProductResponse>('GET', billing.url(`products/${created.id}`), {
      token: reader,
    });
    expect(again.body).toEqual(res.body);
    expect(again.headers.get('etag')).toBe('"v2"');

    // null removes the description and the sku; without If-Match the write is unconditional.
    const cleared = await patch(created.id, { description: null, sku: null, active: true });
    expectStatus(cleared, 200);
    expect(cleared.headers.get('etag')).toBe('"v3"');
    expect(cleared.body).not.toHaveProperty('description');
    expect(cleared.body).not.toHaveProperty('sku');
    expect(await row(created.id)).toMatchObject({
      description: null,
      sku: null,
      active: true,
      name: changes.name,
      version: 3,
    });
  });

  it('refuses a stale or malformed If-Match with 412 and writes nothing', async () => {
    const created = await billing.createProduct(rw);
    expectStatus(await patch(created.id, { name: 'First' }, { ifMatch: '"v1"' }), 200);
    const before = await row(created.id);
    const stale = await patch(created.id, { active: false }, { ifMatch: '"v1"' });
    expectProblem(stale, 412, 'PRECONDITION_FAILED');
    expect((stale.body as unknown as ProblemBody).currentETag).toBe('"v2"');
    for (const garbage of ['v2', 'W/"v2"', '"x"'])
      expectProblem(
        await patch(created.id, { active: false }, { ifMatch: garbage }),
        412,
        'PRECONDITION_FAILED',
      );
    expect(await row(created.id)).toEqual(before);
    expect(before).toMatchObject({ name: 'First', active: true, version: 2 });
  });

  const badPatches: [string, Record<string, unknown>, string][] = [
    ['an unknown field', { color: 'blue' }, '/color'],
    ['a server-owned field', { version: 9 }, '/version'],
    ['name a number', { name: 7 }, '/name'],
    ['name null', { name: null }, '/name'],
    ['name empty', { name: '' }, '/name'],
    ['description empty', { description: '' }, '/description'],
    ['description a number', { description: 1 }, '/description'],
    ['a lower-case tax code', { taxCode: 'sw054000' }, '/taxCode'],
    ['taxCode null', { taxCode: null }, '/taxCode'],
    ['a family with a slash', { family: 'a/b' }, '/family'],
    ['family null', { family: null }, '/family'],
    ['an unknown recognition', { oneTimeRecognition: 'upfront' }, '/oneTimeRecognition'],
    ['active as a string', { active: 'yes' }, '/active'],
    ['active null', { active: null }, '/active'],
    ['sku with a space', { sku: 'PRO 1' }, '/sku'],
    ['externalId null', { externalId: null }, '/externalId'],
  ];
  it.each(badPatches)(
    'rejects %s with VALIDATION_FAILED and writes nothing',
    async (_name, body, pointer) => {
      const product = await billing.createProduct(rw, { description: 'Kept' });
      const before = await row(product.id);
      const counts = await billing.counts();
      const res = await patch(product.id, body, { ifMatch: '"v1"' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res)).toContain(pointer);
      expect(await row(product.id)).toEqual(before);
      expect(await billing.counts()).toEqual(counts);
    },
  );

  it('refuses a sku or an externalId another product has (409) and writes nothing', async () => {
    const other = await billing.createProduct(rw, {
      sku: unique('OTHER'),
      externalId: unique('OTHER'),
    });
    const product = await billing.createProduct(rw, { sku: unique('MINE') });
    const before = await row(product.id);
    expect(
      expectProblem(await patch(product.id, { sku: other.sku }), 409, 'BILLING_SKU_TAKEN').detail,
    ).toContain(other.sku);
    expectProblem(
      await patch(product.id, { externalId: other.externalId, name: 'Renamed' }),
      409,
      'BILLING_EXTERNAL_ID_TAKEN',
    );
    expect(await row(product.id)).toEqual(before);
  });

  it('answers 404 for an unknown product, 403 to a caller limited to a legal entity or without billing:write', async () => {
    const product = await billing.createProduct(rw);
    const before = await row(product.id);
    const counts = await billing.counts();
    expectProblem(await patch(randomUUID(), { name: 'X' }), 404, 'BILLING_PRODUCT_NOT_FOUND');
    // The catalog is shared by every legal entity: only an unlimited token changes it.
    expectProblem(
      await patch(product.id, { name: 'X' }, { token: de01 }),
      403,
      'BILLING_CATALOG_FORBIDDEN',
    );
    expectProblem(
      await patch(product.id, { name: 'X' }, { token: reader }),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
    expectProblem(
      await http('PATCH', billing.url(`products/${product.id}`), { body: { name: 'X' } }),
      401,
      'AUTH_TOKEN_MISSING',
    );
    const malformed = await patch('platform', { name: 'X' });
    expectProblem(malformed, 400, 'VALIDATION_FAILED');
    expect(pointers(malformed)).toEqual(['id']);
    expect(await row(product.id)).toEqual(before);
    expect(await billing.counts()).toEqual(counts);
  });

  it('takes no new prices once deactivated (422 BILLING_PRODUCT_INACTIVE)', async () => {
    const product = await billing.createProduct(rw);
    expectStatus(await patch(product.id, { active: false }), 200);
    const counts = await billing.counts();
    expectProblem(
      await http('POST', billing.url('prices'), {
        token: rw,
        body: {
          productId: product.id,
          currency: 'USD',
          type: 'one_time',
          billingScheme: 'flat',
          amount: '10',
        },
      }),
      422,
      'BILLING_PRODUCT_INACTIVE',
    );
    expect(await billing.counts()).toEqual(counts);
  });
});
