import { randomUUID } from 'node:crypto';
import type { BillingCustomerResponse } from '@revgate/canonical';
import { billingApp } from '../billing.app';
import { BillingConfig } from '../billing.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  BERLIN,
  Billing,
  expectStatus,
  inKeysetOrder,
  ISO_INSTANT,
  Page,
  pointers,
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
});
