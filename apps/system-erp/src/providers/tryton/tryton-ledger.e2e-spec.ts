import { addDays, MoneyDecimal } from '@revgate/canonical';
import fc from 'fast-check';
import { startTrytonServer, TrytonServer } from '../../../../../test/tryton/tryton-server';
import { TrytonErpError, TrytonErpErrorCode } from './tryton-erp-errors';
import { TrytonLedger } from './tryton-ledger';
import { TrytonInvoiceInput, TrytonJournalEntryInput } from './tryton-ledger.types';
import { TrytonCallOptions, TrytonRpcClient } from './tryton-rpc.client';
import { TrytonRpcError } from './tryton-rpc.errors';
import { TrytonDate } from './tryton-rpc.codec';

const TODAY = new Date().toISOString().slice(0, 10);
const YEAR = Number(TODAY.slice(0, 4));
const RUN = Date.now().toString(36);

/** The canonical code a promise is refused with (fails when it resolves). */
async function refusal(promise: Promise<unknown>): Promise<TrytonErpErrorCode> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TrytonErpError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

/**
 * A client whose answer to one method is lost once: the call reaches the real server and runs
 * there, then the caller sees a timeout — what a retry after a timeout has to cope with.
 */
class LosingClient extends TrytonRpcClient {
  lose = new Set<string>();

  override async call(
    method: string,
    params: readonly unknown[],
    options?: TrytonCallOptions,
  ): Promise<unknown> {
    const result = await super.call(method, params, options);
    if (this.lose.delete(method)) {
      throw new TrytonRpcError('timeout', method, 'no answer from Tryton in time (simulated)');
    }
    return result;
  }
}

describe('TrytonLedger against a real Tryton 6.0', () => {
  let server: TrytonServer;
  let client: TrytonRpcClient;
  let ledger: TrytonLedger;
  const logged: string[] = [];

  const count = (model: string, domain: unknown[]): Promise<number> =>
    client.searchCount(model, domain);
  const invoicesWith = (reference: string): Promise<number> =>
    count('account.invoice', [['reference', '=', reference]]);
  const movesWith = (externalId: string): Promise<number> =>
    count('account.move', [['description', 'like', `${externalId}%`]]);

  const customer = `CUST-${RUN}`;
  const item = `SKU-${RUN}`;

  const invoice = (
    reference: string,
    overrides: Partial<TrytonInvoiceInput> = {},
  ): TrytonInvoiceInput => ({
    reference,
    kind: 'invoice',
    partyCode: customer,
    currency: 'USD',
    date: TODAY,
    description: `Invoice ${reference}`,
    lines: [
      {
        accountCode: '4000',
        productCode: item,
        description: 'Platform, 3 seats',
        quantity: '3',
        amount: '300.00',
      },
      { accountCode: '4100', description: 'Onboarding', quantity: '1', amount: '250.50' },
    ],
    taxes: [
      { accountCode: '2200', description: 'CA sales tax 8.25%', base: '550.50', amount: '45.42' },
    ],
    ...overrides,
  });

  const oneDollarEntry = (externalId: string, date: string): TrytonJournalEntryInput => ({
    externalId,
    date,
    currency: 'USD',
    lines: [
      { accountCode: '1000', debit: '1.00' },
      { accountCode: '4000', credit: '1.00' },
    ],
  });

  beforeAll(async () => {
    server = await startTrytonServer();
    client = server.client();
    ledger = new TrytonLedger(client, {
      logger: { warn: (m: string) => logged.push(m), log: () => undefined },
    });
    await ledger.upsertParty('US01', {
      code: customer,
      name: 'Acme Corp',
      address: {
        street: '1 Market Street',
        city: 'San Francisco',
        postalCode: '94105',
        country: 'US',
      },
      paymentTermDays: 30,
    });
    await ledger.upsertProduct('US01', {
      code: item,
      name: 'Platform seat',
      revenueAccount: '4000',
    });
  }, 600_000);

  afterAll(async () => {
    await server.stop();
  });

  describe('companies, accounts and periods', () => {
    it('maps legal entities to companies and refuses an unknown one', async () => {
      const companies = await ledger.listCompanies();
      expect(companies.map((c) => [c.code, c.currency])).toEqual([
        ['US01', 'USD'],
        ['DE01', 'EUR'],
      ]);
      expect(await refusal(ledger.company('XX99'))).toBe('ERP_LEGAL_ENTITY_UNKNOWN');
    });

    it('reads the coded chart with kinds, and finds-or-creates accounts by code', async () => {
      const chart = await ledger.accounts('US01');
      expect(Object.fromEntries(chart.map((a) => [a.code, a.kind]))).toMatchObject({
        '1000': 'cash',
        '1100': 'receivable',
        '2200': 'tax_payable',
        '2400': 'deferred_revenue',
        '3000': 'equity',
        '4000': 'revenue',
        '4100': 'revenue',
      });
      const first = await ledger.upsertAccount('US01', {
        code: '4200',
        name: 'Usage Revenue',
        kind: 'revenue',
      });
      const again = await ledger.upsertAccount('US01', {
        code: '4200',
        name: 'Usage Revenue',
        kind: 'revenue',
      });
      expect([first.created, again.created]).toEqual([true, false]);
      expect(again.record).toEqual(first.record);
      const renamed = await ledger.upsertAccount('US01', {
        code: '4200',
        name: 'Metered Revenue',
        kind: 'revenue',
      });
      expect(renamed).toMatchObject({
        created: false,
        record: { id: first.record.id, name: 'Metered Revenue' },
      });
      expect(await count('account.account', [['code', '=', '4200']])).toBe(1);
      // Each company has its own chart: DE01 has no 4200.
      expect(await ledger.account('DE01', '4200')).toBeUndefined();
    });

    it('lists monthly periods, closes and reopens one (idempotently), and adds fiscal years', async () => {
      const periods = await ledger.periods('US01');
      expect(periods.map((p) => p.period)).toEqual(
        [YEAR, YEAR + 1].flatMap((y) =>
          Array.from({ length: 12 }, (_, m) => `${y}-${String(m + 1).padStart(2, '0')}`),
        ),
      );
      const period = `${YEAR + 1}-10`;
      expect((await ledger.setPeriodState('US01', period, 'close')).changed).toBe(true);
      expect(await ledger.setPeriodState('US01', period, 'close')).toMatchObject({
        changed: false,
        record: { state: 'close' },
      });
      expect((await ledger.period('DE01', period))?.state).toBe('open');
      expect(await ledger.setPeriodState('US01', period, 'open')).toMatchObject({
        changed: true,
        record: { state: 'open' },
      });
      expect(await refusal(ledger.setPeriodState('US01', `${YEAR + 7}-01`, 'close'))).toBe(
        'ERP_PERIOD_UNKNOWN',
      );

      expect(await ledger.ensureFiscalYear('DE01', YEAR + 2)).toMatchObject({ created: true });
      expect(await ledger.ensureFiscalYear('DE01', YEAR + 2)).toMatchObject({ created: false });
      expect(
        (await ledger.periods('DE01')).filter((p) => p.period.startsWith(`${YEAR + 2}-`)),
      ).toHaveLength(12);
    });
  });

  describe('customers and items', () => {
    it('finds-or-creates a customer by code and brings it up to date', async () => {
      const code = `P-${RUN}`;
      const input = {
        code,
        name: 'Globex GmbH',
        address: {
          street: 'Unter den Linden 1',
          city: 'Berlin',
          postalCode: '10117',
          country: 'DE',
        },
        identifiers: [{ type: null, code: 'DE123456789' }],
        email: 'ap@globex.test',
        paymentTermDays: 45,
      };
      const first = await ledger.upsertParty('DE01', input);
      const again = await ledger.upsertParty('DE01', input);
      expect([first.created, again.created]).toEqual([true, false]);
      expect(again.record).toEqual(first.record);
      expect(first.record).toMatchObject({
        code,
        name: 'Globex GmbH',
        address: { city: 'Berlin', country: 'DE', postalCode: '10117' },
        identifiers: [{ type: null, code: 'DE123456789' }],
        email: 'ap@globex.test',
        paymentTermDays: 45,
      });
      const moved = await ledger.upsertParty('DE01', {
        ...input,
        name: 'Globex SE',
        address: { ...input.address, city: 'Hamburg', postalCode: '20095' },
        email: 'billing@globex.test',
      });
      expect(moved).toMatchObject({
        created: false,
        record: {
          id: first.record.id,
          name: 'Globex SE',
          address: { city: 'Hamburg' },
          email: 'billing@globex.test',
        },
      });
      expect(await count('party.party', [['code', '=', code]])).toBe(1);
      expect(await count('party.address', [['party', '=', first.record.id]])).toBe(1);
      expect(await ledger.party('DE01', `NOPE-${RUN}`)).toBeUndefined();
    });

    it('finds-or-creates an item by code, with revenue and deferred revenue accounts per company', async () => {
      const code = `ITEM-${RUN}`;
      const us = {
        code,
        name: 'Annual plan',
        revenueAccount: '4000',
        deferredRevenueAccount: '2400',
        taxCode: 'SW054000',
      };
      const first = await ledger.upsertProduct('US01', us);
      const again = await ledger.upsertProduct('US01', us);
      expect([first.created, again.created]).toEqual([true, false]);
      expect(again.record).toEqual(first.record);
      expect(first.record).toMatchObject(us);

      expect(await ledger.product('DE01', code)).toBeUndefined();
      const de = await ledger.upsertProduct('DE01', {
        code,
        name: 'Annual plan',
        revenueAccount: '4100',
        taxCode: 'DE-VAT-STD',
      });
      expect(de).toMatchObject({
        created: true,
        record: { id: first.record.id, revenueAccount: '4100', taxCode: 'DE-VAT-STD' },
      });
      expect(de.record.deferredRevenueAccount).toBeUndefined();
      // The template is shared by the companies: DE01's tags made it newer.
      const us01 = await ledger.product('US01', code);
      expect(us01).toEqual({ ...first.record, updatedAt: us01?.updatedAt });
      expect(us01?.updatedAt.getTime()).toBeGreaterThan(first.record.updatedAt.getTime());
      expect(await count('product.product', [['suffix_code', '=', code]])).toBe(1);

      expect(
        await refusal(
          ledger.upsertProduct('US01', { code: `BAD-${RUN}`, name: 'x', revenueAccount: '9999' }),
        ),
      ).toBe('ERP_ACCOUNT_NOT_FOUND');
      expect(await count('product.product', [['suffix_code', '=', `BAD-${RUN}`]])).toBe(0);
    });
  });

  describe('invoices', () => {
    it('posts an invoice with its tax as given, once', async () => {
      const reference = `INV-${RUN}-1`;
      const first = await ledger.postInvoice('US01', invoice(reference));
      expect(first.created).toBe(true);
      expect(first.record).toMatchObject({
        reference,
        kind: 'invoice',
        state: 'posted',
        partyCode: customer,
        currency: 'USD',
        date: TODAY,
        period: TODAY.slice(0, 7),
        untaxedAmount: '550.50',
        taxAmount: '45.42',
        totalAmount: '595.92',
        amountToPay: '595.92',
        dueDate: addDays(TODAY, 30),
        lines: [
          {
            accountCode: '4000',
            productCode: item,
            quantity: '3',
            unitPrice: '100',
            amount: '300.00',
          },
          { accountCode: '4100', quantity: '1', amount: '250.50' },
        ],
        taxes: [{ accountCode: '2200', base: '550.50', amount: '45.42' }],
      });
      expect(first.record.number).toMatch(new RegExp(`^US01-INV-${YEAR}-\\d{5}$`));

      const again = await ledger.postInvoice('US01', invoice(reference));
      expect(again).toEqual({ record: first.record, created: false });
      expect(await invoicesWith(reference)).toBe(1);

      // The move: receivable debited with the total, revenue and tax credited.
      const move = await ledger.move('US01', first.record.moveId!);
      expect(move).toMatchObject({ state: 'posted', date: TODAY, journal: 'REV' });
      const byAccount = Object.fromEntries(
        move!.lines.map((l) => [
          l.accountCode,
          new MoneyDecimal(l.debit).minus(l.credit).toFixed(2),
        ]),
      );
      expect(move!.lines.find((l) => l.accountCode === '1100')?.partyCode).toBe(customer);
      expect(await ledger.move('DE01', first.record.moveId!)).toBeUndefined();
      expect(byAccount).toEqual({
        '1100': '595.92',
        '4000': '-300.00',
        '4100': '-250.50',
        '2200': '-45.42',
      });
    });

    it('refuses other content under a posted reference, and keeps the first', async () => {
      const reference = `INV-${RUN}-2`;
      await ledger.postInvoice('US01', invoice(reference, { fingerprint: 'f1' }));
      const other = invoice(reference, { fingerprint: 'f1' });
      expect(
        await refusal(
          ledger.postInvoice('US01', {
            ...other,
            lines: [{ ...other.lines[0], amount: '301.00' }, other.lines[1]],
          }),
        ),
      ).toBe('ERP_EXTERNAL_ID_CONFLICT');
      expect(await refusal(ledger.postInvoice('US01', { ...other, fingerprint: 'f2' }))).toBe(
        'ERP_EXTERNAL_ID_CONFLICT',
      );
      expect(await refusal(ledger.postInvoice('US01', { ...other, taxes: [] }))).toBe(
        'ERP_EXTERNAL_ID_CONFLICT',
      );
      expect(await invoicesWith(reference)).toBe(1);
      expect((await ledger.invoice('US01', 'invoice', reference))?.totalAmount).toBe('595.92');
    });

    it('refuses unknown customers, items, accounts and currencies, and writes nothing', async () => {
      const cases: [Partial<TrytonInvoiceInput>, TrytonErpErrorCode][] = [
        [{ partyCode: `NOPE-${RUN}` }, 'ERP_CUSTOMER_NOT_FOUND'],
        [
          {
            lines: [
              { accountCode: '4000', productCode: `NOPE-${RUN}`, quantity: '1', amount: '1.00' },
            ],
          },
          'ERP_ITEM_NOT_FOUND',
        ],
        [
          { lines: [{ accountCode: '9999', quantity: '1', amount: '1.00' }] },
          'ERP_ACCOUNT_NOT_FOUND',
        ],
        [
          { taxes: [{ accountCode: '2999', description: 'x', base: '1.00', amount: '0.10' }] },
          'ERP_ACCOUNT_NOT_FOUND',
        ],
        [{ currency: 'JPY' }, 'ERP_CURRENCY_NOT_ALLOWED'],
      ];
      for (const [index, [overrides, code]] of cases.entries()) {
        const reference = `BAD-${RUN}-${index}`;
        expect(await refusal(ledger.postInvoice('US01', invoice(reference, overrides)))).toBe(code);
        expect(await invoicesWith(reference)).toBe(0);
      }
    });

    it('refuses a posting into a closed period or a date without one, and leaves nothing', async () => {
      const period = `${YEAR + 1}-11`;
      await ledger.setPeriodState('US01', period, 'close');
      try {
        const reference = `CLOSED-${RUN}`;
        expect(
          await refusal(ledger.postInvoice('US01', invoice(reference, { date: `${period}-15` }))),
        ).toBe('ERP_PERIOD_CLOSED');
        expect(await invoicesWith(reference)).toBe(0);
        const entry = oneDollarEntry(reference, `${period}-15`);
        expect(await refusal(ledger.postJournalEntry('US01', entry))).toBe('ERP_PERIOD_CLOSED');
        expect(await movesWith(reference)).toBe(0);
        expect(
          await refusal(ledger.postJournalEntry('US01', { ...entry, date: `${YEAR + 9}-01-15` })),
        ).toBe('ERP_PERIOD_UNKNOWN');
        expect(await movesWith(reference)).toBe(0);
      } finally {
        await ledger.setPeriodState('US01', period, 'open');
      }
    });

    it('refuses a period closed in Tryton behind its back (its cached periods say open), leaving nothing', async () => {
      const reference = `BEHIND-${RUN}`;
      // The ledger has read this month's periods as open (and keeps them for a while).
      expect((await ledger.periodOfDate('US01', TODAY))?.state).toBe('open');
      const [period] = await client.search('account.period', [
        ['company', '=', (await ledger.company('US01')).id],
        ['start_date', '=', new TrytonDate(`${TODAY.slice(0, 7)}-01`)],
      ]);
      await client.execute('account.period', 'close', [period]);
      try {
        expect(await refusal(ledger.postInvoice('US01', invoice(reference)))).toBe(
          'ERP_PERIOD_CLOSED',
        );
        expect(await invoicesWith(reference)).toBe(0);
        const entry = oneDollarEntry(reference, TODAY);
        expect(await refusal(ledger.postJournalEntry('US01', entry))).toBe('ERP_PERIOD_CLOSED');
        expect(await movesWith(reference)).toBe(0);
      } finally {
        // Through the ledger: Tryton's reopen alone leaves the journal-periods closed.
        await ledger.setPeriodState('US01', TODAY.slice(0, 7), 'open');
      }
      // Postings go into the reopened period again.
      expect((await ledger.postInvoice('US01', invoice(`${reference}-after`))).record.state).toBe(
        'posted',
      );
    });

    it("posts a back-dated due date after acknowledging Tryton's warning, and invoices in another company", async () => {
      const late = await ledger.postInvoice(
        'US01',
        invoice(`LATE-${RUN}`, { dueDate: addDays(TODAY, -40) }),
      );
      expect(late.record).toMatchObject({ state: 'posted', dueDate: addDays(TODAY, -40) });

      await ledger.upsertParty('DE01', {
        code: `DE-${customer}`,
        name: 'Acme GmbH',
        address: { city: 'Berlin', country: 'DE' },
      });
      const de = await ledger.postInvoice('DE01', {
        reference: `DE-INV-${RUN}`,
        kind: 'invoice',
        partyCode: `DE-${customer}`,
        currency: 'EUR',
        date: TODAY,
        lines: [{ accountCode: '4000', description: 'Platform', quantity: '1', amount: '1000.00' }],
        taxes: [{ accountCode: '2200', description: 'USt 19%', base: '1000.00', amount: '190.00' }],
      });
      // No payment term of its own: the company's default customer payment term (Net 30).
      expect(de.record).toMatchObject({
        state: 'posted',
        currency: 'EUR',
        totalAmount: '1190.00',
        dueDate: addDays(TODAY, 30),
      });
      expect(de.record.number).toMatch(new RegExp(`^DE01-INV-${YEAR}-`));
      // The same reference in US01 is another invoice.
      expect(await ledger.invoice('US01', 'invoice', `DE-INV-${RUN}`)).toBeUndefined();
    });

    it('keeps a quantity only when quantity × a 4-decimal unit price gives the amount exactly', async () => {
      const reference = `QTY-${RUN}`;
      const posted = await ledger.postInvoice('US01', {
        ...invoice(reference),
        taxes: [],
        lines: [
          { accountCode: '4000', description: '7 seats', quantity: '7', amount: '10.00' },
          {
            accountCode: '4000',
            description: '1,234,567 API calls',
            quantity: '1234567',
            amount: '123.45',
          },
          { accountCode: '4000', description: '2.5 hours', quantity: '2.5', amount: '375.00' },
        ],
      });
      expect(posted.record.lines.map((l) => [l.quantity, l.unitPrice, l.amount])).toEqual([
        ['7', '1.4286', '10.00'],
        ['1', '123.45', '123.45'],
        ['1', '375', '375.00'],
      ]);
      expect(posted.record.untaxedAmount).toBe('508.45');
    });
  });

  describe('concurrent postings', () => {
    it('posts invoices sent at once, each once, with distinct consecutive numbers', async () => {
      const references = Array.from({ length: 6 }, (_, i) => `CONC-${RUN}-${i}`);
      const posted = await Promise.all(
        references.flatMap((reference) => [
          ledger.postInvoice('US01', invoice(reference)),
          // The same external id twice at once: one posting.
          ledger.postInvoice('US01', invoice(reference)),
        ]),
      );
      expect(posted.filter((p) => p.created)).toHaveLength(references.length);
      for (const reference of references) expect(await invoicesWith(reference)).toBe(1);
      const numbers = [...new Set(posted.map((p) => p.record.number!))].sort();
      expect(numbers).toHaveLength(references.length);
      const serials = numbers.map((n) => Number(n.slice(-5)));
      expect(serials.at(-1)! - serials[0]).toBe(references.length - 1);
    });
  });

  describe('retries after a timeout', () => {
    it('finds the draft a lost create made, posts it, and makes no second invoice', async () => {
      const losing = new LosingClient({
        url: server.url,
        database: server.database,
        login: server.login,
        password: server.password,
      });
      const flaky = new TrytonLedger(losing, {
        logger: { warn: () => undefined, log: () => undefined },
      });
      const reference = `LOST-CREATE-${RUN}`;
      losing.lose.add('model.account.invoice.create');
      expect(await refusal(flaky.postInvoice('US01', invoice(reference)))).toBe('ERP_UNAVAILABLE');
      expect(
        await count('account.invoice', [
          ['reference', '=', reference],
          ['state', '=', 'draft'],
        ]),
      ).toBe(1);
      const retried = await flaky.postInvoice('US01', invoice(reference));
      expect(retried.record.state).toBe('posted');
      expect(await invoicesWith(reference)).toBe(1);

      const posted = `LOST-POST-${RUN}`;
      losing.lose.add('model.account.invoice.post');
      expect(await refusal(flaky.postInvoice('US01', invoice(posted)))).toBe('ERP_UNAVAILABLE');
      expect(await flaky.postInvoice('US01', invoice(posted))).toMatchObject({
        created: false,
        record: { state: 'posted' },
      });
      expect(await invoicesWith(posted)).toBe(1);

      const entry = `LOST-JE-${RUN}`;
      losing.lose.add('model.account.move.post');
      const je: TrytonJournalEntryInput = {
        externalId: entry,
        date: TODAY,
        currency: 'USD',
        memo: 'accrual',
        lines: [
          { accountCode: '1000', debit: '12.00' },
          { accountCode: '4100', credit: '12.00' },
        ],
      };
      expect(await refusal(flaky.postJournalEntry('US01', je))).toBe('ERP_UNAVAILABLE');
      expect(await flaky.postJournalEntry('US01', je)).toMatchObject({
        created: false,
        record: { state: 'posted' },
      });
      expect(await movesWith(entry)).toBe(1);
      await losing.logout();
    });
  });

  describe('credit notes and payments', () => {
    it('credits part of an invoice, then all of it (the invoice is then paid), never more', async () => {
      const reference = `CRED-${RUN}`;
      await ledger.postInvoice('US01', invoice(reference));
      const creditInput: TrytonInvoiceInput = {
        reference: `CN-${RUN}-1`,
        kind: 'credit_note',
        partyCode: customer,
        currency: 'USD',
        date: TODAY,
        appliesTo: reference,
        lines: [
          {
            accountCode: '4100',
            description: 'Onboarding waived',
            quantity: '1',
            amount: '250.50',
          },
        ],
        taxes: [
          {
            accountCode: '2200',
            description: 'CA sales tax 8.25%',
            base: '250.50',
            amount: '20.67',
          },
        ],
      };
      const partial = await ledger.postInvoice('US01', creditInput);
      expect(partial.record).toMatchObject({
        kind: 'credit_note',
        state: 'posted',
        totalAmount: '271.17',
        appliesTo: reference,
      });
      expect(partial.record.number).toMatch(new RegExp(`^US01-CRN-${YEAR}-`));
      expect((await ledger.invoice('US01', 'invoice', reference))?.amountToPay).toBe('324.75');
      // The same credit note again: nothing more is credited.
      expect((await ledger.postInvoice('US01', creditInput)).created).toBe(false);
      expect((await ledger.invoice('US01', 'invoice', reference))?.amountToPay).toBe('324.75');

      const tooMuch = {
        reference: `CN-${RUN}-2`,
        kind: 'credit_note' as const,
        partyCode: customer,
        currency: 'USD',
        date: TODAY,
        appliesTo: reference,
        lines: [{ accountCode: '4000', quantity: '1', amount: '324.76' }],
      };
      expect(await refusal(ledger.postInvoice('US01', tooMuch))).toBe('ERP_EXCEEDS_AMOUNT_DUE');
      expect(await invoicesWith(`CN-${RUN}-2`)).toBe(0);
      const rest = await ledger.postInvoice('US01', {
        ...tooMuch,
        lines: [{ accountCode: '4000', quantity: '1', amount: '324.75' }],
      });
      expect(rest.record.state).toBe('paid');
      expect(await ledger.invoice('US01', 'invoice', reference)).toMatchObject({
        state: 'paid',
        amountToPay: '0.00',
      });
      expect(
        await refusal(
          ledger.postInvoice('US01', {
            ...tooMuch,
            reference: `CN-${RUN}-3`,
            appliesTo: `NOPE-${RUN}`,
          }),
        ),
      ).toBe('ERP_INVOICE_NOT_FOUND');
    });

    it('applies payments to invoices (cash application), once, and keeps what is unapplied', async () => {
      const a = `PAYA-${RUN}`;
      const b = `PAYB-${RUN}`;
      await ledger.postInvoice('US01', invoice(a));
      await ledger.postInvoice('US01', invoice(b));
      const first = {
        externalId: `PMT-${RUN}-1`,
        partyCode: customer,
        date: TODAY,
        currency: 'USD',
        amount: '200.00',
        memo: 'wire 4711',
        applications: [{ invoiceReference: a, amount: '200.00' }],
      };
      const paid = await ledger.postPayment('US01', first);
      expect(paid.created).toBe(true);
      expect(paid.record).toMatchObject({
        cashAccount: '1000',
        amount: '200.00',
        unapplied: '0.00',
        memo: 'wire 4711',
        applications: [
          {
            invoiceReference: a,
            amount: '200.00',
            invoiceAmountToPay: '395.92',
            invoiceState: 'posted',
          },
        ],
      });
      expect(await ledger.postPayment('US01', first)).toMatchObject({ created: false });
      expect(await movesWith(first.externalId)).toBe(1);
      expect((await ledger.invoice('US01', 'invoice', a))?.amountToPay).toBe('395.92');
      expect(await refusal(ledger.postPayment('US01', { ...first, amount: '201.00' }))).toBe(
        'ERP_EXTERNAL_ID_CONFLICT',
      );

      const second = await ledger.postPayment('US01', {
        externalId: `PMT-${RUN}-2`,
        partyCode: customer,
        date: TODAY,
        currency: 'USD',
        amount: '1000.00',
        applications: [
          { invoiceReference: a, amount: '395.92' },
          { invoiceReference: b, amount: '595.92' },
        ],
      });
      expect(second.record.unapplied).toBe('8.16');
      expect(second.record.applications.map((x) => [x.invoiceAmountToPay, x.invoiceState])).toEqual(
        [
          ['0.00', 'paid'],
          ['0.00', 'paid'],
        ],
      );
      expect(
        await refusal(
          ledger.postPayment('US01', {
            ...first,
            externalId: `PMT-${RUN}-3`,
            applications: [{ invoiceReference: a, amount: '1.00' }],
          }),
        ),
      ).toBe('ERP_EXCEEDS_AMOUNT_DUE');
      expect(
        await refusal(
          ledger.postPayment('US01', { ...first, externalId: `PMT-${RUN}-4`, currency: 'EUR' }),
        ),
      ).toBe('ERP_CURRENCY_NOT_ALLOWED');
      expect(await movesWith(`PMT-${RUN}-3`)).toBe(0);
      expect(await movesWith(`PMT-${RUN}-4`)).toBe(0);
    });
  });

  describe('journal entries and the trial balance', () => {
    it('posts a balanced entry once, refuses other content, unbalanced lines and bad accounts', async () => {
      const entry: TrytonJournalEntryInput = {
        externalId: `JE-${RUN}`,
        date: TODAY,
        currency: 'USD',
        memo: 'Revenue recognition',
        lines: [
          { accountCode: '2400', debit: '500.00', description: 'release' },
          { accountCode: '4000', credit: '500.00', description: 'release' },
        ],
      };
      const first = await ledger.postJournalEntry('US01', entry);
      expect(first.record).toMatchObject({
        externalId: entry.externalId,
        memo: 'Revenue recognition',
        state: 'posted',
        journal: 'MISC',
      });
      expect(first.record.number).toMatch(new RegExp(`^US01-MOV-${YEAR}-`));
      expect(await ledger.postJournalEntry('US01', entry)).toEqual({
        record: first.record,
        created: false,
      });
      expect(await refusal(ledger.postJournalEntry('US01', { ...entry, memo: 'other' }))).toBe(
        'ERP_EXTERNAL_ID_CONFLICT',
      );
      expect(await movesWith(entry.externalId)).toBe(1);

      const bad = (
        externalId: string,
        overrides: Partial<TrytonJournalEntryInput>,
      ): TrytonJournalEntryInput => ({
        ...entry,
        externalId,
        ...overrides,
      });
      const cases: [TrytonJournalEntryInput, TrytonErpErrorCode][] = [
        [
          bad(`JE-${RUN}-u`, {
            lines: [
              { accountCode: '1000', debit: '10.00' },
              { accountCode: '4000', credit: '9.99' },
            ],
          }),
          'ERP_JOURNAL_UNBALANCED',
        ],
        [
          bad(`JE-${RUN}-a`, {
            lines: [
              { accountCode: '1000', debit: '10.00' },
              { accountCode: '9999', credit: '10.00' },
            ],
          }),
          'ERP_ACCOUNT_NOT_FOUND',
        ],
        [bad(`JE-${RUN}-c`, { currency: 'EUR' }), 'ERP_CURRENCY_NOT_ALLOWED'],
        [
          bad(`JE-${RUN}-p`, {
            lines: [
              { accountCode: '1100', debit: '10.00' },
              { accountCode: '4000', credit: '10.00' },
            ],
          }),
          'ERP_CUSTOMER_NOT_FOUND',
        ],
      ];
      for (const [input, code] of cases) {
        expect(await refusal(ledger.postJournalEntry('US01', input))).toBe(code);
        expect(await movesWith(input.externalId)).toBe(0);
      }
      // A receivable line with its customer is fine.
      const withParty = await ledger.postJournalEntry(
        'US01',
        bad(`JE-${RUN}-ok`, {
          lines: [
            { accountCode: '1100', debit: '10.00', partyCode: customer },
            { accountCode: '4000', credit: '10.00' },
          ],
        }),
      );
      expect(withParty.record.lines.map((l) => l.partyCode)).toEqual([customer, undefined]);
    });

    it('keeps the trial balance balanced and moved by exactly what was posted (property)', async () => {
      const period = TODAY.slice(0, 7);
      const codes = ['1000', '2400', '3000', '4000', '4100', '6000'];
      const amount = fc
        .integer({ min: 1, max: 10_000_000 })
        .map((cents) => new MoneyDecimal(cents).dividedBy(100));
      const entries = fc.array(
        fc.tuple(fc.constantFrom(...codes), fc.constantFrom(...codes), amount),
        { minLength: 1, maxLength: 4 },
      );
      let serial = 0;
      await fc.assert(
        fc.asyncProperty(entries, async (pairs) => {
          const before = await ledger.trialBalance('US01', period);
          const lines = pairs.flatMap(([debitAccount, creditAccount, value]) => [
            { accountCode: debitAccount, debit: value.toFixed(2) },
            { accountCode: creditAccount, credit: value.toFixed(2) },
          ]);
          await ledger.postJournalEntry('US01', {
            externalId: `PROP-${RUN}-${++serial}`,
            date: TODAY,
            currency: 'USD',
            lines,
          });
          const after = await ledger.trialBalance('US01', period);
          expect(after.totalDebit).toBe(after.totalCredit);
          expect(after.totalClosing).toBe(new MoneyDecimal(after.totalOpening).toFixed(2));
          for (const row of after.rows) {
            expect(new MoneyDecimal(row.opening).plus(row.debit).minus(row.credit).toFixed(2)).toBe(
              row.closing,
            );
            const was = before.rows.find((r) => r.accountCode === row.accountCode);
            const moved = lines
              .filter((l) => l.accountCode === row.accountCode)
              .reduce((sum, l) => sum.plus(l.debit ?? 0).minus(l.credit ?? 0), new MoneyDecimal(0));
            expect(new MoneyDecimal(row.closing).minus(was?.closing ?? 0).toFixed(2)).toBe(
              moved.toFixed(2),
            );
          }
        }),
        { numRuns: 8 },
      );
    }, 120_000);

    it('shows the invoices and payments of the period in the trial balance', async () => {
      const balance = await ledger.trialBalance('US01', TODAY.slice(0, 7));
      const row = (code: string) => balance.rows.find((r) => r.accountCode === code);
      expect(balance.currency).toBe('USD');
      expect(new MoneyDecimal(row('1100')!.debit).gt(0)).toBe(true);
      expect(new MoneyDecimal(row('2200')!.credit).gt(0)).toBe(true);
      expect(new MoneyDecimal(row('1000')!.debit).gte(1200)).toBe(true);
      expect(balance.totalDebit).toBe(balance.totalCredit);
      expect(await refusal(ledger.trialBalance('US01', `${YEAR + 9}-01`))).toBe(
        'ERP_PERIOD_UNKNOWN',
      );
      // Tryton's own words stayed in the log, never in a refusal's detail.
      expect(logged.length).toBeGreaterThan(0);
    });
  });
});
