import type { BaseConfig } from '@revgate/platform';
import { Billing } from '../../apps/system-billing/test/billing-fixtures';
import { newAccount } from '../support/crm';
import { expectStatus, pointers } from '../support/api-fixtures';
import {
  expectProblem,
  http,
  type JsonResponse,
  startTestApp,
  type TestApp,
} from '../support/test-app';
import { APPS, apiUrl, schemaCounts } from './support/apps';

/**
 * Check 2, broken object property-level authorization (mass assignment): a body may carry only the
 * fields the caller may set (CRM, billing, the ERP, and the portal's audited operator actions). Unknown fields and the fields the server owns (id, version,
 * createdAt, updatedAt, status, the legal entity's numbering, …) in a POST or a PATCH are refused
 * with 400 VALIDATION_FAILED naming each one by its JSON pointer, and nothing is written — on
 * creates (no new row) and on updates (the row unchanged, the version not bumped).
 */

const SERVER_OWNED = {
  id: '00000000-0000-4000-8000-00000000beef',
  version: 99,
  createdAt: '2020-01-01T00:00:00.000Z',
  updatedAt: '2020-01-01T00:00:00.000Z',
  status: 'paid',
};
const UNKNOWN = { isAdmin: true, legal_entities: ['US01', 'DE01'], tenantId: 'other' };

describe('property-level authorization (mass assignment)', () => {
  const started: TestApp<BaseConfig>[] = [];
  afterAll(async () => {
    for (const t of started) await t.close();
  });

  /**
   * Sends `body` with each field of `fields` added (one at a time, then all at once) and expects a
   * VALIDATION_FAILED naming it, with the schema's row counts and `row()` unchanged.
   */
  async function expectEachRefused(
    t: TestApp<BaseConfig>,
    schema: string,
    send: (body: Record<string, unknown>) => Promise<JsonResponse>,
    body: Record<string, unknown>,
    fields: Record<string, unknown>,
    row: () => Promise<unknown> = () => Promise.resolve(undefined),
    prefix = '',
  ): Promise<void> {
    const counts = await schemaCounts(t, schema);
    const before = await row();
    for (const [field, value] of Object.entries(fields)) {
      const res = await send({ ...body, [field]: value });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res)).toContain(`${prefix}/${field}`);
    }
    const all = await send({ ...body, ...fields });
    expectProblem(all, 400, 'VALIDATION_FAILED');
    expect(pointers(all)).toEqual(
      expect.arrayContaining(Object.keys(fields).map((f) => `${prefix}/${f}`)),
    );
    expect(await schemaCounts(t, schema)).toEqual(counts);
    expect(await row()).toEqual(before);
  }

  describe('CRM accounts', () => {
    let t: TestApp<BaseConfig>;
    let rw: string;
    let accountId: string;
    const url = (path: string) => `${t.url}/crm/v1/${path}`;
    const row = async () =>
      (await t.sql('select * from crm.accounts where id = $1', [accountId]))[0];
    beforeAll(async () => {
      t = await startTestApp(APPS.crm.spec, APPS.crm.env);
      started.push(t);
      rw = t.token(['crm:read', 'crm:write']);
      const created = await http<{ id: string }>('POST', url('accounts'), {
        token: rw,
        body: newAccount(),
      });
      expectStatus(created, 201);
      accountId = created.body.id;
    }, 120_000);

    it('POST /accounts refuses server-owned and unknown fields', async () => {
      await expectEachRefused(
        t,
        'crm',
        (body) => http('POST', url('accounts'), { token: rw, body }),
        { ...newAccount() },
        { ...SERVER_OWNED, ...UNKNOWN },
      );
    });

    it('PATCH /accounts/{id} refuses them and leaves the account as it was', async () => {
      await expectEachRefused(
        t,
        'crm',
        (body) => http('PATCH', url(`accounts/${accountId}`), { token: rw, body }),
        { legalName: 'Renamed' },
        { ...SERVER_OWNED, ...UNKNOWN },
        row,
      );
    });

    it('refuses unknown fields inside nested objects too', async () => {
      await expectEachRefused(
        t,
        'crm',
        (body) =>
          http('PATCH', url(`accounts/${accountId}`), {
            token: rw,
            body: { billingAddress: { ...newAccount().billingAddress, ...body } },
          }),
        {},
        { geo: { lat: 1 }, verified: true },
        row,
        '/billingAddress',
      );
    });

    it('PATCH with a JSON null body is refused, not read as an empty change', async () => {
      const before = await row();
      const res = await http('PATCH', url(`accounts/${accountId}`), { token: rw, rawBody: 'null' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(await row()).toEqual(before);
    });

    it('refuses prototype pollution (__proto__, constructor.prototype) as malformed', async () => {
      const counts = await schemaCounts(t, 'crm');
      for (const raw of [
        '{"legalName":"X","__proto__":{"isAdmin":true}}',
        '{"legalName":"X","constructor":{"prototype":{"isAdmin":true}}}',
      ]) {
        const res = await http('PATCH', url(`accounts/${accountId}`), { token: rw, rawBody: raw });
        expect(res.status).toBe(400);
        expect(['MALFORMED_REQUEST', 'VALIDATION_FAILED']).toContain(
          (res.body as { code?: string }).code,
        );
      }
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(await schemaCounts(t, 'crm')).toEqual(counts);
    });
  });

  describe('billing customers, products and invoices', () => {
    let t: TestApp<BaseConfig>;
    let billing: Billing;
    let rw: string;
    beforeAll(async () => {
      t = await startTestApp(APPS.billing.spec, APPS.billing.env);
      started.push(t);
      billing = new Billing(t, http);
      rw = t.token(['billing:read', 'billing:write']);
    }, 120_000);

    it('POST /customers and PATCH /customers/{id} refuse server-owned and unknown fields', async () => {
      const customer = await billing.createCustomer(rw);
      const body = {
        name: 'Acme',
        billTo: {
          line1: '1 Market Street',
          city: 'San Francisco',
          region: 'CA',
          postalCode: '94105',
          country: 'US',
        },
        currency: 'USD',
        legalEntity: 'US01',
      };
      await expectEachRefused(
        t,
        'billing',
        (b) => http('POST', billing.url('customers'), { token: rw, body: b }),
        body,
        { ...SERVER_OWNED, ...UNKNOWN, balance: '0.00' },
      );
      await expectEachRefused(
        t,
        'billing',
        (b) => http('PATCH', billing.url(`customers/${customer.id}`), { token: rw, body: b }),
        { name: 'Renamed' },
        { ...SERVER_OWNED, ...UNKNOWN },
        async () =>
          (await t.sql('select * from billing.customers where id = $1', [customer.id]))[0],
      );
    });

    it('POST /invoices refuses a number, a status, totals and paid amounts set by the caller', async () => {
      const customer = await billing.createCustomer(rw);
      const product = await billing.createProduct(rw);
      await expectEachRefused(
        t,
        'billing',
        (b) => http('POST', billing.url('invoices'), { token: rw, body: b }),
        {
          customerId: customer.id,
          oneTimeLines: [{ productId: product.id, quantity: '1', unitAmount: '100.00' }],
        },
        {
          ...SERVER_OWNED,
          number: 'INV-US01-000001',
          total: '0.00',
          amountPaid: '100.00',
          amountDue: '0.00',
          finalizedAt: '2026-01-01T00:00:00.000Z',
        },
      );
    });

    it('refuses server-owned fields inside invoice lines', async () => {
      const customer = await billing.createCustomer(rw);
      const product = await billing.createProduct(rw);
      const res = await http('POST', billing.url('invoices'), {
        token: rw,
        body: {
          customerId: customer.id,
          oneTimeLines: [
            {
              productId: product.id,
              quantity: '1',
              unitAmount: '100.00',
              amount: '0.01',
              taxAmount: '0',
            },
          ],
        },
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res)).toEqual(
        expect.arrayContaining(['/oneTimeLines/0/amount', '/oneTimeLines/0/taxAmount']),
      );
    });
  });

  describe('experience portal operator actions', () => {
    let t: TestApp<BaseConfig>;
    let operator: string;
    // Quote-to-cash is at a closed port: a body that got past validation would answer 503.
    const action = (name: string) =>
      apiUrl(t, APPS.portal, `exceptions/00000000-0000-4000-8000-0000000000cc/${name}`);
    beforeAll(async () => {
      t = await startTestApp(APPS.portal.spec, APPS.portal.env);
      started.push(t);
      operator = t.token(['portal:read', 'portal:operate'], { subject: 'olga.operator' });
    }, 120_000);

    it.each(['retry', 'resolve'])(
      'POST /exceptions/{id}/%s takes a reason only: who acted, on what and when are the server’s',
      async (name) => {
        await expectEachRefused(
          t,
          'portal',
          (body) => http('POST', action(name), { token: operator, body }),
          { reason: 'Mapped the product, ticket FIN-7' },
          {
            ...SERVER_OWNED,
            ...UNKNOWN,
            extra: 1,
            actor: 'someone.else',
            action: 'resolve',
            at: '2020-01-01T00:00:00.000Z',
            targetId: '00000000-0000-4000-8000-0000000000dd',
            detail: { legalEntity: 'DE01' },
            correlationId: 'forged',
          },
        );
      },
    );

    it('refuses a JSON null body, writing nothing', async () => {
      const counts = await schemaCounts(t, 'portal');
      const res = await http('POST', action('retry'), { token: operator, rawBody: 'null' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(await schemaCounts(t, 'portal')).toEqual(counts);
    });
  });

  describe('ERP postings', () => {
    let t: TestApp<BaseConfig>;
    let rw: string;
    beforeAll(async () => {
      t = await startTestApp(APPS.erp.spec, APPS.erp.env);
      started.push(t);
      rw = t.token(['erp:read', 'erp:write']);
    }, 120_000);

    it('POST /invoices refuses server-owned and unknown fields before anything is posted', async () => {
      await expectEachRefused(
        t,
        'erp',
        (b) => http('POST', `${t.url}/erp/v1/invoices`, { token: rw, body: b }),
        {
          legalEntity: 'US01',
          externalId: 'INV-PROP-1',
          customerExternalId: 'CUST-1',
          date: '2026-01-15',
          currency: 'USD',
          lines: [{ itemCode: 'ITEM-1', quantity: '1', amount: '100.00' }],
        },
        { ...SERVER_OWNED, ...UNKNOWN, documentNumber: 'X-1', postedAt: '2026-01-15T00:00:00Z' },
      );
    });
  });
});
