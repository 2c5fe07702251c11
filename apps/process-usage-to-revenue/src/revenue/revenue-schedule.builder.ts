import type Decimal from 'decimal.js';
import {
  allocateBySsp,
  Money,
  MoneyDecimal,
  periodOf,
  scheduleRatably,
  type RecognitionMethod,
} from '@revgate/canonical';

/** An invoice line as revenue recognition needs it. */
export interface RevenueLine {
  id: string;
  type: 'subscription' | 'usage' | 'one_time';
  /** Net of its discounts, in the invoice's currency (rounded to it). */
  amount: string;
  currency: string;
  /** Start inclusive, end exclusive. */
  servicePeriod?: { start: string; end: string };
  /** The invoice's issue date (a one-time line's point in time). */
  issueDate: string;
  /** Standalone selling price, when the line is an element of a bundle. */
  standaloneSellingPrice?: string;
  /** A one-time line's policy, its product's: at the issue date (default) or ratably over its service period. */
  oneTimeRecognition?: 'point_in_time' | 'ratable';
}

export interface ScheduleEntry {
  period: string;
  amount: string;
}

export interface LineSchedule {
  lineId: string;
  method: RecognitionMethod;
  /** What the line recognizes in all: its amount, or its share of the bundle. */
  total: string;
  entries: ScheduleEntry[];
}

/**
 * The declared recognition policy: a subscription line ratably by day over its service period; a
 * usage line in the period it was consumed (its service period's start); a one-time line by its
 * product's policy — at the issue date, or ratably over its service period when the product says
 * `ratable` and the line has one. The lines of an invoice that carry a standalone selling price
 * form a bundle: their net total is allocated among them by relative SSP (largest remainder), then
 * each allocation is scheduled by its line's method.
 *
 * With `from` (the period the invoice is posted in), what falls before it is caught up in it: a
 * closed period's books are not reopened, so revenue earned before the posting is recognized when
 * it is posted.
 */
export function buildSchedules(lines: readonly RevenueLine[], from?: string): LineSchedule[] {
  const bundle = lines.filter((l) => l.standaloneSellingPrice !== undefined);
  const allocated = new Map<string, Money>();
  if (bundle.length > 1) {
    const currency = bundle[0]?.currency ?? 'USD';
    const total = bundle.reduce((sum, l) => sum.plus(l.amount), new MoneyDecimal(0));
    const parts = allocateBySsp(
      Money.of(total, currency),
      bundle.map((l) => ({
        ref: l.id,
        standaloneSellingPrice: Money.of(l.standaloneSellingPrice ?? '0', currency),
      })),
    );
    for (const part of parts) allocated.set(part.ref, part.allocated);
  }
  return lines.map((line) => {
    const total = allocated.get(line.id) ?? Money.of(line.amount, line.currency);
    const ratable =
      line.type === 'subscription' ||
      (line.type === 'one_time' && line.oneTimeRecognition === 'ratable');
    if (ratable && line.servicePeriod) {
      const entries = scheduleRatably(total, line.servicePeriod).map((e) => ({
        period: e.period,
        amount: e.amount.amount,
      }));
      return {
        lineId: line.id,
        method: 'ratable_daily',
        total: total.amount.toFixed(),
        entries: catchUp(entries, from),
      };
    }
    const when =
      line.type === 'usage' && line.servicePeriod ? line.servicePeriod.start : line.issueDate;
    return {
      lineId: line.id,
      method: line.type === 'usage' ? 'as_consumed' : 'point_in_time',
      total: total.amount.toFixed(),
      entries: catchUp([{ period: periodOf(when), amount: total.amount }], from),
    };
  });
}

/** Entries before `from` summed into `from`; the rest as they are, in ascending periods. */
function catchUp(entries: { period: string; amount: Decimal }[], from?: string): ScheduleEntry[] {
  const sums = new Map<string, Decimal>();
  for (const e of entries) {
    const period = from !== undefined && e.period < from ? from : e.period;
    sums.set(period, (sums.get(period) ?? new MoneyDecimal(0)).plus(e.amount));
  }
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, amount]) => ({ period, amount: amount.toFixed() }));
}

export interface JournalSource {
  legalEntity: string;
  currency: string;
  deferredAccount: string;
  revenueAccount: string;
  productFamily: string;
  /** Recognized in the period. */
  amount: string;
}

export interface JournalLine {
  accountCode: string;
  debit?: string;
  credit?: string;
  productFamily: string;
}

/**
 * A period's revenue journal for one entity and currency: the recognized amounts summarized per
 * deferred account, revenue account and product family — Dr deferred revenue, Cr revenue (a
 * negative amount, a credit, the other way round). Zero sums make no line. Balanced by
 * construction: every amount is on one debit line and one credit line.
 */
export function revenueJournal(sources: readonly JournalSource[]): JournalLine[] {
  const sums = new Map<string, { source: JournalSource; amount: Decimal }>();
  for (const s of sources) {
    const key = `${s.deferredAccount}\u0000${s.revenueAccount}\u0000${s.productFamily}`;
    const entry = sums.get(key);
    if (entry) entry.amount = entry.amount.plus(s.amount);
    else sums.set(key, { source: s, amount: new MoneyDecimal(s.amount) });
  }
  const lines: JournalLine[] = [];
  for (const { source, amount } of [...sums.values()].sort((a, b) =>
    `${a.source.deferredAccount}${a.source.revenueAccount}${a.source.productFamily}`.localeCompare(
      `${b.source.deferredAccount}${b.source.revenueAccount}${b.source.productFamily}`,
    ),
  )) {
    if (amount.isZero()) continue;
    const value = amount.abs().toFixed();
    const family = source.productFamily;
    if (amount.isPositive())
      lines.push(
        { accountCode: source.deferredAccount, debit: value, productFamily: family },
        { accountCode: source.revenueAccount, credit: value, productFamily: family },
      );
    else
      lines.push(
        { accountCode: source.revenueAccount, debit: value, productFamily: family },
        { accountCode: source.deferredAccount, credit: value, productFamily: family },
      );
  }
  return lines;
}
