import { randomUUID } from 'node:crypto';
import { expectProblem } from '../../../../test/support/test-app';
import { countRows, expectStatus, Landscape, pointers, Q2C_TABLES } from '../../test/q2c-fixtures';

interface Mapping {
  id: string;
  crmProductId: string;
  currency: string;
  billingPriceId: string;
  erpItemCode: string;
  note?: string;
  version: number;
}

describe('product mappings (e2e)', () => {
  let l: Landscape;
  let product: Awaited<ReturnType<Landscape['product']>>;

  beforeAll(async () => {
    l = await Landscape.start();
    product = await l.product({ mapped: false });
  });
  afterAll(async () => {
    await l.close();
  });

  const counts = () => countRows(l.q2c, 'q2c', Q2C_TABLES);
  const body = (overrides: Record<string, unknown> = {}) => ({
    crmProductId: product.crmProductId,
    currency: 'USD',
    billingPriceId: product.priceId,
    erpItemCode: product.erpItem,
    ...overrides,
  });

  it('creates, reads, lists, changes and deletes a mapping — every change audited', async () => {
    const created = await l.call<Mapping>(
      'q2c',
      'POST',
      'product-mappings',
      body({ note: 'list price' }),
    );
    expectStatus(created, 201);
    expect(created.headers.get('etag')).toBe('"v1"');
    const mapping = created.body;
    expect(mapping).toMatchObject({ ...body(), note: 'list price', version: 1 });
    expect(await l.ok('q2c', 'GET', `product-mappings/${mapping.id}`)).toEqual(mapping);
    const listed = await l.ok<{ data: Mapping[] }>(
      'q2c',
      'GET',
      `product-mappings?crmProductId=${product.crmProductId}&currency=USD`,
    );
    expect(listed.data).toEqual([mapping]);

    const changed = await l.call<Mapping>('q2c', 'PATCH', `product-mappings/${mapping.id}`, {
      erpItemCode: 'OTHER-ITEM',
    });
    expectStatus(changed, 200);
    expect(changed.body).toMatchObject({ erpItemCode: 'OTHER-ITEM', version: 2 });

    const removed = await l.call('q2c', 'DELETE', `product-mappings/${mapping.id}`);
    expectStatus(removed, 204);
    expectProblem(
      await l.call('q2c', 'GET', `product-mappings/${mapping.id}`),
      404,
      'Q2C_MAPPING_NOT_FOUND',
    );
    const audit = await l.q2c.sql<{ action: string }>(
      'select action from q2c.audit_log where target_id = $1 order by at',
      [mapping.id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'product_mapping.created',
      'product_mapping.updated',
      'product_mapping.deleted',
    ]);
  });

  describe('refuses, writing nothing', () => {
    it.each<[string, () => Record<string, unknown>, number, string, string[]]>([
      [
        'no crmProductId',
        () => body({ crmProductId: undefined }),
        400,
        'VALIDATION_FAILED',
        ['/crmProductId'],
      ],
      [
        'a currency in lower case',
        () => body({ currency: 'usd' }),
        400,
        'VALIDATION_FAILED',
        ['/currency'],
      ],
      [
        'a malformed item code',
        () => body({ erpItemCode: 'has space' }),
        400,
        'VALIDATION_FAILED',
        ['/erpItemCode'],
      ],
      ['an unknown field', () => body({ priority: 1 }), 400, 'VALIDATION_FAILED', ['/priority']],
      [
        'a CRM product that does not exist',
        () => body({ crmProductId: randomUUID() }),
        422,
        'Q2C_CRM_PRODUCT_UNKNOWN',
        ['/crmProductId'],
      ],
      [
        'a billing price that does not exist',
        () => body({ billingPriceId: randomUUID() }),
        422,
        'Q2C_BILLING_PRICE_UNKNOWN',
        ['/billingPriceId'],
      ],
      [
        'a price in another currency',
        () => body({ currency: 'EUR' }),
        422,
        'Q2C_BILLING_PRICE_UNSUITABLE',
        ['/billingPriceId'],
      ],
    ])('%s', async (_name, make, status, code, expected) => {
      const before = await counts();
      const res = await l.call('q2c', 'POST', 'product-mappings', make());
      expectProblem(res, status, code);
      expect([...new Set(pointers(res))]).toEqual(expected);
      expect(await counts()).toEqual(before);
    });

    it('a second mapping of the same product and currency (409), a stale If-Match (412), a caller limited to a legal entity (403)', async () => {
      const first = await l.ok<Mapping>('q2c', 'POST', 'product-mappings', body());
      const before = await counts();
      expectProblem(
        await l.call('q2c', 'POST', 'product-mappings', body()),
        409,
        'Q2C_MAPPING_EXISTS',
      );
      const stale = await l.call(
        'q2c',
        'PATCH',
        `product-mappings/${first.id}`,
        { note: 'x' },
        undefined,
      );
      expectStatus(stale, 200);
      const after = await counts();
      const res = await fetch(`${l.q2c.url}/q2c/v1/product-mappings/${first.id}`, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${l.q2c.token(['q2c:operate'])}`,
          'content-type': 'application/json',
          'if-match': '"v1"',
        },
        body: JSON.stringify({ note: 'y' }),
      });
      expect(res.status).toBe(412);
      const limited = l.q2c.token(['q2c:operate'], { legalEntities: ['US01'] });
      expectProblem(
        await l.call('q2c', 'POST', 'product-mappings', body({ currency: 'EUR' }), limited),
        403,
        'Q2C_CATALOG_FORBIDDEN',
      );
      expectProblem(
        await l.call('q2c', 'DELETE', `product-mappings/${first.id}`, undefined, limited),
        403,
        'Q2C_CATALOG_FORBIDDEN',
      );
      expect(await counts()).toEqual(after);
      expect(before.product_mappings).toBe(after.product_mappings);
      expect(
        (await l.call('q2c', 'GET', 'product-mappings', undefined, l.q2c.token(['q2c:write'])))
          .status,
      ).toBe(403);
    });
  });
});
