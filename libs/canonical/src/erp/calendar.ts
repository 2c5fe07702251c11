/**
 * Calendar days and accounting periods as Revgate declares them:
 *
 * - a date is a Gregorian calendar day written `YYYY-MM-DD` (years 0001–9999), with no time and no
 *   time zone; an instant is placed on the day it falls on in UTC;
 * - a range of days (`DateRange`) is half-open: `start` inclusive, `end` exclusive, so January 2026 is
 *   { start: '2026-01-01', end: '2026-02-01' } and the number of days is end − start;
 * - an accounting period is a calendar month written `YYYY-MM`: it starts on its first day and ends
 *   (exclusive) on the first day of the next month.
 *
 * The arithmetic is on whole-day integers (day 0 is 1970-01-01), never on `Date`, so no time zone or
 * daylight-saving change can move a day.
 */

/** `YYYY-MM-DD`; `isCalendarDate` also checks that the day exists. */
export const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** `YYYY-MM`, a calendar month from 0001-01 to 9999-12. */
export const ACCOUNTING_PERIOD = /^(?!0000)(\d{4})-(0[1-9]|1[0-2])$/;

/** Days `start` (inclusive) to `end` (exclusive), both `YYYY-MM-DD`. */
export interface DateRange {
  readonly start: string;
  readonly end: string;
}

const MIN_YEAR = 1;
const MAX_YEAR = 9999;

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Day number of a Gregorian date (H. Hinnant's days_from_civil). */
function dayNumberOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The Gregorian date of a day number (H. Hinnant's civil_from_days). */
function civilOf(dayNumber: number): [number, number, number] {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36524) -
      Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

function formatDate(year: number, month: number, day: number): string {
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`year ${year} is outside 0001–9999`);
  }
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function parseDate(value: unknown): [number, number, number] | undefined {
  const match = typeof value === 'string' ? CALENDAR_DATE.exec(value) : null;
  if (match === null) return undefined;
  const [year, month, day] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return undefined;
  }
  return [year, month, day];
}

function parsePeriod(value: unknown): [number, number] | undefined {
  const match = typeof value === 'string' ? ACCOUNTING_PERIOD.exec(value) : null;
  return match === null ? undefined : [Number(match[1]), Number(match[2])];
}

function requireDate(value: string): [number, number, number] {
  const parsed = parseDate(value);
  if (parsed === undefined) {
    throw new RangeError(`"${value}" is not a calendar date written YYYY-MM-DD`);
  }
  return parsed;
}

function requirePeriod(value: string): [number, number] {
  const parsed = parsePeriod(value);
  if (parsed === undefined) {
    throw new RangeError(`"${value}" is not an accounting period written YYYY-MM`);
  }
  return parsed;
}

/** True for a `YYYY-MM-DD` day that exists (2024-02-29 yes, 2023-02-29 no). */
export function isCalendarDate(value: unknown): value is string {
  return parseDate(value) !== undefined;
}

/** True for a `YYYY-MM` accounting period. */
export function isAccountingPeriod(value: unknown): value is string {
  return parsePeriod(value) !== undefined;
}

/** Whole days from 1970-01-01 to `date` (negative before). */
export function dayNumber(date: string): number {
  return dayNumberOf(...requireDate(date));
}

/** The date `dayNumber` days after 1970-01-01. */
export function dateOfDayNumber(day: number): string {
  if (!Number.isSafeInteger(day)) throw new RangeError(`${day} is not a whole day number`);
  return formatDate(...civilOf(day));
}

/** `date` moved by `days` (negative moves back). */
export function addDays(date: string, days: number): string {
  return dateOfDayNumber(dayNumber(date) + days);
}

/** Days in [start, end): `end` − `start`, negative when end comes first. */
export function daysBetween(start: string, end: string): number {
  return dayNumber(end) - dayNumber(start);
}

/** The accounting period (calendar month) a date falls in: 2024-02-29 → 2024-02. */
export function periodOf(date: string): string {
  const [year, month] = requireDate(date);
  return `${pad(year, 4)}-${pad(month, 2)}`;
}

/** First day of the period (inclusive). */
export function periodStart(period: string): string {
  const [year, month] = requirePeriod(period);
  return formatDate(year, month, 1);
}

/** First day after the period (exclusive end): 2024-12 → 2025-01-01. */
export function periodEnd(period: string): string {
  const [year, month] = requirePeriod(period);
  return month === 12 ? formatDate(year + 1, 1, 1) : formatDate(year, month + 1, 1);
}

/** The period as a half-open range of days. */
export function periodRange(period: string): DateRange {
  return { start: periodStart(period), end: periodEnd(period) };
}

/** Days in the period: 28–31 (2024-02 → 29, 2023-02 → 28). */
export function daysInPeriod(period: string): number {
  const [year, month] = requirePeriod(period);
  return daysInMonth(year, month);
}

/** The period after: 2024-12 → 2025-01. */
export function nextPeriod(period: string): string {
  return periodOf(periodEnd(period));
}

/** The period before: 2025-01 → 2024-12. */
export function previousPeriod(period: string): string {
  return periodOf(addDays(periodStart(period), -1));
}

/** Days the two half-open ranges share (0 when they do not meet). */
export function overlapDays(a: DateRange, b: DateRange): number {
  const start = Math.max(dayNumber(a.start), dayNumber(b.start));
  const end = Math.min(dayNumber(a.end), dayNumber(b.end));
  return Math.max(0, end - start);
}

/**
 * The periods holding at least one day of [start, end), in order: 2024-01-15..2024-03-01 →
 * 2024-01, 2024-02. Empty when the range has no day.
 */
export function periodsSpanned(range: DateRange): string[] {
  const days = daysBetween(range.start, range.end);
  if (days <= 0) return [];
  const last = periodOf(addDays(range.end, -1));
  const periods = [periodOf(range.start)];
  for (let p = periods[0] ?? last; p !== last;) {
    p = nextPeriod(p);
    periods.push(p);
  }
  return periods;
}

/** An ISO 8601 instant with a time and an offset (Z or ±hh:mm), to the nanosecond. */
const INSTANT_PATTERN =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** An instant's UTC day and minute of that day, when it is one. */
function parseInstant(value: unknown): { date: string; utcMinutes: number } | undefined {
  const match = typeof value === 'string' ? INSTANT_PATTERN.exec(value) : null;
  if (match === null) return undefined;
  // Optional groups are undefined when absent, which RegExpExecArray's type does not say.
  const [date = '', hh, mm, ss, sign, offsetHh, offsetMm] = match.slice(1) as (
    string | undefined
  )[];
  const [hours, minutes, seconds, offsetHours, offsetMinutes] = [
    hh,
    mm,
    ss,
    offsetHh,
    offsetMm,
  ].map((part) => Number(part ?? 0)) as [number, number, number, number, number];
  if (!isCalendarDate(date) || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  return { date, utcMinutes: hours * 60 + minutes - offset };
}

/** True for an instant such as 2026-01-31T23:59:59.123Z or 2026-01-31T18:00:00-05:00. */
export function isInstant(value: unknown): value is string {
  return parseInstant(value) !== undefined;
}

/** The UTC day an instant falls on: 2026-01-31T20:00:00-05:00 → 2026-02-01. */
export function utcDateOf(instant: string): string {
  const parsed = parseInstant(instant);
  if (parsed === undefined) {
    throw new RangeError(`"${instant}" is not an ISO 8601 instant with an offset`);
  }
  return addDays(parsed.date, Math.floor(parsed.utcMinutes / (24 * 60)));
}
