import type { BaseConfig } from '@revgate/platform';
import { Billing, SAN_FRANCISCO } from '../../apps/system-billing/test/billing-fixtures';
import { Erp, invoiceBody } from '../../apps/system-erp/test/erp-fixtures';
import { portalApp } from '../../apps/experience-portal/src/portal.app';
import {
  Landscape,
  type OrderBody,
  PortalLandscape,
  thisMonth,
} from '../../apps/experience-portal/test/portal-fixtures';
import { newAccount } from '../support/crm';
import { expectStatus, type HttpResponse, unique } from '../support/api-fixtures';
import { http, startTestApp, type TestApp } from '../support/test-app';
import { APPS, apiUrl, isProblem, NOWHERE, schemaCounts } from './support/apps';

/**
 * Check 1, broken object-level authorization: a token limited to DE01 (`legal_entities`) reaching
 * for US01's objects by their path gets 404 — the answer of an object that does not exist, neither
 * 403 (which would confirm it exists) nor the data — on reads, writes and actions, and writes
 * nothing. A US01 object named in a body (a customerId) gets exactly what an unknown id gets; a
 * posting naming US01 in its body gets the documented 403 *_LEGAL_ENTITY_FORBIDDEN, the same as for
 * an entity that does not exist (no oracle either way). Lists never show another entity's objects.
 * Billing, the ERP and the CRM, each with a control: the same request with a US01 token works.
 * The experience portal, which reads them: a portal user (customer_id) gets 404 for another
 * customer's billing view, and a DE01 token gets 404 for US01 traces and exceptions (reads and
 * operator actions, nothing audited) and empty lists.
 */

/** The answer's status and code, to compare with what a nonexistent object gets. */
const shape = (res: HttpResponse<unknown>) => ({
  status: res.status,
  code: (res.body as { code?: string } | undefined)?.code,
  problem: isProblem(res),
});
const UNKNOWN_ID = '00000000-0000-4000-8000-00000000dead';

/** 404 problem with a *_NOT_FOUND code and nothing of the object in it. */
function expectHidden(res: HttpResponse<unknown>, secret: string): void {
  expect({ status: res.status, problem: isProblem(res) }).toEqual({
    status: 404,
    problem: true,
  });
  expect((res.body as { code: string }).code).toMatch(/_NOT_FOUND$/);
  expect(JSON.stringify(res.body)).not.toContain(secret);
}

describe('object-level authorization across legal entities', () => {
  const started: TestApp<BaseConfig>[] = [];
  afterAll(async () => {
    for (const t of started) await t.close();
  });

  describe('billing', () => {
    let t: TestApp<BaseConfig>;
    let billing: Billing;
    let us: string;
    let de: string;
    let customerId: string;
    let invoiceId: string;
    const secretName = 'Confidential US Customer Inc.';
    beforeAll(async () => {
      t = await startTestApp(APPS.billing.spec, APPS.billing.env);
      started.push(t);
      billing = new Billing(t, http);
      const rw = t.token(['billing:read', 'billing:write']);
      us = t.token(['billing:read', 'billing:write'], { legalEntities: ['US01'] });
      de = t.token(['billing:read', 'billing:write'], { legalEntities: ['DE01'] });
      const customer = await billing.createCustomer(rw, {
        name: secretName,
        billTo: SAN_FRANCISCO,
      });
      customerId = customer.id;
      const product = await billing.createProduct(rw, { name: 'Platform' });
      const invoice = await billing.createInvoice(rw, {
        customerId,
        oneTimeLines: [{ productId: product.id, quantity: '1', unitAmount: '100.00' }],
      });
      invoiceId = invoice.id;
    }, 120_000);

    const send = (method: string, path: string, token: string, body?: unknown) =>
      http(method, billing.url(path), { token, body });

    it('a US01 token reads the US01 customer and invoice (control)', async () => {
      expectStatus(await send('GET', `customers/${customerId}`, us), 200);
      expectStatus(await send('GET', `invoices/${invoiceId}`, us), 200);
    });

    it('a DE01 token gets 404 reading the US01 customer and invoice', async () => {
      expectHidden(await send('GET', `customers/${customerId}`, de), secretName);
      expectHidden(await send('GET', `invoices/${invoiceId}`, de), secretName);
    });

    it('a DE01 token gets 404 changing them, and nothing is written', async () => {
      const before = await schemaCounts(t, 'billing');
      const row = async () =>
        (await t.sql('select * from billing.customers where id = $1', [customerId]))[0];
      const customerBefore = await row();
      expectHidden(
        await send('PATCH', `customers/${customerId}`, de, { name: 'Hijacked' }),
        secretName,
      );
      expectHidden(await send('POST', `invoices/${invoiceId}/finalize`, de), secretName);
      expectHidden(
        await send('POST', `invoices/${invoiceId}/void`, de, { reason: 'not mine' }),
        secretName,
      );
      expectHidden(
        await send('POST', `invoices/${invoiceId}/payments`, de, {
          status: 'settled',
          amount: '1.00',
          method: 'bank_transfer',
          reference: unique('PAY'),
        }),
        secretName,
      );
      expect(await row()).toEqual(customerBefore);
      expect(await schemaCounts(t, 'billing')).toEqual(before);
    });

    it('a DE01 token creating an invoice for the US01 customer gets what an unknown customer gets', async () => {
      const before = await schemaCounts(t, 'billing');
      const theirs = await send('POST', 'invoices', de, { customerId });
      const unknown = await send('POST', 'invoices', de, { customerId: UNKNOWN_ID });
      expect(shape(theirs)).toEqual(shape(unknown));
      expect(theirs.status).toBeGreaterThanOrEqual(400);
      expect(JSON.stringify(theirs.body)).not.toContain(secretName);
      expect(await schemaCounts(t, 'billing')).toEqual(before);
    });

    it('a DE01 token creating a US01 customer gets 403 BILLING_LEGAL_ENTITY_FORBIDDEN, as for an unknown entity', async () => {
      const before = await schemaCounts(t, 'billing');
      const body = (legalEntity: string) => ({
        name: 'Sneaky',
        billTo: SAN_FRANCISCO,
        currency: 'USD',
        legalEntity,
      });
      const theirs = await send('POST', 'customers', de, body('US01'));
      expect(shape(theirs)).toEqual({
        status: 403,
        code: 'BILLING_LEGAL_ENTITY_FORBIDDEN',
        problem: true,
      });
      expect(shape(await send('POST', 'customers', de, body('ZZ99')))).toEqual(shape(theirs));
      expect(await schemaCounts(t, 'billing')).toEqual(before);
    });

    it('a DE01 token lists none of US01 customers or invoices, even filtering for them', async () => {
      for (const path of [
        'customers',
        'customers?legalEntity=US01',
        'invoices',
        `invoices?customerId=${customerId}`,
      ]) {
        const res = await send('GET', path, de);
        if (res.status === 200) expect((res.body as { data: unknown[] }).data).toEqual([]);
        else
          expect({ status: res.status, problem: isProblem(res) }).toEqual({
            status: 404,
            problem: true,
          });
        expect(JSON.stringify(res.body)).not.toContain(secretName);
      }
    });
  });

  describe('ERP', () => {
    let t: TestApp<BaseConfig>;
    let erp: Erp;
    let de: string;
    let us: string;
    let externalId: string;
    let customerExternalId: string;
    let itemCode: string;
    const customerName = 'Confidential ERP Customer Corp.';
    beforeAll(async () => {
      t = await startTestApp(APPS.erp.spec, APPS.erp.env);
      started.push(t);
      erp = new Erp(t.url, http);
      const admin = t.token(['erp:read', 'erp:write']);
      await erp.setUpEntity(admin, 'US01');
      await erp.setUpEntity(admin, 'DE01', {
        body: { name: 'Revgate GmbH', functionalCurrency: 'EUR', country: 'DE' },
      });
      customerExternalId = (
        await erp.upsertCustomer(admin, 'US01', unique('CUST'), { name: customerName })
      ).externalId;
      itemCode = await erp.upsertItem(admin, 'US01');
      const posted = await erp.postInvoice(
        admin,
        invoiceBody('US01', customerExternalId, itemCode),
      );
      expectStatus(posted, 201);
      externalId = posted.body.externalId;
      us = t.token(['erp:read', 'erp:write'], { legalEntities: ['US01'] });
      de = t.token(['erp:read', 'erp:write'], { legalEntities: ['DE01'] });
    }, 120_000);

    it('a US01 token reads the US01 invoice (control)', async () => {
      expectStatus(await erp.request('GET', `invoices/US01/${externalId}`, us), 200);
    });

    it('a DE01 token gets 404 for the US01 invoice, customer, period and trial balance', async () => {
      for (const path of [
        `invoices/US01/${externalId}`,
        `customers/US01/${customerExternalId}`,
        `items/US01/${itemCode}`,
        'legal-entities/US01',
        'periods/US01/2026-01',
        'trial-balance/US01/2026-01',
      ])
        expectHidden(await erp.request('GET', path, de), customerName);
    });

    it('a DE01 token cannot post into US01, change its master data or close its period', async () => {
      const before = await schemaCounts(t, 'erp');
      // A posting names its entity in the body: 403 (documented), the same as for no entity at all.
      const posting = await erp.postInvoice(de, invoiceBody('US01', customerExternalId, itemCode));
      expect(shape(posting)).toEqual({
        status: 403,
        code: 'ERP_LEGAL_ENTITY_FORBIDDEN',
        problem: true,
      });
      expect(
        shape(await erp.postInvoice(de, invoiceBody('ZZ99', customerExternalId, itemCode))),
      ).toEqual(shape(posting));
      expectHidden(
        await erp.request('PUT', `customers/US01/${customerExternalId}`, de, {
          name: 'Hijacked',
          paymentTerms: 'net_30',
        }),
        customerName,
      );
      expectHidden(await erp.request('POST', 'periods/US01/2026-01/close', de), customerName);
      expectHidden(await erp.request('PUT', 'periods/US01/2028-01', de), customerName);
      expect(await schemaCounts(t, 'erp')).toEqual(before);
    });

    it('a DE01 token lists none of US01 invoices', async () => {
      for (const path of ['invoices', 'invoices?legalEntity=US01']) {
        const res = await erp.request<{ data?: unknown[] }>('GET', path, de);
        if (res.status === 200) expect(res.body.data).toEqual([]);
        else expect(res.status).toBe(404);
        expect(JSON.stringify(res.body)).not.toContain(externalId);
      }
    });
  });

  describe('experience portal (CRM, billing, tax, ERP and quote-to-cash on loopback)', () => {
    let l: Landscape;
    let portal: TestApp<BaseConfig>;
    let order: OrderBody;
    let exceptionId: string;
    let customerId: string;
    let otherCustomerId: string;
    const otherName = 'Confidential Portal Customer B';
    const call = (method: string, path: string, token: string, body?: unknown) =>
      http(method, apiUrl(portal, APPS.portal, path), { token, body });
    const auditRows = async () => (await schemaCounts(portal, 'portal')).audit_log;
    // Usage to revenue (a process of its own in PortalLandscape) is left at the closed port: no
    // check here needs it, and the billing view and reconciliation answer without it.
    beforeAll(async () => {
      l = await Landscape.start();
      portal = await startTestApp(portalApp, {
        ...PortalLandscape.env(l, { url: NOWHERE }),
        PORTAL_UPSTREAM_TIMEOUT_MS: '2000',
      });
      // An order of US01 parked on an unmapped product: its billing customer exists, its
      // exception is open.
      const deal = await l.closedWonDeal(await l.product({ mapped: false }));
      const started = await l.ok<OrderBody>('q2c', 'POST', 'orders', {
        opportunityId: deal.opportunityId,
      });
      order = await l.waitFor(started.id, (o) => o.status === 'needs_attention');
      customerId = String(order.refs.billingCustomerId);
      const exceptions = await l.ok<{ data: { id: string }[] }>(
        'q2c',
        'GET',
        `exceptions?orderId=${order.id}`,
      );
      exceptionId = exceptions.data[0].id;
      otherCustomerId = (
        await new Billing(l.billing, http).createCustomer(
          l.billing.token(['billing:read', 'billing:write']),
          { name: otherName, billTo: SAN_FRANCISCO },
        )
      ).id;
    }, 180_000);
    afterAll(async () => {
      await portal.close();
      await l.close();
    });

    it('a portal user sees their own billing view (control) and 404 for another customer’s, as for an unknown one', async () => {
      const own = portal.token(['portal:customer'], { customerId });
      const mine = await call('GET', `customers/${customerId}/billing`, own);
      expectStatus(mine, 200);
      expect((mine.body as { customer: { id: string } }).customer.id).toBe(customerId);
      const theirs = await call('GET', `customers/${otherCustomerId}/billing`, own);
      expectHidden(theirs, otherName);
      expect(shape(theirs)).toEqual(
        shape(await call('GET', `customers/${UNKNOWN_ID}/billing`, own)),
      );
      // Without the customer claim the same scope reads any customer the entities allow.
      expectStatus(
        await call(
          'GET',
          `customers/${otherCustomerId}/billing`,
          portal.token(['portal:customer']),
        ),
        200,
      );
    });

    it('a DE01 token gets 404 for the billing view of a US01 customer', async () => {
      const de = portal.token(['portal:customer'], { legalEntities: ['DE01'] });
      const us = portal.token(['portal:customer'], { legalEntities: ['US01'] });
      expectStatus(await call('GET', `customers/${otherCustomerId}/billing`, us), 200);
      expectHidden(await call('GET', `customers/${otherCustomerId}/billing`, de), otherName);
    });

    it('a DE01 token gets 404 for the trace of a US01 deal by any of its keys, as for an unknown one', async () => {
      const de = portal.token(['portal:read'], { legalEntities: ['DE01'] });
      const us = portal.token(['portal:read'], { legalEntities: ['US01'] });
      const keys = [
        `orderId=${order.id}`,
        `opportunityId=${order.opportunityId}`,
        `correlationId=${order.correlationId}`,
      ];
      for (const key of keys) {
        expectStatus(await call('GET', `trace?${key}`, us), 200);
        const theirs = await call('GET', `trace?${key}`, de);
        expectHidden(theirs, customerId);
        expect(JSON.stringify(theirs.body)).not.toContain(String(order.legalEntity));
      }
      expect(shape(await call('GET', `trace?orderId=${order.id}`, de))).toEqual(
        shape(await call('GET', `trace?orderId=${UNKNOWN_ID}`, de)),
      );
    });

    it('a DE01 token gets 404 reading, retrying or resolving a US01 exception, and nothing is audited', async () => {
      const de = portal.token(['portal:read', 'portal:operate'], { legalEntities: ['DE01'] });
      expectStatus(
        await call('GET', `exceptions/${exceptionId}`, portal.token(['portal:read'])),
        200,
      );
      const before = await auditRows();
      expectHidden(await call('GET', `exceptions/${exceptionId}`, de), customerId);
      for (const action of ['retry', 'resolve'])
        expectHidden(
          await call('POST', `exceptions/${exceptionId}/${action}`, de, { reason: 'not mine' }),
          customerId,
        );
      expect(await auditRows()).toBe(before);
      const still = await l.ok<{ status: string }>('q2c', 'GET', `exceptions/${exceptionId}`);
      expect(still.status).toBe('open');
    });

    it('a DE01 token lists none of US01 exceptions, audit entries or bookings, even filtering for them', async () => {
      // The control: an unlimited operator resolves the exception (audited, of US01).
      const resolved = await call(
        'POST',
        `exceptions/${exceptionId}/resolve`,
        portal.token(['portal:operate'], { subject: 'olga.operator' }),
        { reason: 'Invoiced by hand, FIN-9' },
      );
      expectStatus(resolved, 202);
      const de = portal.token(['portal:read'], { legalEntities: ['DE01'] });
      for (const path of [
        'exceptions',
        'exceptions?legalEntity=US01',
        `exceptions?orderId=${order.id}`,
        'audit',
        `audit?targetId=${exceptionId}`,
      ]) {
        const res = await call('GET', path, de);
        expectStatus(res, 200);
        expect((res.body as { data: unknown[] }).data).toEqual([]);
        expect(JSON.stringify(res.body)).not.toContain(order.id);
      }
      const all = await call('GET', `audit?targetId=${exceptionId}`, portal.token(['portal:read']));
      expect((all.body as { data: unknown[] }).data).toHaveLength(1);
      for (const query of ['', '&legalEntity=US01']) {
        const rec = await call('GET', `reconciliation?period=${thisMonth().period}${query}`, de);
        expectStatus(rec, 200);
        expect((rec.body as { bookings: { rows: unknown[] } }).bookings.rows).toEqual([]);
        expect(JSON.stringify(rec.body)).not.toContain(order.opportunityId);
      }
    });
  });

  describe('CRM', () => {
    let t: TestApp<BaseConfig>;
    let de: string;
    let accountId: string;
    const url = (path: string) => `${t.url}/crm/v1/${path}`;
    const secretName = 'Secret Pipeline LLC';
    beforeAll(async () => {
      t = await startTestApp(APPS.crm.spec, APPS.crm.env);
      started.push(t);
      const rw = t.token(['crm:read', 'crm:write']);
      const created = await http<{ id: string }>('POST', url('accounts'), {
        token: rw,
        body: newAccount({ legalName: secretName, legalEntity: 'US01' }),
      });
      expectStatus(created, 201);
      accountId = created.body.id;
      de = t.token(['crm:read', 'crm:write'], { legalEntities: ['DE01'] });
    }, 120_000);

    it('a US01 token reads the US01 account (control)', async () => {
      const us = t.token(['crm:read'], { legalEntities: ['US01'] });
      expectStatus(await http('GET', url(`accounts/${accountId}`), { token: us }), 200);
    });

    it('a DE01 token gets 404 reading or changing the US01 account, and nothing is written', async () => {
      const before = await schemaCounts(t, 'crm');
      expectHidden(await http('GET', url(`accounts/${accountId}`), { token: de }), secretName);
      expectHidden(
        await http('PATCH', url(`accounts/${accountId}`), {
          token: de,
          body: { legalName: 'Hijacked' },
        }),
        secretName,
      );
      const list = await http<{ data: unknown[] }>('GET', url('accounts'), { token: de });
      expectStatus(list, 200);
      expect(JSON.stringify(list.body)).not.toContain(secretName);
      expect(await schemaCounts(t, 'crm')).toEqual(before);
    });

    it('a DE01 token opening an opportunity on the US01 account gets what an unknown account gets', async () => {
      const before = await schemaCounts(t, 'crm');
      const open = (id: string) =>
        http('POST', url('opportunities'), {
          token: de,
          body: { accountId: id, name: 'Sneaky deal', lines: [] },
        });
      const theirs = await open(accountId);
      expect(theirs.status).toBeGreaterThanOrEqual(400);
      expect(shape(theirs)).toEqual(shape(await open(UNKNOWN_ID)));
      expect(JSON.stringify(theirs.body)).not.toContain(secretName);
      expect(await schemaCounts(t, 'crm')).toEqual(before);
    });
  });
});
