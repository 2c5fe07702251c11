import type { ErpConfig } from '../../erp.config';
import { erpApp } from '../../erp.app';
import type { CustomerResponse } from '../../customers/dto/customer.dto';
import type { InvoiceResponse } from '../../invoices/dto/invoice.dto';
import type { JournalEntryResponse } from '../../journal-entries/dto/journal-entry.dto';
import type { LegalEntityResponse } from '../../legal-entities/dto/legal-entity.dto';
import type { PeriodResponse } from '../../periods/dto/period.dto';
import {
  expectProblem,
  http,
  startTestApp,
  type TestApp,
} from '../../../../../test/support/test-app';
import { startRpcProxy, type RpcProxy } from '../../../../../test/tryton/rpc-proxy';
import {
  ensureTemplate,
  startTrytonServer,
  type TrytonServer,
} from '../../../../../test/tryton/tryton-server';
import {
  Erp,
  expectStatus,
  invoiceBody,
  journalBody,
  legalEntityBody,
  unique,
  walkPages,
} from '../../../test/erp-fixtures';
import type { TrytonRpcClient } from './tryton-rpc.client';

// What only a real ERP behind the API can show: answers lost after Tryton did the work, a period
// closed in Tryton behind the app's back, Tryton down or slow, and where the API's records live in
// Tryton. The app talks to Tryton through a loopback proxy that can lose, delay or refuse answers.
const YEAR = new Date().getUTCFullYear() + 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAPPING = {
  ...legalEntityBody({ name: 'Revgate US Inc.', allowedCurrencies: ['USD'] }),
  defaultAccounts: {
    receivable: '1100',
    taxPayable: '2200',
    cash: '1000',
    deferredRevenue: '2400',
  },
};

beforeAll(() => ensureTemplate(), 600_000);

describe('the ERP API on a real Tryton 6.0', () => {
  let tryton: TrytonServer;
  let proxy: RpcProxy;
  let t: TestApp<ErpConfig>;
  let erp: Erp;
  let rw: string;
  let rpc: TrytonRpcClient;
  let customer: string;
  let item: string;
  let company: number;

  const appOn = (url: string, env: Record<string, string> = {}): Promise<TestApp<ErpConfig>> =>
    startTestApp(erpApp, {
      ERP_PROVIDER: 'tryton',
      ERP_TRYTON_URL: url,
      ERP_TRYTON_DATABASE: tryton.database,
      ERP_TRYTON_USER: tryton.login,
      ERP_TRYTON_PASSWORD: tryton.password,
      // Lost answers are cut connections here; a short timeout keeps a hung call from stalling.
      ERP_TRYTON_TIMEOUT_MS: '10000',
      ...env,
    });
  const invoicesIn = (reference: string, state?: string): Promise<number> =>
    rpc.searchCount('account.invoice', [
      ['reference', '=', reference],
      ...(state === undefined ? [] : [['state', '=', state]]),
    ]);
  const invoice = (date: string, overrides: Record<string, unknown> = {}) =>
    invoiceBody('US01', customer, item, { date, ...overrides });

  beforeAll(async () => {
    tryton = await startTrytonServer();
    rpc = tryton.client();
    [company] = await rpc.search('company.company', [['party.code', '=', 'US01']]);
    proxy = await startRpcProxy(tryton.url);
    t = await appOn(proxy.url);
    erp = new Erp(t.url, http);
    rw = t.token(['erp:read', 'erp:write']);
    await erp.ok('PUT', 'legal-entities/US01', rw, MAPPING);
    customer = (await erp.upsertCustomer(rw, 'US01', unique('TRY-CUST'))).externalId;
    item = await erp.upsertItem(rw, 'US01', unique('TRY-ITEM'), {
      revenueAccount: '4000',
      deferredRevenueAccount: '2400',
    });
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await proxy.close();
    await tryton.stop();
  });

  describe('legal entities', () => {
    it("maps a Tryton company, whose name is Tryton's, and refuses what Tryton cannot be, writing nothing", async () => {
      const rows = async (): Promise<number> =>
        (await t.sql<{ n: number }>('select count(*)::int as n from erp.tryton_legal_entities'))[0]
          .n;
      const before = await rows();
      const notATrytonCompany = await erp.request('PUT', 'legal-entities/ZZ01', rw, MAPPING);
      expectProblem(notATrytonCompany, 501, 'ERP_NOT_SUPPORTED');
      expectProblem(
        await erp.request('PUT', 'legal-entities/DE01', rw, {
          ...MAPPING,
          functionalCurrency: 'USD',
        }),
        422,
        'ERP_FIELD_IMMUTABLE',
      );
      const foreign = await erp.request<{ errors?: { pointer: string }[] }>(
        'PUT',
        'legal-entities/US01',
        rw,
        { ...MAPPING, allowedCurrencies: ['USD', 'EUR'] },
      );
      expectProblem(foreign, 501, 'ERP_NOT_SUPPORTED');
      expect(foreign.body.errors?.map((e) => e.pointer)).toEqual(['/allowedCurrencies']);
      expect(await rows()).toBe(before);
      // DE01 is a Tryton company, not mapped here: the API does not know it.
      expectProblem(
        await erp.request('GET', 'legal-entities/DE01', rw),
        404,
        'ERP_LEGAL_ENTITY_NOT_FOUND',
      );

      const renamed = await erp.request<LegalEntityResponse>('PUT', 'legal-entities/US01', rw, {
        ...MAPPING,
        name: 'Revgate US Holdings Inc.',
      });
      expectStatus(renamed, 200);
      const party = await rpc.searchRead('party.party', [['code', '=', 'US01']], ['name']);
      expect(party.map((p) => p.name)).toEqual(['Revgate US Holdings Inc.']);
      const back = await erp.ok<LegalEntityResponse>('PUT', 'legal-entities/US01', rw, MAPPING);
      expect(back).toMatchObject({ name: 'Revgate US Inc.', version: renamed.body.version + 1 });
      expect(back.id).toMatch(UUID);
    });
  });

  describe('customers and items', () => {
    it('keeps customers as Tryton parties coded <entity>:<key>, with ids stable across reads and pages', async () => {
      const created: CustomerResponse[] = [];
      for (let n = 0; n < 3; n++)
        created.push(
          await erp.ok<CustomerResponse>('PUT', `customers/US01/${unique('TRY-PAGE')}`, rw, {
            name: `Customer ${n}`,
            paymentTerms: 'net_15',
            country: 'DE',
            taxRegistration: { scheme: 'VAT', number: 'DE123456704', country: 'DE' },
          }),
        );
      for (const c of created) {
        expect(c.id).toMatch(UUID);
        const party = await rpc.searchRead(
          'party.party',
          [['code', '=', `US01:${c.externalId}`]],
          ['name', 'identifiers.type', 'identifiers.code', 'customer_payment_term.name'],
          { company },
        );
        expect(party).toHaveLength(1);
        const [row] = party;
        expect(row.name).toBe(c.name);
        const identifiers = row['identifiers.'] as { type: unknown; code: unknown }[];
        expect(identifiers.map((i) => [i.type, i.code])).toEqual([['eu_vat', 'DE123456704']]);
        expect((row['customer_payment_term.'] as { name?: unknown }).name).toBe('Net 15');
        expect(await erp.ok<CustomerResponse>('GET', `customers/US01/${c.externalId}`, rw)).toEqual(
          c,
        );
      }
      const { items, pages } = await walkPages<CustomerResponse>(http, rw, erp.url('customers'), {
        legalEntity: 'US01',
        limit: '1',
      });
      expect(pages).toBeGreaterThanOrEqual(created.length);
      expect(new Set(items.map((c) => c.id)).size).toBe(items.length);
      for (const c of created) expect(items.filter((i) => i.id === c.id)).toEqual([c]);
    });

    it('refuses a VAT number whose check digits Tryton does not take, and makes no party', async () => {
      const externalId = unique('TRY-BADVAT');
      const res = await erp.request<{ errors?: { pointer: string }[] }>(
        'PUT',
        `customers/US01/${externalId}`,
        rw,
        {
          name: 'Globex',
          paymentTerms: 'net_30',
          taxRegistration: { scheme: 'VAT', number: 'DE123456789', country: 'DE' },
        },
      );
      expectProblem(res, 422, 'ERP_TAX_REGISTRATION_INVALID');
      expect(res.body.errors?.map((e) => e.pointer)).toEqual(['/taxRegistration/number']);
      expect(await rpc.searchCount('party.party', [['code', '=', `US01:${externalId}`]])).toBe(0);
    });

    it('honours If-Match with the version Tryton last wrote the record at', async () => {
      const path = `customers/US01/${unique('TRY-ETAG')}`;
      const body = { name: 'Initech', paymentTerms: 'net_30' };
      const created = await erp.request<CustomerResponse>('PUT', path, rw, body);
      expectStatus(created, 201);
      const etag = created.headers.get('etag') ?? '';
      expectProblem(
        await erp.request('PUT', path, rw, { ...body, name: 'Initrode' }, { 'if-match': '"v1"' }),
        412,
        'PRECONDITION_FAILED',
      );
      const changed = await erp.request<CustomerResponse>(
        'PUT',
        path,
        rw,
        { ...body, name: 'Initrode' },
        { 'if-match': etag },
      );
      expectStatus(changed, 200);
      expect(changed.body).toMatchObject({ id: created.body.id, name: 'Initrode' });
    });
  });

  describe('retries after a lost answer', () => {
    it('posts an invoice once when the answer to its post is lost, and the retry answers with it', async () => {
      const body = invoice(`${YEAR}-03-10`);
      proxy.loseNextAnswer('model.account.invoice.post');
      const lost = await erp.postInvoice(rw, body);
      expectProblem(lost, 503, 'ERP_UNAVAILABLE');
      expect(lost.headers.get('retry-after')).toBe('5');
      // Tryton did post it.
      expect(await invoicesIn(String(body.externalId), 'posted')).toBe(1);
      const retry = await erp.postInvoice(rw, body);
      expectStatus(retry, 200);
      expect(retry.body).toMatchObject({ externalId: body.externalId, total: '1080.00' });
      expect(await invoicesIn(String(body.externalId))).toBe(1);
      expect(
        await erp.ok<InvoiceResponse>('GET', `invoices/US01/${String(body.externalId)}`, rw),
      ).toEqual(retry.body);
    });

    it('posts the draft a lost create left behind, rather than a second invoice', async () => {
      const body = invoice(`${YEAR}-03-11`);
      proxy.loseNextAnswer('model.account.invoice.create');
      expectProblem(await erp.postInvoice(rw, body), 503, 'ERP_UNAVAILABLE');
      expect(await invoicesIn(String(body.externalId), 'draft')).toBe(1);
      expectProblem(
        await erp.request('GET', `invoices/US01/${String(body.externalId)}`, rw),
        404,
        'ERP_INVOICE_NOT_FOUND',
      );
      expectStatus(await erp.postInvoice(rw, body), 201);
      expect(await invoicesIn(String(body.externalId))).toBe(1);
      expect(await invoicesIn(String(body.externalId), 'posted')).toBe(1);
    });

    it('posts a payment once when the answer to its post is lost, and applies it', async () => {
      const target = await erp.postInvoice(
        rw,
        invoice(`${YEAR}-03-12`, {
          lines: [{ itemCode: item, quantity: '1', amount: '200.00', taxAmount: '0' }],
        }),
      );
      expectStatus(target, 201);
      const body = {
        legalEntity: 'US01',
        externalId: unique('TRY-PAY'),
        customerExternalId: customer,
        date: `${YEAR}-03-12`,
        currency: 'USD',
        amount: '200.00',
        applications: [{ invoiceExternalId: target.body.externalId, amount: '200.00' }],
      };
      proxy.loseNextAnswer('model.account.move.post');
      expectProblem(await erp.postPayment(rw, body), 503, 'ERP_UNAVAILABLE');
      const retry = await erp.postPayment(rw, body);
      expectStatus(retry, 200);
      expect(retry.body).toMatchObject({ appliedAmount: '200.00', unappliedAmount: '0.00' });
      expect(await rpc.searchCount('account.move', [['description', '=', body.externalId]])).toBe(
        1,
      );
      expect(
        await erp.ok<InvoiceResponse>('GET', `invoices/US01/${target.body.externalId}`, rw),
      ).toMatchObject({ amountPaid: '200.00', amountDue: '0.00', paymentStatus: 'paid' });
    });

    it("makes the deferral move a lost answer left undone when the invoice's retry comes", async () => {
      const body = invoice(`${YEAR}-03-12`, {
        lines: [
          {
            itemCode: item,
            quantity: '1',
            amount: '600.00',
            servicePeriod: { start: `${YEAR}-03-01`, end: `${YEAR + 1}-03-01` },
          },
        ],
      });
      // The invoice posts; the deferral move is created in Tryton, its answer lost (a draft stays).
      proxy.loseNextAnswer('model.account.move.create');
      expectProblem(await erp.postInvoice(rw, body), 503, 'ERP_UNAVAILABLE');
      expect(await invoicesIn(String(body.externalId), 'posted')).toBe(1);
      const deferrals = (state: string): Promise<number> =>
        rpc.searchCount('account.move', [
          ['description', '=', `${String(body.externalId)} deferral`],
          ['state', '=', state],
        ]);
      expect(await deferrals('draft')).toBe(1);
      const retry = await erp.postInvoice(rw, body);
      expectStatus(retry, 200);
      expect(retry.body.lines.map((l) => [l.accountCode, l.deferred])).toEqual([['2400', true]]);
      expect([await deferrals('draft'), await deferrals('posted')]).toEqual([0, 1]);
      expect(await invoicesIn(String(body.externalId))).toBe(1);
    });

    it("answers a retry with the first posting even when the item's accounts changed since", async () => {
      const code = await erp.upsertItem(rw, 'US01', unique('TRY-MOVED'), {
        revenueAccount: '4000',
      });
      const body = invoice(`${YEAR}-03-12`, {
        lines: [{ itemCode: code, quantity: '1', amount: '50.00', taxAmount: '0' }],
      });
      const first = await erp.postInvoice(rw, body);
      expectStatus(first, 201);
      await erp.upsertItem(rw, 'US01', code, { revenueAccount: '4100' });
      const again = await erp.postInvoice(rw, body);
      expectStatus(again, 200);
      expect(again.body).toEqual(first.body);
      expect(again.body.lines.map((l) => l.accountCode)).toEqual(['4000']);
    });

    it('posts one invoice for concurrent requests under one external id', async () => {
      const body = invoice(`${YEAR}-03-13`);
      const answers = await Promise.all(Array.from({ length: 4 }, () => erp.postInvoice(rw, body)));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(await invoicesIn(String(body.externalId))).toBe(1);
    });
  });

  describe('postings as Tryton keeps them', () => {
    it('invoices a deferred line to its revenue account, and a deferral move of the invoice takes it to deferred revenue', async () => {
      const body = invoice(`${YEAR}-03-14`, {
        lines: [
          {
            itemCode: item,
            quantity: '1',
            amount: '1200.00',
            servicePeriod: { start: `${YEAR}-03-01`, end: `${YEAR + 1}-03-01` },
          },
        ],
      });
      const res = await erp.postInvoice(rw, body);
      expectStatus(res, 201);
      expect(res.body.lines.map((l) => [l.accountCode, l.deferred])).toEqual([['2400', true]]);
      expect(res.body.ledger.map((l) => [l.accountCode, l.debit, l.credit])).toEqual(
        expect.arrayContaining([
          ['1100', '1200.00', '0'],
          ['2400', '0', '1200.00'],
        ]),
      );
      const [posted] = await rpc.searchRead(
        'account.invoice',
        [['reference', '=', String(body.externalId)]],
        ['lines.account.code', 'move'],
      );
      const invoiced = posted['lines.'] as { 'account.': { code: string } }[];
      expect(invoiced.map((l) => l['account.'].code)).toEqual(['4000']);
      const deferrals = await rpc.searchRead(
        'account.move',
        [
          ['origin', '=', `account.invoice,${String(posted.id)}`],
          ['id', '!=', posted.move as number],
        ],
        ['state', 'journal.code', 'lines.account.code', 'lines.debit', 'lines.credit'],
      );
      expect(deferrals).toHaveLength(1);
      expect(deferrals[0]).toMatchObject({ state: 'posted', 'journal.': { code: 'REV' } });
      const lines = (deferrals[0]['lines.'] as Record<string, unknown>[]).map((l) => [
        (l['account.'] as { code: string }).code,
        String(l.debit),
        String(l.credit),
      ]);
      expect(lines).toEqual(
        expect.arrayContaining([
          ['4000', '1200', '0'],
          ['2400', '0', '1200'],
        ]),
      );
    });

    it('names the customer of a receivable journal line through dimensions.customer, as Tryton keeps receivables per party', async () => {
      const date = `${YEAR}-03-20`;
      const period = `${YEAR}-03`;
      const withoutCustomer = await erp.request<{ errors?: { pointer: string }[] }>(
        'POST',
        'journal-entries',
        rw,
        journalBody(
          'US01',
          [
            { accountCode: '1100', debit: '10.00' },
            { accountCode: '4000', credit: '10.00' },
          ],
          { date, period },
        ),
      );
      expectProblem(withoutCustomer, 422, 'ERP_CUSTOMER_UNKNOWN');
      expect(withoutCustomer.body.errors?.map((e) => e.pointer)).toEqual([
        '/lines/0/dimensions/customer',
      ]);
      const body = journalBody(
        'US01',
        [
          { accountCode: '1100', debit: '10.00', dimensions: { customer } },
          {
            accountCode: '4000',
            credit: '10.00',
            memo: 'Late fee',
            dimensions: { product: item },
          },
        ],
        { date, period },
      );
      const res = await erp.postJournal(rw, body);
      expectStatus(res, 201);
      expect(res.body.lines).toEqual([
        {
          accountCode: '1100',
          debit: '10.00',
          credit: '0',
          customerExternalId: customer,
          dimensions: { customer },
        },
        {
          accountCode: '4000',
          debit: '0',
          credit: '10.00',
          memo: 'Late fee',
          dimensions: { product: item },
        },
      ]);
      expect(
        await erp.ok<JournalEntryResponse>(
          'GET',
          `journal-entries/US01/${String(body.externalId)}`,
          rw,
        ),
      ).toEqual(res.body);
      const moveLines = await rpc.searchRead(
        'account.move.line',
        [['move.description', 'like', `${String(body.externalId)}%`]],
        ['account.code', 'party.code'],
      );
      expect(moveLines.map((l) => (l['party.'] as { code?: string } | null)?.code ?? null)).toEqual(
        expect.arrayContaining([`US01:${customer}`, null]),
      );
    });
  });

  describe('Tryton changed or unavailable behind the app', () => {
    it('refuses a posting into a period closed in Tryton behind its back, leaves no draft, and reopens it', async () => {
      const period = `${YEAR}-04`;
      // The app has read (and keeps for a while) the periods as they were: April open.
      expect(await erp.ok<PeriodResponse>('GET', `periods/US01/${period}`, rw)).toMatchObject({
        status: 'open',
      });
      const [april] = await rpc.search('account.period', [
        ['company', '=', company],
        ['name', '=', period],
      ]);
      await rpc.execute('account.period', 'close', [april], { company });
      const body = invoice(`${period}-02`);
      const refused = await erp.request<{ errors?: { pointer: string }[] }>(
        'POST',
        'invoices',
        rw,
        body,
      );
      expectProblem(refused, 422, 'ERP_PERIOD_CLOSED');
      expect(refused.body.errors?.map((e) => e.pointer)).toEqual(['/date']);
      expect(await invoicesIn(String(body.externalId))).toBe(0);
      const reopened = await erp.request<PeriodResponse>(
        'POST',
        `periods/US01/${period}/reopen`,
        rw,
      );
      expectStatus(reopened, 200);
      expect(reopened.body.status).toBe('open');
      expectStatus(await erp.postInvoice(rw, body), 201);
    });

    it('answers 503 ERP_UNAVAILABLE with Retry-After while Tryton is down, and posts nothing', async () => {
      const body = journalBody(
        'US01',
        [
          { accountCode: '2400', debit: '5.00' },
          { accountCode: '4000', credit: '5.00' },
        ],
        { date: `${YEAR}-04-20`, period: `${YEAR}-04` },
      );
      proxy.down = true;
      try {
        const res = await erp.postJournal(rw, body);
        expectProblem(res, 503, 'ERP_UNAVAILABLE');
        expect(res.headers.get('retry-after')).toBe('5');
        // Lookups of postings go to Tryton (master data read in the last 30 s is served as read).
        expectProblem(
          await erp.request('GET', `journal-entries/US01/${String(body.externalId)}`, rw),
          503,
          'ERP_UNAVAILABLE',
        );
      } finally {
        proxy.down = false;
      }
      expect(
        await rpc.searchCount('account.move', [
          ['description', 'like', `${String(body.externalId)}%`],
        ]),
      ).toBe(0);
      expectStatus(await erp.postJournal(rw, body), 201);
    });

    it('refuses calls past its budget of calls in flight with 429 ERP_CONCURRENCY_LIMITED', async () => {
      const budgeted = await appOn(proxy.url, {
        ERP_TRYTON_CONCURRENCY: '1',
        ERP_TRYTON_MAX_WAIT_MS: '100',
      });
      try {
        const token = budgeted.token(['erp:read', 'erp:write']);
        const other = new Erp(budgeted.url, http);
        await other.ok('PUT', 'legal-entities/US01', token, MAPPING);
        proxy.delayMs = 400;
        const answers = await Promise.all(
          Array.from({ length: 3 }, () => other.request('GET', `items/US01/${item}`, token)),
        );
        const limited = answers.filter((a) => a.status === 429);
        expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1);
        expect(limited.length).toBeGreaterThanOrEqual(1);
        for (const a of limited) {
          expectProblem(a, 429, 'ERP_CONCURRENCY_LIMITED');
          expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        }
      } finally {
        proxy.delayMs = 0;
        await budgeted.close();
      }
    });
  });
});
