import { randomUUID } from 'node:crypto';
import type { BillingCustomerResponse } from '@revgate/canonical';
import { billingApp } from '../billing.app';
import { BillingConfig } from '../billing.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  AUSTIN,
  BERLIN,
  Billing,
  expectStatus,
  inKeysetOrder,
  ISO_INSTANT,
  Page,
  pointers,
  type ProblemBody,
  SAN_FRANCISCO,
  unique,
  UUID,
} from '../../test/billing-fixtures';

function validCustomer(): Record<string, unknown> {
  return {
    name: 'Acme Corporation',
    billTo: { ...SAN_FRANCISCO },
    currency: 'USD',
    legalEntity: 'US01',
  };
}

describe('customers (e2e)', () => {
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
        'select name, email, bill_to, currency, legal_entity, payment_terms, tax_exemption_number, vat_id, external_id, version from billing.customers where id = $1',
        [id],
      )
    )[0];

  describe('POST /customers', () => {
    it('creates a customer with every field and answers exactly what it stored', async () => {
      const externalId = unique('ACME');
      const body = {
        externalId,
        name: 'Acme Corporation',
        email: 'ap@acme.example',
        billTo: { ...SAN_FRANCISCO, line2: 'Suite 300' },
        currency: 'USD',
        legalEntity: 'US01',
        paymentTerms: 'net_45',
        taxExemptionNumber: 'EXEMPT-CA-1',
        vatId: 'US123456',
      };
      const res = await http<BillingCustomerResponse>('POST', billing.url('customers'), {
        token: rw,
        body,
      });
      expectStatus(res, 201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        ...body,
        version: 1,
        createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
        updatedAt: res.body.createdAt,
      });
      expect(res.headers.get('etag')).toBe('"v1"');
      expect(res.headers.get('location')).toBe(`customers/${res.body.id}`);
      expect(await row(res.body.id)).toEqual({
        name: 'Acme Corporation',
        email: 'ap@acme.example',
        bill_to: body.billTo,
        currency: 'USD',
        legal_entity: 'US01',
        payment_terms: 'net_45',
        tax_exemption_number: 'EXEMPT-CA-1',
        vat_id: 'US123456',
        external_id: externalId,
        version: 1,
      });
      const read = await http<BillingCustomerResponse>(
        'GET',
        billing.url(`customers/${res.body.id}`),
        { token: reader },
      );
      expectStatus(read, 200);
      expect(read.body).toEqual(res.body);
      expect(read.headers.get('etag')).toBe('"v1"');
    });

    it('defaults the payment terms to net_30 and leaves the optional fields out', async () => {
      const created = await billing.createCustomer(rw);
      expect(created).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        name: 'Acme Corporation',
        billTo: SAN_FRANCISCO,
        currency: 'USD',
        legalEntity: 'US01',
        paymentTerms: 'net_30',
        version: 1,
        createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
        updatedAt: created.createdAt,
      });
    });

    const badBodies: [string, (b: Record<string, unknown>) => unknown, string][] = [
      ['name missing', ({ name: _omit, ...b }) => b, '/name'],
      ['name empty', (b) => ({ ...b, name: '' }), '/name'],
      ['billTo missing', ({ billTo: _omit, ...b }) => b, '/billTo'],
      ['billTo a string', (b) => ({ ...b, billTo: '1 Market Street' }), '/billTo'],
      [
        'billTo without street',
        (b) => ({ ...b, billTo: { ...SAN_FRANCISCO, line1: undefined } }),
        '/billTo/line1',
      ],
      [
        'billTo without city',
        (b) => ({ ...b, billTo: { ...SAN_FRANCISCO, city: undefined } }),
        '/billTo/city',
      ],
      [
        'a US bill-to without state',
        (b) => ({ ...b, billTo: { ...SAN_FRANCISCO, region: undefined } }),
        '/billTo/region',
      ],
      [
        'a US bill-to with an unknown state',
        (b) => ({ ...b, billTo: { ...SAN_FRANCISCO, region: 'ZZ' } }),
        '/billTo/region',
      ],
      [
        'a US bill-to without ZIP',
        (b) => ({ ...b, billTo: { ...SAN_FRANCISCO, postalCode: undefined } }),
        '/billTo/postalCode',
      ],
      [
        'a malformed ZIP',
        (b) => ({ ...b, billTo: { ...SAN_FRANCISCO, postalCode: '9410' } }),
        '/billTo/postalCode',
      ],
      [
        'a country of three letters',
        (b) => ({ ...b, billTo: { ...SAN_FRANCISCO, country: 'USA' } }),
        '/billTo/country',
      ],
      [
        'an unknown field in the address',
        (b) => ({ ...b, billTo: { ...SAN_FRANCISCO, zip: '94105' } }),
        '/billTo/zip',
      ],
      ['currency lower case', (b) => ({ ...b, currency: 'usd' }), '/currency'],
      ['currency unknown', (b) => ({ ...b, currency: 'ABC' }), '/currency'],
      ['legalEntity lower case', (b) => ({ ...b, legalEntity: 'us01' }), '/legalEntity'],
      ['payment terms unknown', (b) => ({ ...b, paymentTerms: 'net_31' }), '/paymentTerms'],
      ['email not an email', (b) => ({ ...b, email: 'acme' }), '/email'],
      ['vatId with spaces', (b) => ({ ...b, vatId: 'DE 123' }), '/vatId'],
      ['externalId with a space', (b) => ({ ...b, externalId: 'ACME 1' }), '/externalId'],
      ['an unknown field', (b) => ({ ...b, creditLimit: '1000' }), '/creditLimit'],
      ['a server-owned field', (b) => ({ ...b, version: 3 }), '/version'],
    ];
    it.each(badBodies)(
      'rejects %s with VALIDATION_FAILED and writes nothing',
      async (_name, mutate, pointer) => {
        const before = await billing.counts();
        const res = await http('POST', billing.url('customers'), {
          token: rw,
          body: mutate(validCustomer()),
        });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(pointers(res)).toContain(pointer);
        expect(await billing.counts()).toEqual(before);
      },
    );

    it('refuses a legal entity that does not invoice here with 422 BILLING_LEGAL_ENTITY_UNKNOWN', async () => {
      const before = await billing.counts();
      const res = await http('POST', billing.url('customers'), {
        token: rw,
        body: { ...validCustomer(), legalEntity: 'FR01' },
      });
      expect(expectProblem(res, 422, 'BILLING_LEGAL_ENTITY_UNKNOWN').detail).toContain('FR01');
      expect(await billing.counts()).toEqual(before);
    });

    it('refuses a taken externalId with 409 and writes nothing', async () => {
      const externalId = unique('DUP');
      await billing.createCustomer(rw, { externalId });
      const before = await billing.counts();
      const res = await http('POST', billing.url('customers'), {
        token: rw,
        body: { ...validCustomer(), externalId },
      });
      expect(expectProblem(res, 409, 'BILLING_EXTERNAL_ID_TAKEN').detail).toContain(externalId);
      expect(await billing.counts()).toEqual(before);
    });

    it('refuses a legal entity outside the token (403) and needs billing:write and a token', async () => {
      const before = await billing.counts();
      expectProblem(
        await http('POST', billing.url('customers'), { token: de01, body: validCustomer() }),
        403,
        'BILLING_LEGAL_ENTITY_FORBIDDEN',
      );
      expectProblem(
        await http('POST', billing.url('customers'), { token: reader, body: validCustomer() }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expectProblem(
        await http('POST', billing.url('customers'), { body: validCustomer() }),
        401,
        'AUTH_TOKEN_MISSING',
      );
      expect(await billing.counts()).toEqual(before);
      const own = await billing.createCustomer(de01, {
        currency: 'EUR',
        legalEntity: 'DE01',
        billTo: BERLIN,
      });
      expect(own.legalEntity).toBe('DE01');
    });

    it('replays the same request with the same Idempotency-Key and creates one customer', async () => {
      const key = randomUUID();
      const body = { ...validCustomer(), externalId: unique('IDEM') };
      const before = await billing.counts();
      const first = await http<BillingCustomerResponse>('POST', billing.url('customers'), {
        token: rw,
        body,
        headers: { 'idempotency-key': key },
      });
      const second = await http<BillingCustomerResponse>('POST', billing.url('customers'), {
        token: rw,
        body,
        headers: { 'idempotency-key': key },
      });
      expectStatus(first, 201);
      expectStatus(second, 201);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.body).toEqual(first.body);
      expect((await billing.counts()).customers).toBe(before.customers + 1);
    });
  });

  describe('GET /customers', () => {
    it('finds a customer by externalId, pages in keyset order, and hides other legal entities', async () => {
      const externalId = unique('FIND');
      const created = await billing.createCustomer(rw, { externalId });
      const german = await billing.createCustomer(rw, {
        currency: 'EUR',
        legalEntity: 'DE01',
        billTo: BERLIN,
      });
      const found = await http<Page<BillingCustomerResponse>>(
        'GET',
        `${billing.url('customers')}?externalId=${externalId}`,
        { token: reader },
      );
      expectStatus(found, 200);
      expect(found.body).toEqual({ data: [created], nextCursor: null });

      const all = await billing.walk<BillingCustomerResponse>(reader, 'customers', { limit: '2' });
      expect(all.pages).toBeGreaterThan(1);
      expect(inKeysetOrder(all.items)).toBe(true);
      expect(all.items.map((c) => c.id)).toEqual(expect.arrayContaining([created.id, german.id]));

      const limited = await billing.walk<BillingCustomerResponse>(de01, 'customers', {});
      expect(limited.items.every((c) => c.legalEntity === 'DE01')).toBe(true);
      expectProblem(
        await http('GET', billing.url(`customers/${created.id}`), { token: de01 }),
        404,
        'BILLING_CUSTOMER_NOT_FOUND',
      );
    });

    it('answers 404 for an unknown customer and 400 for a malformed id or filter', async () => {
      expectProblem(
        await http('GET', billing.url(`customers/${randomUUID()}`), { token: reader }),
        404,
        'BILLING_CUSTOMER_NOT_FOUND',
      );
      expectProblem(
        await http('GET', billing.url('customers/acme'), { token: reader }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await http('GET', `${billing.url('customers')}?legalEntity=us01`, { token: reader }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await http('GET', `${billing.url('customers')}?cursor=abc`, { token: reader }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('PATCH /customers/{id}', () => {
    const patch = (
      id: string,
      body: unknown,
      options: { token?: string; ifMatch?: string } = {},
    ): ReturnType<typeof http<BillingCustomerResponse>> =>
      http<BillingCustomerResponse>('PATCH', billing.url(`customers/${id}`), {
        token: options.token ?? rw,
        body,
        headers: options.ifMatch === undefined ? {} : { 'if-match': options.ifMatch },
      });

    it('changes the descriptive fields with the current ETag, keeps the rest and bumps the version', async () => {
      const created = await billing.createCustomer(rw, {
        externalId: unique('PATCH'),
        email: 'ap@acme.example',
        taxExemptionNumber: 'EXEMPT-CA-1',
        vatId: 'US123456',
      });
      const read = await http('GET', billing.url(`customers/${created.id}`), { token: reader });
      expect(read.headers.get('etag')).toBe('"v1"');

      const externalId = unique('PATCHED');
      const changes = {
        externalId,
        name: 'Acme Inc.',
        email: 'billing@acme.example',
        billTo: { ...AUSTIN, line2: 'Floor 2' },
        paymentTerms: 'net_60',
        taxExemptionNumber: 'EXEMPT-TX-9',
        vatId: 'US654321',
        // The fixed fields may be named with their current values.
        currency: 'USD',
        legalEntity: 'US01',
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
        name: 'Acme Inc.',
        email: 'billing@acme.example',
        bill_to: changes.billTo,
        currency: 'USD',
        legal_entity: 'US01',
        payment_terms: 'net_60',
        tax_exemption_number: 'EXEMPT-TX-9',
        vat_id: 'US654321',
        external_id: externalId,
        version: 2,
      });
      const again = await http<BillingCustomerResponse>(
        'GET',
        billing.url(`customers/${created.id}`),
        { token: reader },
      );
      expect(again.body).toEqual(res.body);
      expect(again.headers.get('etag')).toBe('"v2"');

      // null removes the optional fields; without If-Match the write is unconditional.
      const cleared = await patch(created.id, {
        email: null,
        taxExemptionNumber: null,
        vatId: null,
      });
      expectStatus(cleared, 200);
      expect(cleared.headers.get('etag')).toBe('"v3"');
      expect(cleared.body).toEqual({
        ...res.body,
        email: undefined,
        taxExemptionNumber: undefined,
        vatId: undefined,
        version: 3,
        updatedAt: expect.stringMatching(ISO_INSTANT) as unknown,
      });
      expect(cleared.body).not.toHaveProperty('email');
      expect(await row(created.id)).toMatchObject({
        email: null,
        tax_exemption_number: null,
        vat_id: null,
        name: 'Acme Inc.',
        version: 3,
      });
      const star = await patch(created.id, { name: 'Acme' }, { ifMatch: '*' });
      expectStatus(star, 200);
      expect(star.body.version).toBe(4);
    });

    it('refuses a stale or malformed If-Match with 412 and writes nothing', async () => {
      const created = await billing.createCustomer(rw);
      expectStatus(await patch(created.id, { name: 'First' }, { ifMatch: '"v1"' }), 200);
      const before = await row(created.id);
      const stale = await patch(created.id, { name: 'Lost update' }, { ifMatch: '"v1"' });
      expectProblem(stale, 412, 'PRECONDITION_FAILED');
      expect((stale.body as unknown as ProblemBody).currentETag).toBe('"v2"');
      for (const garbage of ['v2', '"2"', 'W/"v2"', 'abc'])
        expectProblem(
          await patch(created.id, { name: 'Garbage' }, { ifMatch: garbage }),
          412,
          'PRECONDITION_FAILED',
        );
      expect(await row(created.id)).toEqual(before);
      expect(before).toMatchObject({ name: 'First', version: 2 });
    });

    const badPatches: [string, Record<string, unknown>, string][] = [
      ['an unknown field', { creditLimit: '1000' }, '/creditLimit'],
      ['a server-owned field', { version: 7 }, '/version'],
      ['id in the body', { id: randomUUID() }, '/id'],
      ['name a number', { name: 42 }, '/name'],
      ['name null', { name: null }, '/name'],
      ['name empty', { name: '' }, '/name'],
      ['billTo null', { billTo: null }, '/billTo'],
      ['billTo a string', { billTo: '1 Market Street' }, '/billTo'],
      ['billTo without city', { billTo: { ...SAN_FRANCISCO, city: undefined } }, '/billTo/city'],
      [
        'a US bill-to without state',
        { billTo: { ...SAN_FRANCISCO, region: undefined } },
        '/billTo/region',
      ],
      ['an unknown address field', { billTo: { ...SAN_FRANCISCO, zip: '1' } }, '/billTo/zip'],
      ['email not an email', { email: 'acme' }, '/email'],
      ['paymentTerms unknown', { paymentTerms: 'net_31' }, '/paymentTerms'],
      ['paymentTerms null', { paymentTerms: null }, '/paymentTerms'],
      ['vatId with spaces', { vatId: 'DE 123' }, '/vatId'],
      ['taxExemptionNumber a number', { taxExemptionNumber: 12 }, '/taxExemptionNumber'],
      ['externalId with a space', { externalId: 'ACME 1' }, '/externalId'],
      ['externalId null', { externalId: null }, '/externalId'],
      ['currency lower case', { currency: 'usd' }, '/currency'],
      ['currency null', { currency: null }, '/currency'],
      ['legalEntity lower case', { legalEntity: 'us01' }, '/legalEntity'],
    ];
    it.each(badPatches)(
      'rejects %s with VALIDATION_FAILED and writes nothing',
      async (_name, body, pointer) => {
        const customer = await billing.createCustomer(rw, { email: 'ap@acme.example' });
        const before = await row(customer.id);
        const counts = await billing.counts();
        const res = await patch(customer.id, body, { ifMatch: '"v1"' });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(pointers(res)).toContain(pointer);
        expect(await row(customer.id)).toEqual(before);
        expect(await billing.counts()).toEqual(counts);
      },
    );

    it('refuses to change the currency or the legal entity (422 BILLING_FIELD_IMMUTABLE) and writes nothing', async () => {
      const customer = await billing.createCustomer(rw);
      const before = await row(customer.id);
      const currency = await patch(customer.id, { name: 'Renamed', currency: 'EUR' });
      const problem = expectProblem(currency, 422, 'BILLING_FIELD_IMMUTABLE');
      expect(problem.detail).toContain('USD');
      expect(pointers(currency)).toEqual(['/currency']);
      const entity = await patch(customer.id, { legalEntity: 'DE01' }, { ifMatch: '"v1"' });
      expectProblem(entity, 422, 'BILLING_FIELD_IMMUTABLE');
      expect(pointers(entity)).toEqual(['/legalEntity']);
      const both = await patch(customer.id, { currency: 'EUR', legalEntity: 'DE01' });
      expectProblem(both, 422, 'BILLING_FIELD_IMMUTABLE');
      expect(pointers(both)).toEqual(['/currency', '/legalEntity']);
      expect(await row(customer.id)).toEqual(before);
    });

    it('refuses an externalId another customer has (409) and writes nothing', async () => {
      const taken = unique('TAKEN');
      await billing.createCustomer(rw, { externalId: taken });
      const customer = await billing.createCustomer(rw, { externalId: unique('MINE') });
      const before = await row(customer.id);
      const res = await patch(customer.id, { externalId: taken, name: 'Renamed' });
      expect(expectProblem(res, 409, 'BILLING_EXTERNAL_ID_TAKEN').detail).toContain(taken);
      expect(await row(customer.id)).toEqual(before);
    });

    it('answers 404 for an unknown customer or one of another legal entity, 403 without billing:write, 400 for a malformed id', async () => {
      const us = await billing.createCustomer(rw);
      const before = await row(us.id);
      const counts = await billing.counts();
      expectProblem(await patch(randomUUID(), { name: 'X' }), 404, 'BILLING_CUSTOMER_NOT_FOUND');
      expectProblem(
        await patch(us.id, { name: 'X' }, { token: de01 }),
        404,
        'BILLING_CUSTOMER_NOT_FOUND',
      );
      expectProblem(
        await patch(us.id, { name: 'X' }, { token: reader }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expectProblem(
        await http('PATCH', billing.url(`customers/${us.id}`), { body: { name: 'X' } }),
        401,
        'AUTH_TOKEN_MISSING',
      );
      const malformed = await patch('acme', { name: 'X' });
      expectProblem(malformed, 400, 'VALIDATION_FAILED');
      expect(pointers(malformed)).toEqual(['id']);
      expect(await row(us.id)).toEqual(before);
      expect(await billing.counts()).toEqual(counts);

      // A caller limited to DE01 changes its own customers.
      const german = await billing.createCustomer(de01, {
        currency: 'EUR',
        legalEntity: 'DE01',
        billTo: BERLIN,
      });
      const own = await patch(german.id, { vatId: 'DE123456789' }, { token: de01 });
      expectStatus(own, 200);
      expect(own.body).toMatchObject({ vatId: 'DE123456789', version: 2 });
    });
  });
});
