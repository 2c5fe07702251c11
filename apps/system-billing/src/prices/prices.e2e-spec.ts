import { randomUUID } from 'node:crypto';
import type {
  BillingPriceResponse,
  BillingProductResponse,
  PriceQuoteResponse,
} from '@revgate/canonical';
import { billingApp } from '../billing.app';
import { BillingConfig } from '../billing.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  Billing,
  expectStatus,
  ISO_INSTANT,
  Page,
  pointers,
  type ProblemBody,
  unique,
  UUID,
} from '../../test/billing-fixtures';

describe('catalog: products and prices (e2e)', () => {
  let t: TestApp<BillingConfig>;
  let billing: Billing;
  let rw: string;
  let reader: string;
  let de01: string;
  let product: BillingProductResponse;

  beforeAll(async () => {
    t = await startTestApp(billingApp);
    billing = new Billing(t, http);
    rw = t.token(['billing:read', 'billing:write']);
    reader = t.token(['billing:read']);
    de01 = t.token(['billing:read', 'billing:write'], { legalEntities: ['DE01'] });
    product = await billing.createProduct(rw, { name: 'API platform', sku: unique('API') });
  });
  afterAll(async () => {
    await t.close();
  });

  const monthly = (overrides: Record<string, unknown>): Record<string, unknown> => ({
    productId: product.id,
    currency: 'USD',
    type: 'recurring',
    interval: 'month',
    ...overrides,
  });

  const createPrice = async (body: Record<string, unknown>): Promise<BillingPriceResponse> =>
    billing.post<BillingPriceResponse>(rw, 'prices', body);

  const quote = (priceId: string, body: unknown, token = reader) =>
    http<PriceQuoteResponse>('POST', billing.url(`prices/${priceId}/quote`), { token, body });

  describe('products', () => {
    it('creates a product with the SaaS tax code by default and reads it back', async () => {
      const sku = unique('PRO');
      const created = await billing.createProduct(rw, { name: 'Platform Pro', sku });
      expect(created).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        sku,
        name: 'Platform Pro',
        taxCode: 'SW054000',
        family: 'general',
        oneTimeRecognition: 'point_in_time',
        active: true,
        version: 1,
        createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
        updatedAt: created.createdAt,
      });
      expect(await billing.get(reader, `products/${created.id}`)).toEqual(created);
      const listed = await http<Page<BillingProductResponse>>(
        'GET',
        `${billing.url('products')}?active=true&limit=200`,
        { token: reader },
      );
      expect(listed.body.data.map((p) => p.id)).toContain(created.id);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['no name', {}, '/name'],
      ['a lower-case tax code', { name: 'x', taxCode: 'sw054000' }, '/taxCode'],
      ['active as a string', { name: 'x', active: 'yes' }, '/active'],
      ['an unknown field', { name: 'x', color: 'blue' }, '/color'],
    ])('refuses %s with VALIDATION_FAILED and writes nothing', async (_name, body, pointer) => {
      const before = await billing.counts();
      const res = await http('POST', billing.url('products'), { token: rw, body });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res)).toContain(pointer);
      expect(await billing.counts()).toEqual(before);
    });

    it('refuses a taken sku (409), a caller limited to a legal entity (403), and answers 404 for an unknown product', async () => {
      const sku = unique('TAKEN');
      await billing.createProduct(rw, { sku });
      const before = await billing.counts();
      expectProblem(
        await http('POST', billing.url('products'), { token: rw, body: { name: 'x', sku } }),
        409,
        'BILLING_SKU_TAKEN',
      );
      expectProblem(
        await http('POST', billing.url('products'), { token: de01, body: { name: 'x' } }),
        403,
        'BILLING_CATALOG_FORBIDDEN',
      );
      expect(await billing.counts()).toEqual(before);
      expectProblem(
        await http('GET', billing.url(`products/${randomUUID()}`), { token: reader }),
        404,
        'BILLING_PRODUCT_NOT_FOUND',
      );
    });
  });

  describe('POST /prices', () => {
    it.each<[string, Record<string, unknown>]>([
      ['flat', { billingScheme: 'flat', amount: '99.00', nickname: 'Base fee' }],
      ['per unit', { billingScheme: 'per_unit', unitAmount: '12.5' }],
      [
        'package',
        {
          billingScheme: 'per_unit',
          unitAmount: '5',
          transformQuantity: { divideBy: '1000', round: 'up' },
        },
      ],
      [
        'graduated, metered, with an included quantity',
        {
          usageType: 'metered',
          meter: 'api_calls',
          billingScheme: 'tiered',
          tiersMode: 'graduated',
          includedQuantity: '10000',
          tiers: [
            { upTo: '90000', unitAmount: '0.002' },
            { upTo: null, unitAmount: '0.001', flatAmount: '5' },
          ],
        },
      ],
      [
        'volume',
        {
          billingScheme: 'tiered',
          tiersMode: 'volume',
          tiers: [
            { upTo: '10', unitAmount: '10' },
            { upTo: null, unitAmount: '8' },
          ],
        },
      ],
    ])('creates a %s price and answers what it stored', async (_name, fields) => {
      const res = await http<BillingPriceResponse>('POST', billing.url('prices'), {
        token: rw,
        body: monthly(fields),
      });
      expectStatus(res, 201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        productId: product.id,
        currency: 'USD',
        type: 'recurring',
        interval: 'month',
        usageType: 'licensed',
        ...fields,
        active: true,
        version: 1,
        createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
        updatedAt: res.body.createdAt,
      });
      expect(await billing.get(reader, `prices/${res.body.id}`)).toEqual(res.body);
    });

    it('creates a one-time price with neither interval nor usage type', async () => {
      const price = await createPrice({
        productId: product.id,
        currency: 'EUR',
        type: 'one_time',
        billingScheme: 'per_unit',
        unitAmount: '2500',
      });
      expect(price).toMatchObject({ type: 'one_time', currency: 'EUR', unitAmount: '2500' });
      expect(price).not.toHaveProperty('interval');
      expect(price).not.toHaveProperty('usageType');
    });

    it.each<[string, Record<string, unknown>, string]>([
      [
        'tiers out of order',
        {
          billingScheme: 'tiered',
          tiersMode: 'graduated',
          tiers: [
            { upTo: '100', unitAmount: '1' },
            { upTo: '50', unitAmount: '1' },
            { upTo: null, unitAmount: '1' },
          ],
        },
        '/tiers/1/upTo',
      ],
      [
        'a bounded last tier',
        {
          billingScheme: 'tiered',
          tiersMode: 'volume',
          tiers: [
            { upTo: '100', unitAmount: '1' },
            { upTo: '200', unitAmount: '1' },
          ],
        },
        '/tiers/1/upTo',
      ],
      [
        'an unbounded tier before the last',
        {
          billingScheme: 'tiered',
          tiersMode: 'volume',
          tiers: [
            { upTo: null, unitAmount: '1' },
            { upTo: null, unitAmount: '1' },
          ],
        },
        '/tiers/0/upTo',
      ],
      [
        'a first tier ending at 0',
        {
          billingScheme: 'tiered',
          tiersMode: 'graduated',
          tiers: [
            { upTo: '0', unitAmount: '1' },
            { upTo: null, unitAmount: '1' },
          ],
        },
        '/tiers/0/upTo',
      ],
    ])(
      'refuses %s with 422 BILLING_PRICE_INVALID (the pricing engine) and writes nothing',
      async (_name, fields, pointer) => {
        const before = await billing.counts();
        const res = await http('POST', billing.url('prices'), { token: rw, body: monthly(fields) });
        expectProblem(res, 422, 'BILLING_PRICE_INVALID');
        expect(pointers(res)).toEqual([pointer]);
        expect(await billing.counts()).toEqual(before);
      },
    );

    it.each<[string, Record<string, unknown>, string]>([
      [
        'a flat price with a unit amount',
        { billingScheme: 'flat', amount: '1', unitAmount: '1' },
        '/unitAmount',
      ],
      [
        'a recurring price without interval',
        { interval: undefined, billingScheme: 'flat', amount: '1' },
        '/interval',
      ],
      [
        'a metered price without meter',
        { usageType: 'metered', billingScheme: 'per_unit', unitAmount: '1' },
        '/meter',
      ],
      [
        'a non-numeric unit amount',
        { billingScheme: 'per_unit', unitAmount: 'twelve' },
        '/unitAmount',
      ],
      ['a negative unit amount', { billingScheme: 'per_unit', unitAmount: '-12' }, '/unitAmount'],
      [
        'a unit amount as a JSON number',
        { billingScheme: 'per_unit', unitAmount: 12.5 },
        '/unitAmount',
      ],
      [
        'a negative included quantity',
        { billingScheme: 'per_unit', unitAmount: '1', includedQuantity: '-5' },
        '/includedQuantity',
      ],
      ['an unknown scheme', { billingScheme: 'stairstep', unitAmount: '1' }, '/billingScheme'],
      [
        'an unknown field',
        { billingScheme: 'per_unit', unitAmount: '1', discount: '10' },
        '/discount',
      ],
      [
        'productId not a UUID',
        { productId: 'api', billingScheme: 'flat', amount: '1' },
        '/productId',
      ],
    ])('refuses %s with VALIDATION_FAILED and writes nothing', async (_name, fields, pointer) => {
      const before = await billing.counts();
      const res = await http('POST', billing.url('prices'), { token: rw, body: monthly(fields) });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res)).toContain(pointer);
      expect(await billing.counts()).toEqual(before);
    });

    it('refuses an unknown or inactive product with 422 and writes nothing', async () => {
      const inactive = await billing.createProduct(rw, { active: false });
      const before = await billing.counts();
      expectProblem(
        await http('POST', billing.url('prices'), {
          token: rw,
          body: monthly({ productId: randomUUID(), billingScheme: 'flat', amount: '1' }),
        }),
        422,
        'BILLING_PRODUCT_NOT_FOUND',
      );
      expectProblem(
        await http('POST', billing.url('prices'), {
          token: rw,
          body: monthly({ productId: inactive.id, billingScheme: 'flat', amount: '1' }),
        }),
        422,
        'BILLING_PRODUCT_INACTIVE',
      );
      expectProblem(
        await http('POST', billing.url('prices'), {
          token: de01,
          body: monthly({ billingScheme: 'flat', amount: '1' }),
        }),
        403,
        'BILLING_CATALOG_FORBIDDEN',
      );
      expect(await billing.counts()).toEqual(before);
    });

    it('lists prices of a product, by currency', async () => {
      const other = await billing.createProduct(rw);
      const usd = await createPrice(
        monthly({ productId: other.id, billingScheme: 'flat', amount: '1' }),
      );
      const eur = await createPrice(
        monthly({ productId: other.id, currency: 'EUR', billingScheme: 'flat', amount: '1' }),
      );
      const all = await billing.walk<BillingPriceResponse>(reader, 'prices', {
        productId: other.id,
      });
      expect(all.items.map((p) => p.id).sort()).toEqual([usd.id, eur.id].sort());
      const euros = await billing.walk<BillingPriceResponse>(reader, 'prices', {
        productId: other.id,
        currency: 'EUR',
      });
      expect(euros.items.map((p) => p.id)).toEqual([eur.id]);
    });
  });

  describe('POST /prices/{id}/quote', () => {
    it('prices usage on a graduated price after the included quantity, tier by tier', async () => {
      const price = await createPrice(
        monthly({
          usageType: 'metered',
          meter: 'api_calls',
          billingScheme: 'tiered',
          tiersMode: 'graduated',
          includedQuantity: '10000',
          tiers: [
            { upTo: '90000', unitAmount: '0.002' },
            { upTo: null, unitAmount: '0.001' },
          ],
        }),
      );
      const before = await billing.counts();
      const res = await quote(price.id, { quantity: '125000' });
      expectStatus(res, 200);
      // 10,000 free; the next 90,000 at 0.002 = 180; the last 25,000 at 0.001 = 25.
      expect(res.body).toEqual({
        priceId: price.id,
        currency: 'USD',
        quantity: '125000',
        includedQuantity: '10000',
        billableQuantity: '115000',
        exactAmount: '205',
        amount: '205.00',
        breakdown: [
          {
            kind: 'tier',
            tierIndex: 0,
            quantity: '90000',
            unitAmount: '0.002',
            flatAmount: '0',
            subtotal: '180',
          },
          {
            kind: 'tier',
            tierIndex: 1,
            quantity: '25000',
            unitAmount: '0.001',
            flatAmount: '0',
            subtotal: '25',
          },
        ],
      });
      expect(await billing.counts()).toEqual(before);
      const within = await quote(price.id, { quantity: '8000' });
      expect(within.body).toMatchObject({ amount: '0.00', billableQuantity: '0', breakdown: [] });
    });

    it.each<[string, Record<string, unknown>, string, string, string]>([
      [
        'a volume price: every unit at the tier that holds the quantity, plus its flat fee',
        {
          billingScheme: 'tiered',
          tiersMode: 'volume',
          tiers: [
            { upTo: '10', unitAmount: '10' },
            { upTo: '50', unitAmount: '8', flatAmount: '20' },
            { upTo: null, unitAmount: '6' },
          ],
        },
        '25',
        '220',
        '220.00',
      ],
      [
        'a package price rounded up',
        {
          billingScheme: 'per_unit',
          unitAmount: '5',
          transformQuantity: { divideBy: '1000', round: 'up' },
        },
        '2500',
        '15',
        '15.00',
      ],
      [
        'a package price rounded down',
        {
          billingScheme: 'per_unit',
          unitAmount: '5',
          transformQuantity: { divideBy: '1000', round: 'down' },
        },
        '2500',
        '10',
        '10.00',
      ],
      [
        'a flat price, whatever the quantity',
        { billingScheme: 'flat', amount: '99' },
        '7',
        '99',
        '99.00',
      ],
      [
        'a sub-cent unit price, rounded half-up once',
        { billingScheme: 'per_unit', unitAmount: '0.0015' },
        '333',
        '0.4995',
        '0.50',
      ],
      [
        'a yen price, to whole yen',
        { currency: 'JPY', billingScheme: 'per_unit', unitAmount: '1.5' },
        '3',
        '4.5',
        '5',
      ],
      ['zero units', { billingScheme: 'per_unit', unitAmount: '3' }, '0', '0', '0.00'],
    ])('prices %s', async (_name, fields, quantity, exact, amount) => {
      const price = await createPrice(monthly(fields));
      const res = await quote(price.id, { quantity });
      expectStatus(res, 200);
      expect({ exactAmount: res.body.exactAmount, amount: res.body.amount }).toEqual({
        exactAmount: exact,
        amount,
      });
    });

    it.each<[string, unknown]>([
      ['a negative quantity', { quantity: '-1' }],
      ['a non-numeric quantity', { quantity: 'ten' }],
      ['a quantity as a JSON number', { quantity: 10 }],
      ['an exponent', { quantity: '1e6' }],
      ['seven decimals', { quantity: '1.1234567' }],
      ['no quantity', {}],
      ['an unknown field', { quantity: '1', currency: 'USD' }],
    ])('refuses %s with VALIDATION_FAILED and records nothing', async (_name, body) => {
      const price = await createPrice(monthly({ billingScheme: 'per_unit', unitAmount: '1' }));
      const before = await billing.counts();
      expectProblem(await quote(price.id, body), 400, 'VALIDATION_FAILED');
      expect(await billing.counts()).toEqual(before);
    });

    it('answers 404 for an unknown price and needs billing:read', async () => {
      expectProblem(await quote(randomUUID(), { quantity: '1' }), 404, 'BILLING_PRICE_NOT_FOUND');
      expectProblem(
        await quote(randomUUID(), { quantity: '1' }, t.token(['crm:read'])),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
    });
  });

  describe('PATCH /prices/{id}', () => {
    const row = async (id: string): Promise<Record<string, unknown> | undefined> =>
      (
        await t.sql(
          'select external_id, product_id, nickname, currency, type, billing_interval, usage_type, meter, definition, active, version from billing.prices where id = $1',
          [id],
        )
      )[0];

    const patch = (
      id: string,
      body: unknown,
      options: { token?: string; ifMatch?: string } = {},
    ): ReturnType<typeof http<BillingPriceResponse>> =>
      http<BillingPriceResponse>('PATCH', billing.url(`prices/${id}`), {
        token: options.token ?? rw,
        body,
        headers: options.ifMatch === undefined ? {} : { 'if-match': options.ifMatch },
      });

    const tiered = (): Promise<BillingPriceResponse> =>
      createPrice(
        monthly({
          nickname: 'API calls',
          externalId: unique('API-M'),
          usageType: 'metered',
          meter: 'api_calls',
          billingScheme: 'tiered',
          tiersMode: 'graduated',
          includedQuantity: '1000',
          tiers: [
            { upTo: '90000', unitAmount: '0.002' },
            { upTo: null, unitAmount: '0.001' },
          ],
        }),
      );

    it('changes the nickname, externalId and active flag with the current ETag; the terms stay', async () => {
      const created = await tiered();
      const read = await http('GET', billing.url(`prices/${created.id}`), { token: reader });
      expect(read.headers.get('etag')).toBe('"v1"');
      const termsBefore = await row(created.id);

      const changes = {
        nickname: 'API calls (legacy)',
        externalId: unique('API-OLD'),
        active: false,
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
        ...termsBefore,
        nickname: changes.nickname,
        external_id: changes.externalId,
        active: false,
        version: 2,
      });
      const again = await http<BillingPriceResponse>('GET', billing.url(`prices/${created.id}`), {
        token: reader,
      });
      expect(again.body).toEqual(res.body);
      expect(again.headers.get('etag')).toBe('"v2"');
      // An inactive price still prices what it prices.
      const q = await quote(created.id, { quantity: '2000' });
      expectStatus(q, 200);
      expect(q.body.amount).toBe('2.00');

      // null removes the nickname; without If-Match the write is unconditional; reactivation works.
      const cleared = await patch(created.id, { nickname: null, active: true });
      expectStatus(cleared, 200);
      expect(cleared.headers.get('etag')).toBe('"v3"');
      expect(cleared.body).not.toHaveProperty('nickname');
      expect(await row(created.id)).toMatchObject({ nickname: null, active: true, version: 3 });
    });

    it('refuses a stale or malformed If-Match with 412 and writes nothing', async () => {
      const created = await createPrice(monthly({ billingScheme: 'per_unit', unitAmount: '3' }));
      expectStatus(await patch(created.id, { nickname: 'First' }, { ifMatch: '"v1"' }), 200);
      const before = await row(created.id);
      const stale = await patch(created.id, { active: false }, { ifMatch: '"v1"' });
      expectProblem(stale, 412, 'PRECONDITION_FAILED');
      expect((stale.body as unknown as ProblemBody).currentETag).toBe('"v2"');
      expectProblem(
        await patch(created.id, { active: false }, { ifMatch: 'W/"v2"' }),
        412,
        'PRECONDITION_FAILED',
      );
      expect(await row(created.id)).toEqual(before);
      expect(before).toMatchObject({ nickname: 'First', active: true, version: 2 });
    });

    const termChanges: [string, Record<string, unknown>, string][] = [
      ['the unit amount', { unitAmount: '0.003' }, '/unitAmount'],
      ['the tiers', { tiers: [{ upTo: null, unitAmount: '0.001' }] }, '/tiers'],
      ['the tiers mode', { tiersMode: 'volume' }, '/tiersMode'],
      ['the included quantity', { includedQuantity: '0' }, '/includedQuantity'],
      ['the currency', { currency: 'EUR' }, '/currency'],
      ['the currency, to its own value', { currency: 'USD' }, '/currency'],
      ['the product', { productId: randomUUID() }, '/productId'],
      ['the type', { type: 'one_time' }, '/type'],
      ['the interval', { interval: 'year' }, '/interval'],
      ['the usage type', { usageType: 'licensed' }, '/usageType'],
      ['the meter', { meter: 'events' }, '/meter'],
      ['the billing scheme', { billingScheme: 'flat' }, '/billingScheme'],
      ['the amount, even null', { amount: null }, '/amount'],
      ['the package', { transformQuantity: { divideBy: '10', round: 'up' } }, '/transformQuantity'],
    ];
    it.each(termChanges)(
      'refuses to change %s (422 BILLING_FIELD_IMMUTABLE: create a new price instead) and writes nothing',
      async (_name, body, pointer) => {
        const price = await tiered();
        const before = await row(price.id);
        const counts = await billing.counts();
        const res = await patch(price.id, { nickname: 'Renamed', ...body }, { ifMatch: '"v1"' });
        const problem = expectProblem(res, 422, 'BILLING_FIELD_IMMUTABLE');
        expect(problem.detail).toContain('create a new price instead');
        expect(pointers(res)).toEqual([pointer]);
        expect(await row(price.id)).toEqual(before);
        expect(await billing.counts()).toEqual(counts);
      },
    );

    const badPatches: [string, Record<string, unknown>, string][] = [
      ['an unknown field', { lookupKey: 'pro' }, '/lookupKey'],
      ['a server-owned field', { version: 4 }, '/version'],
      ['nickname a number', { nickname: 5 }, '/nickname'],
      ['nickname empty', { nickname: '' }, '/nickname'],
      ['active as a string', { active: 'false' }, '/active'],
      ['active null', { active: null }, '/active'],
      ['externalId with a space', { externalId: 'PRO 1' }, '/externalId'],
      ['externalId null', { externalId: null }, '/externalId'],
    ];
    it.each(badPatches)(
      'rejects %s with VALIDATION_FAILED and writes nothing',
      async (_name, body, pointer) => {
        const price = await tiered();
        const before = await row(price.id);
        const counts = await billing.counts();
        const res = await patch(price.id, body, { ifMatch: '"v1"' });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(pointers(res)).toContain(pointer);
        expect(await row(price.id)).toEqual(before);
        expect(await billing.counts()).toEqual(counts);
      },
    );

    it('refuses an externalId another price has (409) and to reactivate a price of an inactive product (422)', async () => {
      const other = await tiered();
      const price = await tiered();
      const before = await row(price.id);
      expectProblem(
        await patch(price.id, { externalId: other.externalId }),
        409,
        'BILLING_EXTERNAL_ID_TAKEN',
      );
      expect(await row(price.id)).toEqual(before);

      const own = await billing.createProduct(rw, { name: 'Retired' });
      const retired = await createPrice(
        monthly({ productId: own.id, billingScheme: 'per_unit', unitAmount: '1' }),
      );
      expectStatus(await patch(retired.id, { active: false }), 200);
      expectStatus(
        await http('PATCH', billing.url(`products/${own.id}`), {
          token: rw,
          body: { active: false },
        }),
        200,
      );
      const inactive = await row(retired.id);
      const res = await patch(retired.id, { active: true });
      expectProblem(res, 422, 'BILLING_PRODUCT_INACTIVE');
      expect(pointers(res)).toEqual(['/active']);
      expect(await row(retired.id)).toEqual(inactive);
      // Other changes to it are still allowed.
      expectStatus(await patch(retired.id, { nickname: 'Retired plan' }), 200);
    });

    it('answers 404 for an unknown price, 403 to a caller limited to a legal entity or without billing:write', async () => {
      const price = await tiered();
      const before = await row(price.id);
      const counts = await billing.counts();
      expectProblem(await patch(randomUUID(), { active: false }), 404, 'BILLING_PRICE_NOT_FOUND');
      expectProblem(
        await patch(price.id, { active: false }, { token: de01 }),
        403,
        'BILLING_CATALOG_FORBIDDEN',
      );
      expectProblem(
        await patch(price.id, { active: false }, { token: reader }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expectProblem(
        await http('PATCH', billing.url(`prices/${price.id}`), { body: { active: false } }),
        401,
        'AUTH_TOKEN_MISSING',
      );
      const malformed = await patch('pro', { active: false });
      expectProblem(malformed, 400, 'VALIDATION_FAILED');
      expect(pointers(malformed)).toEqual(['id']);
      expect(await row(price.id)).toEqual(before);
      expect(await billing.counts()).toEqual(counts);
    });
  });
});
