import { erpApp } from '../erp.app';
import { ErpConfig } from '../erp.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  Erp,
  erpCounts,
  expectStatus,
  pointers,
  unique,
  walkPages,
  expectRefusedUnwritten,
} from '../../test/erp-fixtures';
import type { CustomerResponse } from './dto/customer.dto';

describe('customers (e2e)', () => {
  let t: TestApp<ErpConfig>;
  let erp: Erp;
  let rw: string;
  let reader: string;

  beforeAll(async () => {
    t = await startTestApp(erpApp);
    erp = new Erp(t.url, http);
    rw = t.token(['erp:read', 'erp:write']);
    reader = t.token(['erp:read']);
    await erp.setUpEntity(rw, 'US01');
  });
  afterAll(async () => {
    await t.close();
  });

  const valid = { name: 'Acme Corporation', paymentTerms: 'net_30' };
  const put = (externalId: string, body: unknown, headers: Record<string, string> = {}) =>
    erp.request<CustomerResponse>('PUT', `customers/US01/${externalId}`, rw, body, headers);

  it('creates a customer with every field and answers what it stored; clears what is left out', async () => {
    const externalId = unique('ACME');
    const body = {
      name: 'Acme Corporation',
      paymentTerms: 'net_45',
      currency: 'EUR',
      country: 'DE',
      taxRegistration: { scheme: 'VAT', number: 'DE123456789', country: 'DE' },
    };
    const created = await put(externalId, body);
    expectStatus(created, 201);
    expect(created.body).toMatchObject({ ...body, legalEntity: 'US01', externalId, version: 1 });
    const [row] = await t.sql(
      'select name, payment_terms, currency, tax_registration from erp.customers where external_id = $1',
      [externalId],
    );
    expect(row).toEqual({
      name: body.name,
      payment_terms: 'net_45',
      currency: 'EUR',
      tax_registration: body.taxRegistration,
    });
    const plain = await put(externalId, valid, { 'if-match': '"v1"' });
    expectStatus(plain, 200);
    expect(plain.body).toEqual({
      ...plain.body,
      name: valid.name,
      paymentTerms: 'net_30',
      version: 2,
    });
    expect(plain.body.currency).toBeUndefined();
    expect(plain.body.taxRegistration).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'a currency the entity does not allow',
      { currency: 'JPY' },
      'ERP_CURRENCY_NOT_ALLOWED',
      '/currency',
    ],
    [
      'an EIN of the wrong format',
      { taxRegistration: { scheme: 'EIN', number: '123', country: 'US' } },
      'ERP_TAX_REGISTRATION_INVALID',
      '/taxRegistration/number',
    ],
  ])('refuses %s with 422 and writes nothing', async (_name, change, code, pointer) => {
    const counts = await erpCounts(t);
    const res = await put(unique('C'), { ...valid, ...change });
    expectProblem(res, 422, code);
    expect(pointers(res)).toEqual([pointer]);
    expect(await erpCounts(t)).toEqual(counts);
  });

  const badBodies: [string, unknown, string][] = [
    ['no name', { paymentTerms: 'net_30' }, '/name'],
    ['no payment terms', { name: 'Acme' }, '/paymentTerms'],
    ['payment terms that do not exist', { ...valid, paymentTerms: 'net_31' }, '/paymentTerms'],
    ['a currency in lower case', { ...valid, currency: 'usd' }, '/currency'],
    ['a null currency', { ...valid, currency: null }, '/currency'],
    [
      'a tax registration without a scheme',
      { ...valid, taxRegistration: { number: 'DE123456789', country: 'DE' } },
      '/taxRegistration/scheme',
    ],
    [
      'a tax registration as a string',
      { ...valid, taxRegistration: 'DE123456789' },
      '/taxRegistration',
    ],
    ['an unknown field', { ...valid, creditLimit: '1000' }, '/creditLimit'],
  ];
  it.each(badBodies)(
    'rejects %s with VALIDATION_FAILED and writes nothing',
    async (_name, body, pointer) => {
      await expectRefusedUnwritten(
        t,
        () => put(unique('C'), body),
        400,
        'VALIDATION_FAILED',
        pointer,
      );
    },
  );

  it('answers 404 for an unknown entity or customer, 400 for a malformed external id, 412 for a stale ETag', async () => {
    const counts = await erpCounts(t);
    expectProblem(
      await erp.request('PUT', 'customers/ZZ99/ACME', rw, valid),
      404,
      'ERP_LEGAL_ENTITY_NOT_FOUND',
    );
    expectProblem(
      await erp.request('GET', 'customers/US01/NOBODY', reader),
      404,
      'ERP_CUSTOMER_NOT_FOUND',
    );
    expectProblem(
      await erp.request('PUT', 'customers/US01/-bad', rw, valid),
      400,
      'VALIDATION_FAILED',
    );
    const id = unique('C');
    await put(id, valid);
    const counted = await erpCounts(t);
    expectProblem(
      await put(id, { ...valid, name: 'Other' }, { 'if-match': '"v7"' }),
      412,
      'PRECONDITION_FAILED',
    );
    expect((await erpCounts(t)).customers).toBe(counted.customers);
    expect(counted.customers).toBe(counts.customers + 1);
  });

  it('lists customers page by page, only of the entities the caller sees', async () => {
    const { items } = await walkPages<CustomerResponse>(http, reader, erp.url('customers'), {
      legalEntity: 'US01',
      limit: '2',
    });
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(new Set(items.map((c) => c.id)).size).toBe(items.length);
    const de = t.token(['erp:read'], { legalEntities: ['DE01'] });
    expect((await erp.ok<{ data: unknown[] }>('GET', 'customers', de)).data).toEqual([]);
  });
});
