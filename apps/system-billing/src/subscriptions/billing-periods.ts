/**
 * Billing periods of a subscription, as whole UTC calendar days (start inclusive, end exclusive).
 *
 * The declared rule: periods renew on the anchor's day of the month, every month or every twelve
 * months, counted from the anchor (not from the previous period), so a subscription anchored on
 * 31 January renews on 28 (or 29) February, 31 March, 30 April, 31 May… The boundaries are
 * anchor + k intervals for every whole k, and the period of a day is the one whose boundaries hold
 * it. A subscription that starts before its anchor has a shorter first period, [start, anchor).
 */
import type { BillingInterval } from '@revgate/canonical';
import type { BillingPeriod } from '../proration';
import { daysInMonth, parseDay } from '../proration/calendar';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: string): [number, number, number] {
  parseDay(date, 'date'); // refuses anything that is not a calendar day
  const match = DATE.exec(date);
  return [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
}

function format(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Months in one billing interval. */
export function intervalMonths(interval: BillingInterval): number {
  return interval === 'year' ? 12 : 1;
}

/** `date` moved by whole months, on the same day of the month or the month's last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = parts(date);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return format(year, month, Math.min(d, daysInMonth(year, month)));
}

/** `date` moved by whole days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parts(date);
  const moved = new Date(0);
  moved.setUTCFullYear(y, m - 1, d + days);
  return format(moved.getUTCFullYear(), moved.getUTCMonth() + 1, moved.getUTCDate());
}

/** The earlier of two dates (YYYY-MM-DD compares as text). */
export const minDate = (a: string, b: string): string => (a <= b ? a : b);
export const maxDate = (a: string, b: string): string => (a >= b ? a : b);

/** The whole billing period that holds `day`. */
export function periodContaining(
  anchor: string,
  interval: BillingInterval,
  day: string,
): BillingPeriod {
  const step = intervalMonths(interval);
  const [ay, am] = parts(anchor);
  const [dy, dm] = parts(day);
  let k = Math.floor((dy * 12 + dm - (ay * 12 + am)) / step);
  while (addMonths(anchor, k * step) > day) k -= 1;
  while (addMonths(anchor, (k + 1) * step) <= day) k += 1;
  return { start: addMonths(anchor, k * step), end: addMonths(anchor, (k + 1) * step) };
}

/** The UTC calendar day of an instant. */
export function utcDay(at: Date = new Date()): string {
  return at.toISOString().slice(0, 10);
}
