import fc from 'fast-check';
import { addDays } from '@revgate/canonical';
import { erpApp } from './erp.app';
import { ErpConfig } from './erp.config';
import { http, startTestApp, TestApp } from '../../../test/support/test-app';
import {
  balancesOf,
  cents,
  CHART,
  Erp,
  erpCounts,
  ledgerTotals,
  unique,
} from '../test/erp-fixtures';
import type { InvoiceResponse } from './invoices/dto/invoice.dto';

const money = (minor: number): string =>
  `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

const DATES = fc.integer({ min: 0, max: 89 }).map((d) => addDays('2026-01-01', d));
const LINE = fc.record({
  item: fc.constantFrom('PLATFORM', 'USAGE'),
  amount: fc.integer({ min: 0, max: 500_000 }),
  tax: fc.integer({ min: 0, max: 40_000 }),
  service: fc.option(
    fc.record({
      offset: fc.integer({ min: -40, max: 60 }),
      length: fc.integer({ min: 1, max: 400 }),
    }),
    { nil: undefined },
  ),
});
const ACCOUNTS = [
  CHART.cash.code,
  CHART.deferredRevenue.code,
  CHART.revenue.code,
  CHART.usageRevenue.code,
  CHART.expense.code,
];
const OPERATION = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('invoice' as const),
      date: DATES,
      lines: fc.array(LINE, { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('credit_memo' as const),
      date: DATES,
      pick: fc.nat(),
      share: fc.integer({ min: 1, max: 120 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('payment' as const),
      date: DATES,
      picks: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 120 })), { maxLength: 3 }),
      extra: fc.integer({ min: 0, max: 10_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('journal' as const),
      date: DATES,
      legs: fc.array(fc.tuple(fc.constantFrom(...ACCOUNTS), fc.integer({ min: 2, max: 100_000 })), {
        minLength: 1,
        maxLength: 4,
      }),
      skew: fc.constantFrom(0, 0, 0, 1, -1),
    }),
  },
);

/**
 * The double-entry invariant, for any sequence of postings through the API: every move the
 * sandbox wrote balances, line by line; the trial balance of every period has debits equal to
 * credits and closing balances that sum to zero; the receivable account holds exactly what was
 * invoiced less what was credited and paid; and a refused posting writes nothing.
 */
describe('the sandbox ledger balances whatever is posted (e2e, property)', () => {
  let t: TestApp<ErpConfig>;
  let erp: Erp;
  let rw: string;
  let receivable = 0n;

  beforeAll(async () => {
    t = await startTestApp(erpApp);
    erp = new Erp(t.url, http);
    rw = t.token(['erp:read', 'erp:write']);
    await erp.setUpEntity(rw, 'US01');
    await erp.upsertItem(rw, 'US01', 'PLATFORM');
    await erp.upsertItem(rw, 'US01', 'USAGE', {
      revenueAccount: CHART.usageRevenue.code,
      deferredRevenueAccount: undefined,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps every move, every period and the receivables balanced', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(OPERATION, { minLength: 1, maxLength: 10 }), async (operations) => {
        const customer = (await erp.upsertCustomer(rw, 'US01', unique('PROP'))).externalId;
        const invoices: InvoiceResponse[] = [];
        for (const op of operations) {
          const before = await erpCounts(t);
          let res: { status: number; body: unknown };
          if (op.kind === 'invoice') {
            const lines = op.lines.map((l) => ({
              itemCode: l.item,
              quantity: '1',
              amount: money(l.amount),
              taxAmount: money(l.tax),
              ...(l.service && {
                servicePeriod: {
                  start: addDays(op.date, l.service.offset),
                  end: addDays(op.date, l.service.offset + l.service.length),
                },
              }),
            }));
            if (op.lines.every((l) => l.amount + l.tax === 0)) continue;
            res = await erp.postInvoice(rw, {
              legalEntity: 'US01',
              externalId: unique('P-INV'),
              customerExternalId: customer,
              date: op.date,
              currency: 'USD',
              lines,
            });
            if (res.status === 201) {
              const posted = res.body as InvoiceResponse;
              invoices.push(posted);
              receivable += cents(posted.total);
            }
          } else if (op.kind === 'credit_memo') {
            const target = invoices.at(op.pick % Math.max(invoices.length, 1));
            if (!target) continue;
            const amount = Math.max(1, Math.floor((Number(cents(target.total)) * op.share) / 200));
            res = await erp.postCreditMemo(rw, {
              legalEntity: 'US01',
              externalId: unique('P-CM'),
              customerExternalId: customer,
              date: op.date,
              currency: 'USD',
              invoiceExternalId: target.externalId,
              lines: [{ itemCode: 'USAGE', quantity: '1', amount: money(amount) }],
            });
            if (res.status === 201) receivable -= BigInt(amount);
          } else if (op.kind === 'payment') {
            const applications = op.picks.flatMap(([pick, share]) => {
              const target = invoices.at(pick % Math.max(invoices.length, 1));
              return target
                ? [
                    {
                      invoiceExternalId: target.externalId,
                      amount: money(
                        Math.max(1, Math.floor((Number(cents(target.total)) * share) / 300)),
                      ),
                    },
                  ]
                : [];
            });
            const distinct = [
              ...new Map(applications.map((a) => [a.invoiceExternalId, a])).values(),
            ];
            const applied = distinct.reduce((acc, a) => acc + Number(cents(a.amount)), 0);
            const amount = applied + op.extra + 1;
            res = await erp.postPayment(rw, {
              legalEntity: 'US01',
              externalId: unique('P-PAY'),
              customerExternalId: customer,
              date: op.date,
              currency: 'USD',
              amount: money(amount),
              applications: distinct,
            });
            if (res.status === 201) receivable -= BigInt(amount);
          } else {
            const total = op.legs.reduce((acc, [, m]) => acc + m, 0);
            const lines = [
              ...op.legs.map(([accountCode, m]) => ({ accountCode, debit: money(m) })),
              { accountCode: CHART.cash.code, credit: money(total + op.skew) },
            ];
            res = await erp.postJournal(rw, {
              legalEntity: 'US01',
              externalId: unique('P-JE'),
              date: op.date,
              period: op.date.slice(0, 7),
              currency: 'USD',
              memo: 'property',
              lines,
            });
            if (op.skew !== 0) expect(res.status).toBe(422);
          }
          // Only amounts due can refuse a well-formed posting here; a refusal writes nothing.
          if (res.status === 201) {
            const ledger = res.body as {
              ledger?: { debit: string; credit: string }[];
              lines?: { debit: string; credit: string }[];
            };
            const totals = ledgerTotals(ledger.ledger ?? ledger.lines ?? []);
            expect(totals.debit).toBe(totals.credit);
          } else {
            expect(res.status).toBe(422);
            expect((res.body as { code: string }).code).toMatch(
              /^ERP_(EXCEEDS_AMOUNT_DUE|JOURNAL_UNBALANCED)$/,
            );
            expect(await erpCounts(t)).toEqual(before);
          }
        }

        expect(
          await t.sql(
            `select m.id from erp.moves m left join erp.move_lines l on l.move_id = m.id
              group by m.id, m.total_debit, m.total_credit
             having count(l.id) < 2 or sum(l.debit) <> sum(l.credit) or sum(l.debit) <> m.total_debit
                 or bool_or((l.debit = 0) = (l.credit = 0))`,
          ),
        ).toEqual([]);
        expect(
          await t.sql(
            `select d.id from erp.ar_documents d join erp.ar_document_lines l on l.document_id = d.id
              group by d.id, d.total, d.amount_credited, d.amount_paid
             having sum(l.amount + l.tax_amount) <> d.total or d.amount_credited + d.amount_paid > d.total`,
          ),
        ).toEqual([]);
        for (const period of ['2026-01', '2026-02', '2026-03']) {
          const tb = await erp.trialBalance(rw, 'US01', period);
          for (const section of tb.sections) {
            expect(section.totalDebit).toBe(section.totalCredit);
            expect(cents(section.totalOpeningBalance)).toBe(0n);
            expect(cents(section.totalClosingBalance)).toBe(0n);
          }
          if (period === '2026-03')
            expect(balancesOf(tb, 'USD').get(CHART.receivable.code)?.closing ?? 0n).toBe(
              receivable,
            );
        }
      }),
      { numRuns: 20 },
    );
  });
});
