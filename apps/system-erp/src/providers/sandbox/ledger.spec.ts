import fc from 'fast-check';
import { minorUnits, MoneyDecimal } from '@revgate/canonical';
import type { LedgerLine } from '../erp-provider.port';
import { arDocumentLedger, assertBalanced, ledgerLines, paymentLedger } from './ledger';

/** An amount of `currency` as a decimal string with exactly its minor units, from integer minor units. */
function money(minor: number, currency: string): string {
  const places = minorUnits(currency);
  if (places === 0) return String(minor);
  const text = String(minor).padStart(places + 1, '0');
  return `${text.slice(0, -places)}.${text.slice(-places)}`;
}
const minorOf = (amount: string, currency: string): bigint =>
  BigInt(amount.replace('.', '')) *
  10n ** BigInt(minorUnits(currency) - (amount.split('.')[1]?.length ?? 0));

const currencies = fc.constantFrom('USD', 'EUR', 'JPY', 'KWD');
const revenueAccounts = fc.constantFrom('4000', '4100', '2400');
const documents = currencies.chain((currency) =>
  fc.record({
    kind: fc.constantFrom('invoice' as const, 'credit_memo' as const),
    currency: fc.constant(currency),
    customerExternalId: fc.constantFrom('ACME', 'GLOBEX'),
    lines: fc
      .array(
        fc.record({
          accountCode: revenueAccounts,
          amount: fc.integer({ min: 0, max: 10_000_000 }).map((m) => money(m, currency)),
          taxAmount: fc.integer({ min: 0, max: 1_000_000 }).map((m) => money(m, currency)),
        }),
        { minLength: 1, maxLength: 12 },
      )
      .filter((lines) =>
        lines.some((l) => minorOf(l.amount, currency) + minorOf(l.taxAmount, currency) > 0n),
      ),
  }),
);

const sum = (lines: readonly LedgerLine[], side: 'debit' | 'credit', currency: string): bigint =>
  lines.reduce(
    (acc, l) => acc + minorOf(l[side] === '0' ? money(0, currency) : l[side], currency),
    0n,
  );

describe('the sandbox ledger', () => {
  it('posts every invoice and credit memo balanced: receivable = revenue + tax, exactly', () => {
    fc.assert(
      fc.property(documents, (doc) => {
        const ledger = arDocumentLedger(doc, { receivable: '1200', taxPayable: '2200' });
        const total = doc.lines.reduce(
          (acc, l) => acc + minorOf(l.amount, doc.currency) + minorOf(l.taxAmount, doc.currency),
          0n,
        );
        const tax = doc.lines.reduce((acc, l) => acc + minorOf(l.taxAmount, doc.currency), 0n);
        const receivable = ledger.find((l) => l.accountCode === '1200');
        const taxLine = ledger.find((l) => l.accountCode === '2200');
        const side = doc.kind === 'invoice' ? 'debit' : 'credit';
        const other = doc.kind === 'invoice' ? 'credit' : 'debit';
        expect(sum(ledger, 'debit', doc.currency)).toBe(sum(ledger, 'credit', doc.currency));
        expect(sum(ledger, 'debit', doc.currency)).toBe(total);
        expect(receivable && minorOf(receivable[side], doc.currency)).toBe(total);
        expect(receivable?.customerExternalId).toBe(doc.customerExternalId);
        expect(taxLine ? minorOf(taxLine[other], doc.currency) : 0n).toBe(tax);
        for (const l of ledger)
          expect([l.debit, l.credit].filter((a) => a !== '0')).toHaveLength(1);
        expect(() => {
          assertBalanced(ledger, doc.currency);
        }).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('makes a credit memo the exact mirror of the invoice with the same lines', () => {
    fc.assert(
      fc.property(documents, (doc) => {
        const accounts = { receivable: '1200', taxPayable: '2200' };
        const invoice = arDocumentLedger({ ...doc, kind: 'invoice' }, accounts);
        const memo = arDocumentLedger({ ...doc, kind: 'credit_memo' }, accounts);
        expect(memo).toEqual(invoice.map((l) => ({ ...l, debit: l.credit, credit: l.debit })));
      }),
      { numRuns: 200 },
    );
  });

  it('posts a payment Dr cash, Cr receivable, for its amount', () => {
    fc.assert(
      fc.property(currencies, fc.integer({ min: 1, max: 1e9 }), (currency, minor) => {
        const amount = money(minor, currency);
        expect(
          paymentLedger({
            currency,
            amount,
            customerExternalId: 'ACME',
            cashAccount: '1000',
            receivable: '1200',
          }),
        ).toEqual([
          { accountCode: '1000', debit: amount, credit: '0' },
          { accountCode: '1200', debit: '0', credit: amount, customerExternalId: 'ACME' },
        ]);
      }),
    );
  });

  it('refuses to write a move that does not balance, or has a line with both sides', () => {
    expect(() =>
      assertBalanced(
        [
          { accountCode: '1000', debit: '10.00', credit: '0' },
          { accountCode: '4000', debit: '0', credit: '9.99' },
        ],
        'USD',
      ),
    ).toThrow(/unbalanced move refused/);
    expect(() =>
      assertBalanced(
        [
          { accountCode: '1000', debit: '10.00', credit: '10.00' },
          { accountCode: '4000', debit: '0', credit: '0' },
        ],
        'USD',
      ),
    ).toThrow(/exactly one of debit or credit/);
    expect(() => assertBalanced([{ accountCode: '1000', debit: '0', credit: '0' }], 'USD')).toThrow(
      /at least 2 lines/,
    );
  });

  it('adds up the postings of one account and drops those that net to zero', () => {
    expect(
      ledgerLines(
        [
          { accountCode: '1200', amount: new MoneyDecimal('15.5') },
          { accountCode: '4000', amount: new MoneyDecimal('-10') },
          { accountCode: '4000', amount: new MoneyDecimal('-5.5') },
          { accountCode: '4100', amount: new MoneyDecimal('3') },
          { accountCode: '4100', amount: new MoneyDecimal('-3') },
        ],
        'USD',
      ),
    ).toEqual([
      { accountCode: '1200', debit: '15.50', credit: '0' },
      { accountCode: '4000', debit: '0', credit: '15.50' },
    ]);
  });
});
