import { Money, MoneyError } from '../money/money';
import {
  ACCOUNTING_PERIOD,
  daysBetween,
  DateRange,
  overlapDays,
  periodRange,
  periodsSpanned,
} from '../erp/calendar';

/** Revenue recognized in one accounting period. */
export interface RevenueEntry {
  /** `YYYY-MM`. */
  readonly period: string;
  /** Days of the service period that fall in this period. */
  readonly days: number;
  /** Rounded to the currency's minor units. */
  readonly amount: Money;
}

/**
 * Spreads `total` evenly over the days of `servicePeriod` (half-open: `start` inclusive, `end`
 * exclusive, so a year from 2026-01-01 is { start: '2026-01-01', end: '2027-01-01' }) and returns one
 * entry per period. Each period gets total × its days ÷ the service days, rounded to the currency by
 * largest remainder (Money.allocate: every part is rounded down toward zero, then the minor units
 * still missing go one each to the periods that lost the most, ties to the earliest period), so the
 * entries add up to exactly `total`.
 *
 * `periods` (ascending `YYYY-MM`, each once) defaults to the calendar months the service period
 * touches; a longer list yields zero entries for the months outside, and a list that misses a day of
 * the service period is refused. `total` must already be rounded to its currency; it may be negative
 * (a credit), and every entry then has its sign.
 */
export function scheduleRatably(
  total: Money,
  servicePeriod: DateRange,
  periods: readonly string[] = periodsSpanned(servicePeriod),
): RevenueEntry[] {
  if (!total.isRounded()) {
    throw new MoneyError(
      `a schedule's total must be rounded to ${total.currency}: ${total.toString()}`,
    );
  }
  const serviceDays = daysBetween(servicePeriod.start, servicePeriod.end);
  if (serviceDays <= 0) {
    throw new RangeError(
      `the service period ${servicePeriod.start}..${servicePeriod.end} has no day (end is exclusive)`,
    );
  }
  periods.forEach((period, i) => {
    if (!ACCOUNTING_PERIOD.test(period)) {
      throw new RangeError(`"${period}" is not an accounting period written YYYY-MM`);
    }
    const previous = i > 0 ? periods[i - 1] : undefined;
    if (previous !== undefined && previous >= period) {
      throw new RangeError(`periods must be ascending and distinct: ${previous} then ${period}`);
    }
  });
  const days = periods.map((period) => overlapDays(periodRange(period), servicePeriod));
  const covered = days.reduce((a, d) => a + d, 0);
  if (covered !== serviceDays) {
    throw new RangeError(
      `the periods cover ${covered} of the ${serviceDays} days of the service period ${servicePeriod.start}..${servicePeriod.end}`,
    );
  }
  const amounts = total.allocate(days);
  return periods.map((period, i) => ({
    period,
    days: days[i] ?? 0,
    amount: amounts[i] ?? Money.zero(total.currency),
  }));
}

/** An element of a bundle, with its standalone selling price (SSP). */
export interface SspItem {
  /** The caller's reference of the element (an invoice line, a product). */
  readonly ref: string;
  /** The price the element sells for on its own; only the ratios between items matter. */
  readonly standaloneSellingPrice: Money;
}

export interface SspAllocation extends SspItem {
  /** The element's share of the bundle total, rounded to the currency. */
  readonly allocated: Money;
}

/**
 * Allocates a bundle's transaction price to its elements by relative standalone selling price
 * (ASC 606-10-32-31, IFRS 15.76): each gets total × its SSP ÷ the sum of the SSPs, rounded by largest
 * remainder as in scheduleRatably (ties to the earliest item), so the allocations add up to exactly
 * `bundleTotal` and each is within one minor unit of its exact share. Items keep their order. The
 * SSPs are in the bundle's currency, not negative, and not all zero; an item with a zero SSP gets
 * zero. `bundleTotal` must be rounded to its currency.
 */
export function allocateBySsp(bundleTotal: Money, items: readonly SspItem[]): SspAllocation[] {
  if (!bundleTotal.isRounded()) {
    throw new MoneyError(
      `a bundle total must be rounded to ${bundleTotal.currency}: ${bundleTotal.toString()}`,
    );
  }
  if (items.length === 0) throw new MoneyError('allocateBySsp needs at least one item');
  for (const item of items) {
    const ssp = item.standaloneSellingPrice;
    if (ssp.currency !== bundleTotal.currency) {
      throw new MoneyError(
        `the SSP of ${item.ref} is in ${ssp.currency}, the bundle in ${bundleTotal.currency}`,
      );
    }
    if (ssp.isNegative()) throw new MoneyError(`the SSP of ${item.ref} is negative`);
  }
  if (items.every((item) => item.standaloneSellingPrice.isZero())) {
    throw new MoneyError('the standalone selling prices are all zero: nothing to allocate by');
  }
  const parts = bundleTotal.allocate(items.map((item) => item.standaloneSellingPrice.amount));
  return items.map((item, i) => ({
    ...item,
    allocated: parts[i] ?? Money.zero(bundleTotal.currency),
  }));
}
