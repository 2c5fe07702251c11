import { MoneyDecimal, journalBalanceProblems, roundMoney } from '@revgate/canonical';
import type { LedgerLine } from '../erp-provider.port';

type Decimal = InstanceType<typeof MoneyDecimal>;

/** A debit (positive) or a credit (negative) to an account, before it becomes a ledger line. */
interface Posting {
  accountCode: string;
  amount: Decimal;
  customerExternalId?: string;
  memo?: string;
}

/**
 * The ledger lines of some postings, one per account (and customer), debit positive: amounts of
 * one account are added up, zero sums dropped, in the order the accounts first appear. Refuses
 * (as a bug, never as input) anything that does not balance: every move of the sandbox goes
 * through here.
 */
export function ledgerLines(postings: readonly Posting[], currency: string): LedgerLine[] {
  const sums = new Map<string, Posting>();
  for (const p of postings) {
    const key = `${p.accountCode}\u0000${p.customerExternalId ?? ''}`;
    const seen = sums.get(key);
    if (seen) seen.amount = seen.amount.plus(p.amount);
    else sums.set(key, { ...p });
  }
  const lines = [...sums.values()]
    .filter((p) => !p.amount.isZero())
    .map((p): LedgerLine => ({
      accountCode: p.accountCode,
      debit: p.amount.gt(0) ? roundMoney(p.amount, currency) : '0',
      credit: p.amount.lt(0) ? roundMoney(p.amount.neg(), currency) : '0',
      ...(p.memo === undefined ? {} : { memo: p.memo }),
      ...(p.customerExternalId === undefined ? {} : { customerExternalId: p.customerExternalId }),
    }));
  assertBalanced(lines, currency);
  return lines;
}

/** Throws when the lines are not a balanced entry in the currency (see journalBalanceProblems). */
export function assertBalanced(lines: readonly LedgerLine[], currency: string): void {
  const problems = journalBalanceProblems(lines, currency);
  if (problems.length) throw new Error(`unbalanced move refused: ${problems.join('; ')}`);
}

/**
 * An AR invoice: Dr receivable (the total, on the customer), Cr each line's revenue or deferred
 * revenue account (its amount), Cr tax payable (the tax). A credit memo is the same entry
 * reversed.
 */
export function arDocumentLedger(
  doc: {
    kind: 'invoice' | 'credit_memo';
    currency: string;
    customerExternalId: string;
    lines: readonly { accountCode: string; amount: string; taxAmount: string }[];
  },
  accounts: { receivable: string; taxPayable?: string },
): LedgerLine[] {
  const sign = doc.kind === 'invoice' ? 1 : -1;
  const total = doc.lines.reduce(
    (acc, l) => acc.plus(l.amount).plus(l.taxAmount),
    new MoneyDecimal(0),
  );
  const tax = doc.lines.reduce((acc, l) => acc.plus(l.taxAmount), new MoneyDecimal(0));
  const postings: Posting[] = [
    {
      accountCode: accounts.receivable,
      amount: total.times(sign),
      customerExternalId: doc.customerExternalId,
    },
    ...doc.lines.map((l) => ({
      accountCode: l.accountCode,
      amount: new MoneyDecimal(l.amount).times(-sign),
    })),
  ];
  if (!tax.isZero()) {
    if (accounts.taxPayable === undefined) throw new Error('tax without a tax payable account');
    postings.push({ accountCode: accounts.taxPayable, amount: tax.times(-sign) });
  }
  return ledgerLines(postings, doc.currency);
}

/** A customer payment: Dr cash, Cr receivable (on the customer), the amount received. */
export function paymentLedger(payment: {
  currency: string;
  amount: string;
  customerExternalId: string;
  cashAccount: string;
  receivable: string;
}): LedgerLine[] {
  const amount = new MoneyDecimal(payment.amount);
  return ledgerLines(
    [
      { accountCode: payment.cashAccount, amount },
      {
        accountCode: payment.receivable,
        amount: amount.neg(),
        customerExternalId: payment.customerExternalId,
      },
    ],
    payment.currency,
  );
}
