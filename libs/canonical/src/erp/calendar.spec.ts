import fc from 'fast-check';
import {
  addDays,
  dateOfDayNumber,
  dayNumber,
  daysBetween,
  daysInPeriod,
  isAccountingPeriod,
  isCalendarDate,
  isInstant,
  nextPeriod,
  overlapDays,
  periodEnd,
  periodOf,
  periodsSpanned,
  periodStart,
  previousPeriod,
  utcDateOf,
} from './calendar';

const DAY_MS = 86_400_000;

/** The oracle: JavaScript's own proleptic Gregorian calendar (setUTCFullYear, so years < 100 work). */
function oracleDate(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d;
}
const oracleDaysInMonth = (year: number, month: number): number =>
  oracleDate(year, month + 1, 0).getUTCDate();
const oracleIso = (d: Date): string =>
  `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;

const MIN_DAY = dayNumber('0001-01-01');
const MAX_DAY = dayNumber('9999-12-31');
const days = fc.integer({ min: MIN_DAY, max: MAX_DAY });
const dates = days.map(dateOfDayNumber);
/** Dates near the hard cases: month ends, February in leap and common years, century years. */
const edgeDates = fc
  .tuple(
    fc.constantFrom(1600, 1700, 1900, 2000, 2023, 2024, 2100, 2400, 1, 9999),
    fc.integer({ min: 1, max: 12 }),
    fc.constantFrom(1, 27, 28, 29, 30, 31),
  )
  .filter(([y, m, d]) => d <= oracleDaysInMonth(y, m))
  .map(([y, m, d]) => oracleIso(oracleDate(y, m, d)));
const anyDate = fc.oneof(dates, edgeDates);

describe('calendar dates', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2100-02-29', false],
    ['2026-04-31', false],
    ['2026-12-31', true],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['0000-01-01', false],
    ['0001-01-01', true],
    ['9999-12-31', true],
    ['2026-1-05', false],
    ['2026-01-05T00:00:00Z', false],
    [20260105, false],
  ])('isCalendarDate(%j) is %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });

  it('numbers days as JavaScript does, from 1970-01-01', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        const [y, m, d] = date.split('-').map(Number) as [number, number, number];
        return dayNumber(date) === oracleDate(y, m, d).getTime() / DAY_MS;
      }),
    );
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1969-12-31')).toBe(-1);
  });

  it('round-trips day numbers and steps one day at a time', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_DAY, max: MAX_DAY - 1 }), (n) => {
        const date = dateOfDayNumber(n);
        const next = dateOfDayNumber(n + 1);
        return dayNumber(date) === n && isCalendarDate(date) && next > date;
      }),
    );
  });

  it('adds days across month ends, leap days and years', () => {
    expect(addDays('2024-01-31', 1)).toBe('2024-02-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
    fc.assert(
      fc.property(fc.integer({ min: -50_000, max: 50_000 }), (n) => {
        const from = '2000-03-01';
        return daysBetween(from, addDays(from, n)) === n;
      }),
    );
  });

  it('refuses what is not a date, and years beyond 9999', () => {
    expect(() => dayNumber('2023-02-29')).toThrow(RangeError);
    expect(() => periodOf('31/01/2026')).toThrow('"31/01/2026" is not a calendar date');
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => dateOfDayNumber(1.5)).toThrow(RangeError);
  });
});

describe('accounting periods', () => {
  it.each([
    ['2026-01', true],
    ['2026-12', true],
    ['2026-13', false],
    ['2026-00', false],
    ['2026-1', false],
    ['0000-01', false],
    ['2026-01-01', false],
  ])('isAccountingPeriod(%j) is %s', (value, expected) => {
    expect(isAccountingPeriod(value)).toBe(expected);
  });

  it.each([
    ['2024-02', 29],
    ['2023-02', 28],
    ['2000-02', 29],
    ['1900-02', 28],
    ['2100-02', 28],
    ['2400-02', 29],
    ['2026-01', 31],
    ['2026-04', 30],
    ['2026-06', 30],
    ['2026-07', 31],
    ['2026-09', 30],
    ['2026-11', 30],
    ['2026-12', 31],
  ])('%s has %i days', (period, expected) => {
    expect(daysInPeriod(period)).toBe(expected);
  });

  it('places a date in its month, month ends and leap days included', () => {
    expect(periodOf('2024-02-29')).toBe('2024-02');
    expect(periodOf('2024-03-01')).toBe('2024-03');
    expect(periodOf('2025-12-31')).toBe('2025-12');
    expect(periodStart('2024-02')).toBe('2024-02-01');
    expect(periodEnd('2024-02')).toBe('2024-03-01');
    expect(periodEnd('2024-12')).toBe('2025-01-01');
    expect(nextPeriod('2024-12')).toBe('2025-01');
    expect(previousPeriod('2025-01')).toBe('2024-12');
    expect(previousPeriod('2024-03')).toBe('2024-02');
  });

  it('every date lies in [start, end) of its period, and the period has daysInPeriod days', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        const period = periodOf(date);
        const [y, m] = period.split('-').map(Number) as [number, number];
        return (
          periodStart(period) <= date &&
          (period === '9999-12' || date < periodEnd(period)) &&
          daysInPeriod(period) === oracleDaysInMonth(y, m) &&
          (period === '9999-12' ||
            daysBetween(periodStart(period), periodEnd(period)) === daysInPeriod(period))
        );
      }),
    );
  });

  it('nextPeriod and previousPeriod are inverses and move one month', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9998 }),
        fc.integer({ min: 1, max: 12 }),
        (year, month) => {
          const period = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
          const next = nextPeriod(period);
          return (
            previousPeriod(next) === period &&
            periodStart(next) === periodEnd(period) &&
            next > period
          );
        },
      ),
    );
  });

  it('splits a range of days into the periods it spans, every day counted once', () => {
    expect(periodsSpanned({ start: '2024-01-15', end: '2024-03-01' })).toEqual([
      '2024-01',
      '2024-02',
    ]);
    expect(periodsSpanned({ start: '2024-01-31', end: '2024-02-01' })).toEqual(['2024-01']);
    expect(periodsSpanned({ start: '2024-02-01', end: '2024-02-01' })).toEqual([]);
    fc.assert(
      fc.property(
        fc.integer({ min: dayNumber('1999-01-01'), max: dayNumber('2101-01-01') }),
        fc.integer({ min: 1, max: 2000 }),
        (start, length) => {
          const range = { start: dateOfDayNumber(start), end: dateOfDayNumber(start + length) };
          const periods = periodsSpanned(range);
          const counted = periods.map((p) =>
            overlapDays({ start: periodStart(p), end: periodEnd(p) }, range),
          );
          return (
            counted.reduce((a, d) => a + d, 0) === length &&
            counted.every((d) => d > 0) &&
            periods.every((p, i) => i === 0 || nextPeriod(periods[i - 1] ?? '') === p)
          );
        },
      ),
    );
  });
});

describe('instants', () => {
  it.each([
    ['2026-01-31T23:59:59Z', true],
    ['2026-01-31T23:59:59.123456789Z', true],
    ['2026-01-31T18:00:00-05:00', true],
    ['2026-01-31T18:00:00+14:00', true],
    ['2026-01-31T18:00:00', false],
    ['2026-01-31', false],
    ['2026-02-30T00:00:00Z', false],
    ['2026-01-31T24:00:00Z', false],
    ['2026-01-31T23:60:00Z', false],
    ['2026-01-31T23:59:60Z', false],
    ['2026-01-31T18:00:00+0500', false],
    ['2026-01-31 18:00:00Z', false],
    ['2026-01-31t18:00:00z', false],
  ])('isInstant(%j) is %s', (value, expected) => {
    expect(isInstant(value)).toBe(expected);
  });

  it('puts an instant on its UTC day', () => {
    expect(utcDateOf('2026-01-31T20:00:00-05:00')).toBe('2026-02-01');
    expect(utcDateOf('2024-03-01T00:30:00+01:00')).toBe('2024-02-29');
    expect(utcDateOf('2024-12-31T23:59:59.999Z')).toBe('2024-12-31');
    expect(() => utcDateOf('2024-12-31T23:59:59')).toThrow(RangeError);
  });

  it('agrees with Date on the UTC day of any instant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (ms, offsetMinutes) => {
          const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
          const abs = Math.abs(offsetMinutes);
          const offset = `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          const instant = `${local}${offset}`;
          return utcDateOf(instant) === new Date(instant).toISOString().slice(0, 10);
        },
      ),
    );
  });
});
