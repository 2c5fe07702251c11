import type Decimal from 'decimal.js';
import { isCurrency, minorUnits, MoneyDecimal } from '../money/money';
import { UNSIGNED_DECIMAL } from '../money/money.dto';

/** The amounts of a journal line: exactly one of them is positive, the other absent or zero. */
export interface JournalLineAmounts {
  readonly debit?: string;
  readonly credit?: string;
}

export const MIN_JOURNAL_LINES = 2;

const ZERO = new MoneyDecimal(0);

/** A line's amount field: undefined when absent, null when malformed. */
function amountOf(line: object, field: 'debit' | 'credit'): Decimal | undefined | null {
  const value = (line as Record<string, unknown>)[field];
  if (value === undefined) return undefined;
  return typeof value === 'string' && UNSIGNED_DECIMAL.test(value) ? new MoneyDecimal(value) : null;
}

/**
 * Everything that keeps `lines` from being a balanced journal, in plain words (empty when balanced):
 * at least two lines; on each line exactly one of debit and credit positive, the other absent or
 * zero, both non-negative decimal strings; with `currency`, no amount with more decimals than the
 * currency allows; and the debits add up to exactly the credits. Amounts are added as decimals, never
 * as floats. Takes anything, as it also guards input that is not yet validated.
 */
export function journalBalanceProblems(lines: unknown, currency?: string): string[] {
  if (!Array.isArray(lines)) return ['lines must be an array of journal lines'];
  const problems: string[] = [];
  if (lines.length < MIN_JOURNAL_LINES) {
    problems.push(`a journal entry needs at least ${MIN_JOURNAL_LINES} lines, got ${lines.length}`);
  }
  const places = currency !== undefined && isCurrency(currency) ? minorUnits(currency) : undefined;
  let debits = ZERO;
  let credits = ZERO;
  let summable = true;
  for (const [i, line] of (lines as unknown[]).entries()) {
    if (typeof line !== 'object' || line === null) {
      problems.push(`lines[${i}] must be a journal line object`);
      summable = false;
      continue;
    }
    const debit = amountOf(line, 'debit');
    const credit = amountOf(line, 'credit');
    if (debit === null || credit === null) {
      problems.push(`lines[${i}] debit and credit must be non-negative decimal strings`);
      summable = false;
      continue;
    }
    const positive = [debit, credit].filter((a) => a !== undefined && a.gt(0)).length;
    if (positive !== 1) {
      problems.push(
        `lines[${i}] must have exactly one of debit or credit positive (the other absent or zero)`,
      );
      summable = false;
    }
    if (
      places !== undefined &&
      [debit, credit].some((a) => a !== undefined && a.decimalPlaces() > places)
    ) {
      problems.push(`lines[${i}] has more decimals than ${currency ?? ''} allows (${places})`);
    }
    debits = debits.plus(debit ?? ZERO);
    credits = credits.plus(credit ?? ZERO);
  }
  if (summable && !debits.equals(credits)) {
    problems.push(
      `debits (${debits.toFixed()}) must equal credits (${credits.toFixed()}): the entry is off by ${debits.minus(credits).abs().toFixed()}`,
    );
  }
  return problems;
}

/**
 * True when the lines form a balanced journal entry (see journalBalanceProblems); with `currency`,
 * also when no amount has more decimals than it allows.
 */
export function isBalanced(lines: readonly JournalLineAmounts[], currency?: string): boolean {
  return journalBalanceProblems(lines, currency).length === 0;
}

/** Sums of the debits and of the credits, as exact decimal strings. */
export function journalTotals(lines: readonly JournalLineAmounts[]): {
  debit: string;
  credit: string;
} {
  const sum = (field: 'debit' | 'credit'): string =>
    lines.reduce((acc, line) => acc.plus(line[field] ?? 0), ZERO).toFixed();
  return { debit: sum('debit'), credit: sum('credit') };
}
