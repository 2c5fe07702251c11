import { addDays, periodEnd, periodStart } from '@revgate/canonical';
import type { CustomerResponse } from '../src/customers/dto/customer.dto';
import type { InvoiceResponse } from '../src/invoices/dto/invoice.dto';
import type { ItemResponse } from '../src/items/dto/item.dto';
import type { LegalEntityResponse } from '../src/legal-entities/dto/legal-entity.dto';
import type { PeriodResponse } from '../src/periods/dto/period.dto';
import type { TrialBalanceResponse } from '../src/trial-balance/dto/trial-balance.dto';
import { expectProblem, http } from '../../../test/support/test-app';
import {
  balancesOf,
  cents,
  Erp,
  expectStatus,
  invoiceBody,
  journalBody,
  ledgerTotals,
  type Page,
  unique,
} from './erp-fixtures';

/**
 * The ERP contract: what every adapter behind the port does, checked through the HTTP API with
 * real tokens, so that the same assertions hold for the sandbox and for a real ERP (Tryton). It
 * states canonical behaviour only — results, codes, balances — never an adapter's storage.
 *
 * A harness boots the app with its adapter and hands over a legal entity ready to post in (see
 * ErpContractFixture). The suite creates its own customers and items through the API, under
 * unique external ids, so it can run against an ERP that already holds data; balances are
 * compared before and after, never as absolute figures.
 */
export interface ErpContractFixture {
  /** A legal entity of the ERP whose functional currency is `currency`. */
  legalEntity: string;
  currency: string;
  /** A currency the entity does not allow. */
  disallowedCurrency: string;
  /** An open period (YYYY-MM) the suite posts in. */
  openPeriod: string;
  /** A closed period (the harness closed it). */
  closedPeriod: string;
  /**
   * An open period without postings, before `openPeriod`: the suite closes and reopens it, then
   * posts in it first (a real ERP may number invoices in date order, as Tryton does).
   */
  sparePeriod: string;
  /** A date in no period of the entity. */
  unknownPeriodDate: string;
  /** Account codes of the entity's chart, by role; receivable, tax payable and cash are its defaults. */
  accounts: {
    receivable: string;
    revenue: string;
    deferredRevenue: string;
    taxPayable: string;
    cash: string;
  };
}

export interface ErpContractHarness {
  /** Where the app listens, e.g. http://127.0.0.1:41234 */
  url: string;
  /** A token the app accepts, with these scopes (and, given, a legal-entity limit). */
  token(scopes: string[], options?: { legalEntities?: string[] }): string;
  fixture: ErpContractFixture;
  close(): Promise<void>;
}

interface DocumentProblem {
  code: string;
  errors?: { pointer: string }[];
}

export function describeErpContract(
  adapter: string,
  makeHarness: () => Promise<ErpContractHarness>,
): void {
  describe(`ERP contract (${adapter})`, () => {
    let h: ErpContractHarness;
    let erp: Erp;
    let rw: string;
    let f: ErpContractFixture;
    let customer: string;
    let otherCustomer: string;
    let item: string;
    let usageItem: string;
    let day: string;

    beforeAll(async () => {
      h = await makeHarness();
      f = h.fixture;
      erp = new Erp(h.url, http);
      rw = h.token(['erp:read', 'erp:write']);
      day = `${f.openPeriod}-15`;
      customer = (await erp.upsertCustomer(rw, f.legalEntity, unique('CT-CUST'))).externalId;
      otherCustomer = (await erp.upsertCustomer(rw, f.legalEntity, unique('CT-OTHER'))).externalId;
      item = unique('CT-PLATFORM');
      usageItem = unique('CT-USAGE');
      await erp.ok('PUT', `items/${f.legalEntity}/${item}`, rw, {
        name: 'Platform subscription',
        revenueAccount: f.accounts.revenue,
        deferredRevenueAccount: f.accounts.deferredRevenue,
        taxCode: 'SW054000',
      });
      await erp.ok('PUT', `items/${f.legalEntity}/${usageItem}`, rw, {
        name: 'API calls',
        revenueAccount: f.accounts.revenue,
      });
    });
    afterAll(async () => {
      await h.close();
    });

    const invoice = (overrides: Record<string, unknown> = {}): Record<string, unknown> =>
      invoiceBody(f.legalEntity, customer, item, {
        date: day,
        currency: f.currency,
        ...overrides,
      });
    const tb = (period = f.openPeriod): Promise<TrialBalanceResponse> =>
      erp.trialBalance(rw, f.legalEntity, period);
    const delta = (
      before: TrialBalanceResponse,
      after: TrialBalanceResponse,
      account: string,
    ): { debit: bigint; credit: bigint } => {
      const zero = { debit: 0n, credit: 0n, closing: 0n };
      const b = balancesOf(before, f.currency).get(account) ?? zero;
      const a = balancesOf(after, f.currency).get(account) ?? zero;
      return { debit: a.debit - b.debit, credit: a.credit - b.credit };
    };

    /** A refused posting: the problem, and nothing under its external id, the balance unchanged. */
    async function expectRefused(
      path: 'invoices' | 'credit-memos' | 'payments' | 'journal-entries',
      body: Record<string, unknown>,
      status: number,
      code: string,
      pointer?: string,
    ): Promise<void> {
      // The balance of the period posted to (that of a date in no period cannot be read).
      const date = typeof body.date === 'string' ? body.date : day;
      const period = date === f.unknownPeriodDate ? f.openPeriod : date.slice(0, 7);
      const before = await tb(period);
      const res = await erp.request<DocumentProblem>('POST', path, rw, body);
      expectProblem(res, status, code);
      if (pointer) expect(res.body.errors?.map((e) => e.pointer)).toContain(pointer);
      const lookup = await erp.request(
        'GET',
        `${path}/${f.legalEntity}/${String(body.externalId)}`,
        rw,
      );
      expect(lookup.status).toBe(404);
      expect(await tb(period)).toEqual(before);
    }

    describe('legal entities and periods', () => {
      it('reads the legal entity, and hides it from a token limited to another', async () => {
        const entity = await erp.ok<LegalEntityResponse>(
          'GET',
          `legal-entities/${f.legalEntity}`,
          rw,
        );
        expect(entity).toMatchObject({
          code: f.legalEntity,
          functionalCurrency: f.currency,
          defaultAccounts: {
            receivable: f.accounts.receivable,
            taxPayable: f.accounts.taxPayable,
            cash: f.accounts.cash,
          },
        });
        expect(entity.allowedCurrencies).toContain(f.currency);
        expect(entity.allowedCurrencies).not.toContain(f.disallowedCurrency);
        const other = h.token(['erp:read'], { legalEntities: ['ZZ99'] });
        expectProblem(
          await erp.request('GET', `legal-entities/${f.legalEntity}`, other),
          404,
          'ERP_LEGAL_ENTITY_NOT_FOUND',
        );
        const page = await erp.ok<Page<LegalEntityResponse>>(
          'GET',
          'legal-entities?limit=200',
          other,
        );
        expect(page.data).toEqual([]);
      });

      it('reports periods open and closed', async () => {
        const open = await erp.ok<PeriodResponse>(
          'GET',
          `periods/${f.legalEntity}/${f.openPeriod}`,
          rw,
        );
        expect(open).toMatchObject({
          legalEntity: f.legalEntity,
          period: f.openPeriod,
          start: periodStart(f.openPeriod),
          end: periodEnd(f.openPeriod),
          status: 'open',
        });
        const closed = await erp.ok<PeriodResponse>(
          'GET',
          `periods/${f.legalEntity}/${f.closedPeriod}`,
          rw,
        );
        expect(closed.status).toBe('closed');
      });

      it('closes a period (postings into it refused) and reopens it (postings taken again)', async () => {
        const path = `periods/${f.legalEntity}/${f.sparePeriod}`;
        const closed = await erp.request<PeriodResponse>('POST', `${path}/close`, rw);
        expectStatus(closed, 200);
        expect(closed.body.status).toBe('closed');
        const again = await erp.request<PeriodResponse>('POST', `${path}/close`, rw);
        expectStatus(again, 200);
        expect(again.body.status).toBe('closed');
        await expectRefused(
          'invoices',
          invoice({ date: `${f.sparePeriod}-10` }),
          422,
          'ERP_PERIOD_CLOSED',
          '/date',
        );
        const reopened = await erp.request<PeriodResponse>('POST', `${path}/reopen`, rw);
        expectStatus(reopened, 200);
        expect(reopened.body.status).toBe('open');
        expectStatus(await erp.postInvoice(rw, invoice({ date: `${f.sparePeriod}-10` })), 201);
      });
    });

    describe('customers and items', () => {
      it('upserts a customer by external id: created once, found and updated after', async () => {
        const externalId = unique('CT-UPSERT');
        const path = `customers/${f.legalEntity}/${externalId}`;
        const body = {
          name: 'Globex Corporation',
          paymentTerms: 'net_45',
          // A number whose check digits hold: a real ERP (Tryton) checks them, not only the format.
          taxRegistration: { scheme: 'VAT', number: 'DE123456704', country: 'DE' },
        };
        const created = await erp.request<CustomerResponse>('PUT', path, rw, body);
        expectStatus(created, 201);
        expect(created.body).toMatchObject({ ...body, externalId, legalEntity: f.legalEntity });
        const same = await erp.request<CustomerResponse>('PUT', path, rw, body);
        expectStatus(same, 200);
        expect(same.body.id).toBe(created.body.id);
        const renamed = await erp.request<CustomerResponse>('PUT', path, rw, {
          ...body,
          name: 'Globex AG',
        });
        expectStatus(renamed, 200);
        expect(renamed.body).toMatchObject({ id: created.body.id, name: 'Globex AG' });
        expect(await erp.ok<CustomerResponse>('GET', path, rw)).toMatchObject({
          name: 'Globex AG',
        });
        const page = await erp.ok<Page<CustomerResponse>>(
          'GET',
          `customers?legalEntity=${f.legalEntity}&limit=200&updatedSince=${encodeURIComponent(created.body.createdAt)}`,
          rw,
        );
        expect(page.data.map((c) => c.externalId)).toContain(externalId);
      });

      it('refuses a tax registration that cannot be what it says, and creates nothing', async () => {
        const externalId = unique('CT-BADVAT');
        const path = `customers/${f.legalEntity}/${externalId}`;
        expectProblem(
          await erp.request('PUT', path, rw, {
            name: 'Globex',
            paymentTerms: 'net_30',
            taxRegistration: { scheme: 'VAT', number: 'DE12345', country: 'DE' },
          }),
          422,
          'ERP_TAX_REGISTRATION_INVALID',
        );
        expectProblem(await erp.request('GET', path, rw), 404, 'ERP_CUSTOMER_NOT_FOUND');
      });

      it('keeps an item with its revenue accounts, and refuses accounts not in the chart', async () => {
        const found = await erp.ok<ItemResponse>('GET', `items/${f.legalEntity}/${item}`, rw);
        expect(found).toMatchObject({
          code: item,
          revenueAccount: f.accounts.revenue,
          deferredRevenueAccount: f.accounts.deferredRevenue,
        });
        const code = unique('CT-NOACCOUNT');
        expectProblem(
          await erp.request('PUT', `items/${f.legalEntity}/${code}`, rw, {
            name: 'Nowhere',
            revenueAccount: 'NO-SUCH-ACCOUNT',
          }),
          422,
          'ERP_ACCOUNT_UNKNOWN',
        );
        expectProblem(
          await erp.request('GET', `items/${f.legalEntity}/${code}`, rw),
          404,
          'ERP_ITEM_NOT_FOUND',
        );
      });
    });

    describe('AR invoices', () => {
      it('posts Dr receivable, Cr revenue, Cr tax payable, balanced, and finds it by external id', async () => {
        const before = await tb();
        const body = invoice({
          reference: unique('US01-2026'),
          lines: [
            { itemCode: item, quantity: '2', amount: '1000.00', taxAmount: '80.00' },
            { itemCode: usageItem, quantity: '12000', amount: '240.50', taxAmount: '19.24' },
          ],
        });
        const res = await erp.postInvoice(rw, body);
        expectStatus(res, 201);
        const posted = res.body;
        expect(posted).toMatchObject({
          externalId: body.externalId,
          legalEntity: f.legalEntity,
          customerExternalId: customer,
          period: f.openPeriod,
          status: 'posted',
          subtotal: '1240.50',
          taxTotal: '99.24',
          total: '1339.74',
          amountDue: '1339.74',
          paymentStatus: 'unpaid',
        });
        expect(typeof posted.number).toBe('string');
        expect(posted.lines.map((l) => [l.accountCode, l.deferred])).toEqual([
          [f.accounts.revenue, false],
          [f.accounts.revenue, false],
        ]);
        const totals = ledgerTotals(posted.ledger);
        expect(totals.debit).toBe(totals.credit);
        expect(totals.debit).toBe(cents('1339.74'));
        const after = await tb();
        expect(delta(before, after, f.accounts.receivable)).toEqual({ debit: 133974n, credit: 0n });
        expect(delta(before, after, f.accounts.revenue)).toEqual({ debit: 0n, credit: 124050n });
        expect(delta(before, after, f.accounts.taxPayable)).toEqual({ debit: 0n, credit: 9924n });
        const found = await erp.ok<InvoiceResponse>(
          'GET',
          `invoices/${f.legalEntity}/${String(body.externalId)}`,
          rw,
        );
        expect(found).toEqual(posted);
      });

      it('defers a line whose service period runs past the posting period', async () => {
        const start = periodStart(f.openPeriod);
        const res = await erp.postInvoice(
          rw,
          invoice({
            lines: [
              {
                itemCode: item,
                quantity: '1',
                amount: '12000.00',
                servicePeriod: { start, end: addDays(start, 365) },
              },
              {
                itemCode: item,
                quantity: '1',
                amount: '100.00',
                servicePeriod: { start, end: periodEnd(f.openPeriod) },
              },
            ],
          }),
        );
        expectStatus(res, 201);
        expect(res.body.lines.map((l) => [l.accountCode, l.deferred, l.taxAmount])).toEqual([
          [f.accounts.deferredRevenue, true, '0.00'],
          [f.accounts.revenue, false, '0.00'],
        ]);
        expect(res.body.taxTotal).toBe('0.00');
      });

      it('answers a repeated posting with the first one, and refuses other content under its external id', async () => {
        const body = invoice();
        const first = await erp.postInvoice(rw, body);
        expectStatus(first, 201);
        const before = await tb();
        const again = await erp.postInvoice(rw, body);
        expectStatus(again, 200);
        expect(again.body).toEqual(first.body);
        const equalValue = await erp.postInvoice(rw, {
          ...body,
          lines: [{ itemCode: item, quantity: '10.0', amount: '1000', taxAmount: '80.0' }],
        });
        expectStatus(equalValue, 200);
        expect(equalValue.body.id).toBe(first.body.id);
        const conflict = await erp.postInvoice(rw, {
          ...body,
          lines: [{ itemCode: item, quantity: '10', amount: '1000.01', taxAmount: '80.00' }],
        });
        expectProblem(conflict, 409, 'ERP_EXTERNAL_ID_CONFLICT');
        expect(await tb()).toEqual(before);
        expect(
          await erp.ok<InvoiceResponse>(
            'GET',
            `invoices/${f.legalEntity}/${String(body.externalId)}`,
            rw,
          ),
        ).toEqual(first.body);
      });

      it.each([
        [
          'a closed period',
          () => invoice({ date: `${f.closedPeriod}-20` }),
          'ERP_PERIOD_CLOSED',
          '/date',
        ],
        [
          'a date in no period',
          () => invoice({ date: f.unknownPeriodDate }),
          'ERP_PERIOD_UNKNOWN',
          '/date',
        ],
        [
          'an unknown customer',
          () => invoice({ customerExternalId: unique('NOBODY') }),
          'ERP_CUSTOMER_UNKNOWN',
          '/customerExternalId',
        ],
        [
          'an unknown item',
          () =>
            invoice({ lines: [{ itemCode: unique('NO-ITEM'), quantity: '1', amount: '5.00' }] }),
          'ERP_ITEM_UNKNOWN',
          '/lines/0/itemCode',
        ],
        [
          'a currency the entity does not allow',
          () => invoice({ currency: f.disallowedCurrency }),
          'ERP_CURRENCY_NOT_ALLOWED',
          '/currency',
        ],
      ])('refuses %s with 422 and posts nothing', async (_name, body, code, pointer) => {
        await expectRefused('invoices', body(), 422, code, pointer);
      });

      it('refuses a legal entity the token does not cover with 403', async () => {
        const limited = h.token(['erp:read', 'erp:write'], { legalEntities: ['ZZ99'] });
        const body = invoice();
        expectProblem(await erp.postInvoice(limited, body), 403, 'ERP_LEGAL_ENTITY_FORBIDDEN');
        expect(
          (await erp.request('GET', `invoices/${f.legalEntity}/${String(body.externalId)}`, rw))
            .status,
        ).toBe(404);
      });
    });

    describe('credit memos and payments', () => {
      let target: InvoiceResponse;
      beforeAll(async () => {
        const res = await erp.postInvoice(
          rw,
          invoice({
            lines: [{ itemCode: item, quantity: '1', amount: '500.00', taxAmount: '40.00' }],
          }),
        );
        expectStatus(res, 201);
        target = res.body;
      });
      const memo = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
        ...invoice({
          externalId: unique('CM'),
          lines: [{ itemCode: item, quantity: '1', amount: '100.00', taxAmount: '8.00' }],
        }),
        invoiceExternalId: target.externalId,
        ...overrides,
      });
      const payment = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
        legalEntity: f.legalEntity,
        externalId: unique('PAY'),
        customerExternalId: customer,
        date: day,
        currency: f.currency,
        amount: '100.00',
        applications: [],
        ...overrides,
      });

      it('posts a credit memo as the invoice reversed and applies it to the invoice', async () => {
        const before = await tb();
        const res = await erp.postCreditMemo(rw, memo());
        expectStatus(res, 201);
        expect(res.body).toMatchObject({ invoiceExternalId: target.externalId, total: '108.00' });
        const totals = ledgerTotals(res.body.ledger);
        expect(totals).toEqual({ debit: 10800n, credit: 10800n });
        const after = await tb();
        expect(delta(before, after, f.accounts.receivable)).toEqual({ debit: 0n, credit: 10800n });
        expect(delta(before, after, f.accounts.revenue)).toEqual({ debit: 10000n, credit: 0n });
        expect(delta(before, after, f.accounts.taxPayable)).toEqual({ debit: 800n, credit: 0n });
        const inv = await erp.ok<InvoiceResponse>(
          'GET',
          `invoices/${f.legalEntity}/${target.externalId}`,
          rw,
        );
        expect(inv).toMatchObject({
          amountCredited: '108.00',
          amountDue: '432.00',
          paymentStatus: 'partially_paid',
        });
      });

      it.each([
        [
          'more than is due on the invoice',
          () => memo({ lines: [{ itemCode: item, quantity: '1', amount: '1000.00' }] }),
          'ERP_EXCEEDS_AMOUNT_DUE',
          '/invoiceExternalId',
        ],
        [
          'an unknown invoice',
          () => memo({ invoiceExternalId: unique('NO-INV') }),
          'ERP_INVOICE_UNKNOWN',
          '/invoiceExternalId',
        ],
        [
          "another customer's invoice",
          () => memo({ customerExternalId: otherCustomer }),
          'ERP_INVOICE_MISMATCH',
          '/invoiceExternalId',
        ],
        [
          'a closed period',
          () => memo({ date: `${f.closedPeriod}-05` }),
          'ERP_PERIOD_CLOSED',
          '/date',
        ],
      ])(
        'refuses a credit memo for %s with 422 and posts nothing',
        async (_name, body, code, pointer) => {
          await expectRefused('credit-memos', body(), 422, code, pointer);
        },
      );

      it('applies a payment to the invoice (cash application) until it is paid', async () => {
        const before = await tb();
        const body = payment({
          amount: '500.00',
          applications: [{ invoiceExternalId: target.externalId, amount: '432.00' }],
        });
        const res = await erp.postPayment(rw, body);
        expectStatus(res, 201);
        expect(res.body).toMatchObject({
          amount: '500.00',
          appliedAmount: '432.00',
          unappliedAmount: '68.00',
          cashAccount: f.accounts.cash,
        });
        const after = await tb();
        expect(delta(before, after, f.accounts.cash)).toEqual({ debit: 50000n, credit: 0n });
        expect(delta(before, after, f.accounts.receivable)).toEqual({ debit: 0n, credit: 50000n });
        const inv = await erp.ok<InvoiceResponse>(
          'GET',
          `invoices/${f.legalEntity}/${target.externalId}`,
          rw,
        );
        expect(inv).toMatchObject({
          amountPaid: '432.00',
          amountDue: '0.00',
          paymentStatus: 'paid',
        });
        const again = await erp.postPayment(rw, body);
        expectStatus(again, 200);
        expect(again.body.id).toBe(res.body.id);
        expectProblem(
          await erp.postPayment(rw, { ...body, amount: '500.01' }),
          409,
          'ERP_EXTERNAL_ID_CONFLICT',
        );
      });

      it.each([
        [
          'more than is due',
          () =>
            payment({ applications: [{ invoiceExternalId: target.externalId, amount: '0.01' }] }),
          'ERP_EXCEEDS_AMOUNT_DUE',
          '/applications/0/invoiceExternalId',
        ],
        [
          'an unknown invoice',
          () =>
            payment({ applications: [{ invoiceExternalId: unique('NO-INV'), amount: '1.00' }] }),
          'ERP_INVOICE_UNKNOWN',
          '/applications/0/invoiceExternalId',
        ],
        [
          'an unknown customer',
          () => payment({ customerExternalId: unique('NOBODY') }),
          'ERP_CUSTOMER_UNKNOWN',
          '/customerExternalId',
        ],
        [
          'a currency the entity does not allow',
          () => payment({ currency: f.disallowedCurrency }),
          'ERP_CURRENCY_NOT_ALLOWED',
          '/currency',
        ],
        [
          'a closed period',
          () => payment({ date: `${f.closedPeriod}-05` }),
          'ERP_PERIOD_CLOSED',
          '/date',
        ],
      ])(
        'refuses a payment for %s with 422 and posts nothing',
        async (_name, body, code, pointer) => {
          await expectRefused('payments', body(), 422, code, pointer);
        },
      );
    });

    describe('journal entries and the trial balance', () => {
      const lines = () => [
        { accountCode: f.accounts.deferredRevenue, debit: '250.00' },
        { accountCode: f.accounts.revenue, credit: '250.00' },
      ];

      it('posts a balanced entry, finds it by external id, and answers a repeat with it', async () => {
        const before = await tb();
        const body = journalBody(f.legalEntity, lines(), {
          date: `${f.openPeriod}-28`,
          period: f.openPeriod,
          currency: f.currency,
        });
        const res = await erp.postJournal(rw, body);
        expectStatus(res, 201);
        expect(res.body).toMatchObject({
          totalDebit: '250.00',
          totalCredit: '250.00',
          period: f.openPeriod,
        });
        const after = await tb();
        expect(delta(before, after, f.accounts.deferredRevenue)).toEqual({
          debit: 25000n,
          credit: 0n,
        });
        expect(delta(before, after, f.accounts.revenue)).toEqual({ debit: 0n, credit: 25000n });
        const again = await erp.postJournal(rw, body);
        expectStatus(again, 200);
        expect(again.body).toEqual(res.body);
        expect(
          await erp.ok('GET', `journal-entries/${f.legalEntity}/${String(body.externalId)}`, rw),
        ).toEqual(res.body);
        expectProblem(
          await erp.postJournal(rw, { ...body, memo: 'Something else' }),
          409,
          'ERP_EXTERNAL_ID_CONFLICT',
        );
      });

      it.each([
        [
          'an unbalanced entry',
          () => [
            { accountCode: f.accounts.deferredRevenue, debit: '250.00' },
            { accountCode: f.accounts.revenue, credit: '249.99' },
          ],
          'ERP_JOURNAL_UNBALANCED',
          '/lines',
        ],
        [
          'an account not in the chart',
          () => [
            { accountCode: 'NO-SUCH-ACCOUNT', debit: '10.00' },
            { accountCode: f.accounts.revenue, credit: '10.00' },
          ],
          'ERP_ACCOUNT_UNKNOWN',
          '/lines/0/accountCode',
        ],
      ])('refuses %s with 422 and posts nothing', async (_name, entryLines, code, pointer) => {
        await expectRefused(
          'journal-entries',
          journalBody(f.legalEntity, entryLines(), {
            date: `${f.openPeriod}-28`,
            period: f.openPeriod,
            currency: f.currency,
          }),
          422,
          code,
          pointer,
        );
      });

      it('refuses an entry dated in a closed period with 422 and posts nothing', async () => {
        await expectRefused(
          'journal-entries',
          journalBody(f.legalEntity, lines(), {
            date: `${f.closedPeriod}-28`,
            period: f.closedPeriod,
            currency: f.currency,
          }),
          422,
          'ERP_PERIOD_CLOSED',
          '/date',
        );
      });

      it('balances: in every section debits equal credits and the closing balances sum to zero', async () => {
        const balance = await tb();
        expect(balance.sections.length).toBeGreaterThan(0);
        for (const section of balance.sections) {
          expect(section.totalDebit).toBe(section.totalCredit);
          expect(cents(section.totalClosingBalance)).toBe(0n);
          expect(cents(section.totalOpeningBalance)).toBe(0n);
          const sum = section.rows.reduce((acc, r) => acc + cents(r.debit) - cents(r.credit), 0n);
          expect(sum).toBe(0n);
        }
      });
    });
  });
}
