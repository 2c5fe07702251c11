import { ProrationError, ProrationErrorCode } from './proration.error';

/** UTC calendar days as integers: day 0 is 1970-01-01. Gregorian calendar, years 0001–9999. */
export type DayNumber = number;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Day number of a Gregorian date (H. Hinnant's days_from_civil). Integer arithmetic on whole days:
 * no Date, no time zone, no daylight saving to get wrong.
 */
function dayNumber(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Parses a `YYYY-MM-DD` calendar date; refuses anything else (times, offsets, 2023-02-29). */
export function parseDay(value: unknown, path: string): DayNumber {
  const match = typeof value === 'string' ? DATE_PATTERN.exec(value) : null;
  if (match === null) {
    throw new ProrationError(
      ProrationErrorCode.DATE_INVALID,
      path,
      `must be a calendar date written YYYY-MM-DD, got ${typeof value === 'string' ? `"${value}"` : typeof value}`,
    );
  }
  const [year, month, day] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new ProrationError(
      ProrationErrorCode.DATE_INVALID,
      path,
      `${String(value)} is not a day of the calendar`,
    );
  }
  return dayNumber(year, month, day);
}
