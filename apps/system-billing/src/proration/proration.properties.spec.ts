import fc from 'fast-check';
import { minorUnits } from '@revgate/canonical';
import {
  chargeForSpan,
  prorate,
  unusedFraction,
  type BillingPeriod,
  type ProrationItem,
} from './index';

/*
 * The oracle: day counts from JavaScript's Date (the engine counts days with its own civil-calendar
 * arithmetic) and amounts as exact rationals of BigInts (the engine uses decimal.js).
 */
const DAY_MS = 86_400_000;
const dayText = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const dayOf = (year: number, monthIndex: number, day: number) =>
  Date.UTC(year, monthIndex, day) / DAY_MS;

const Q = 6; // quantity decimals
const A = 10; // unit amount decimals
const P = Q + A; // period price decimals

function toScaled(text: string, scale: number): bigint {
  const negative = text.startsWith('-');
  const [whole = '', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const value = BigInt(whole + fraction.padEnd(scale, '0'));
  return negative ? -value : value;
}

const toText = (value: bigint, scale: number) => {
  const digits = value.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
};

const abs = (v: bigint) => (v < 0n ? -v : v);

/** round-half-up (away from zero) of numerator / denominator, in minor units of `places`. */
function roundRational(numerator: bigint, denominator: bigint, places: number): bigint {
  const sign = numerator < 0n ? -1n : 1n;
  const n = abs(numerator) * 10n ** BigInt(places);
  const q = n / denominator;
  return sign * (2n * (n - q * denominator) >= denominator ? q + 1n : q);
}

/** Period price unitAmount × quantity as an integer scaled by 10^P. */
const periodPrice = (item: ProrationItem) =>
  toScaled(item.unitAmount, A) * toScaled(item.quantity, Q);

/** The engine's amount as an integer count of minor units. */
const minor = (amount: { toString(): string }, places: number) =>
  toScaled(amount.toString(), places);

/* Generators */

const currency = fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'CLF');

/** Calendar months, calendar years, and arbitrary runs of 1–1,200 days, between 1900 and 2400. */
const period: fc.Arbitrary<BillingPeriod> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1900, max: 2399 }), fc.integer({ min: 0, max: 11 }))
    .map(([y, m]) => ({ start: dayText(dayOf(y, m, 1)), end: dayText(dayOf(y, m + 1, 1)) })),
  fc
    .tuple(fc.integer({ min: 1900, max: 2399 }), fc.integer({ min: 0, max: 11 }))
    .map(([y, m]) => ({ start: dayText(dayOf(y, m, 1)), end: dayText(dayOf(y + 1, m, 1)) })),
  fc
    .tuple(
      fc.integer({ min: dayOf(1900, 0, 1), max: dayOf(2400, 0, 1) }),
      fc.integer({ min: 1, max: 1200 }),
    )
    .map(([start, days]) => ({ start: dayText(start), end: dayText(start + days) })),
);

const periodDays = (p: BillingPeriod) => (Date.parse(p.end) - Date.parse(p.start)) / DAY_MS;

/** A period and a day inside it: [start, end). */
const periodWithDay = period.chain((p) =>
  fc
    .integer({ min: 0, max: periodDays(p) - 1 })
    .map((offset) => ({ period: p, day: dayText(Date.parse(p.start) / DAY_MS + offset) })),
);

/** Items whose period price stays below 10^12: sub-cent unit amounts and decimal quantities. */
const itemArb: fc.Arbitrary<ProrationItem> = fc.record({
  unitAmount: fc
    .tuple(fc.bigInt({ min: 0n, max: 999_999n }), fc.integer({ min: 0, max: A }))
    .map(([units, scale]) => toText(units, scale)),
  quantity: fc
    .tuple(fc.bigInt({ min: 0n, max: 999_999n }), fc.integer({ min: 0, max: Q }))
    .map(([units, scale]) => toText(units, scale)),
});

describe('proration properties', () => {
  it('the unused fraction is in [0, 1]: 1 ≤ unused days ≤ period days, counted as the calendar does', () => {
    fc.assert(
      fc.property(periodWithDay, ({ period: p, day }) => {
        const { unusedDays, periodDays: n } = unusedFraction(p, day);
        expect(n).toBe(periodDays(p));
        expect(unusedDays).toBe((Date.parse(p.end) - Date.parse(day)) / DAY_MS);
        expect(unusedDays).toBeGreaterThanOrEqual(1);
        expect(unusedDays).toBeLessThanOrEqual(n);
      }),
    );
  });

  it('February has 29 days, and 29 February is a date, exactly in the years where Date knows one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9998 }), (year) => {
        const y = String(year).padStart(4, '0');
        const feb = unusedFraction({ start: `${y}-02-01`, end: `${y}-03-01` }, `${y}-02-01`);
        const leapDay = new Date(Date.UTC(2000, 1, 29));
        leapDay.setUTCFullYear(year, 1, 29); // rolls over to 1 March when there is no 29 February
        const leap = leapDay.getUTCMonth() === 1;
        expect(feb.periodDays).toBe(leap ? 29 : 28);
        const accepted = (() => {
          try {
            return unusedFraction({ start: `${y}-02-29`, end: `${y}-03-01` }, `${y}-02-29`);
          } catch {
            return null;
          }
        })();
        expect(accepted === null ? null : accepted.periodDays).toBe(leap ? 1 : null);
      }),
    );
  });

  it('a YYYY-MM-DD string is a date exactly when Date keeps its day and month', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9998 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const date = new Date(Date.UTC(2000, 0, 1));
          date.setUTCFullYear(year, month - 1, day);
          const real = date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
          const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          let accepted = true;
          try {
            unusedFraction({ start: text, end: '9999-12-31' }, text);
          } catch {
            accepted = false;
          }
          expect(accepted).toBe(real);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('each line is its exact amount rounded half-up: ±round(price × unused / N)', () => {
    fc.assert(
      fc.property(
        currency,
        periodWithDay,
        itemArb,
        itemArb,
        (cur, { period: p, day }, from, to) => {
          const result = prorate({
            currency: cur,
            period: p,
            amendment: { type: 'item_change', effectiveDate: day, from, to },
          });
          const places = minorUnits(cur);
          const n = BigInt(periodDays(p));
          const u = BigInt((Date.parse(p.end) - Date.parse(day)) / DAY_MS);
          const scale = 10n ** BigInt(P);
          const [credit, charge] = result.lines;
          expect(minor(credit.amount, places)).toBe(
            -roundRational(periodPrice(from) * u, n * scale, places),
          );
          expect(minor(charge.amount, places)).toBe(
            roundRational(periodPrice(to) * u, n * scale, places),
          );
          expect([credit.servicePeriod, charge.servicePeriod]).toEqual([
            { from: day, to: p.end },
            { from: day, to: p.end },
          ]);
        },
      ),
    );
  });

  it('credit + charge is within 1 minor unit of (new − old) × f, exact or rounded', () => {
    fc.assert(
      fc.property(
        currency,
        periodWithDay,
        itemArb,
        itemArb,
        (cur, { period: p, day }, from, to) => {
          const result = prorate({
            currency: cur,
            period: p,
            amendment: { type: 'item_change', effectiveDate: day, from, to },
          });
          const places = minorUnits(cur);
          const n = BigInt(periodDays(p));
          const u = BigInt((Date.parse(p.end) - Date.parse(day)) / DAY_MS);
          const net = minor(result.total, places);
          const difference = periodPrice(to) - periodPrice(from);
          // exact: |net − difference × u / N| ≤ 1 minor unit, compared in integers scaled by N·10^P
          const exactGap = abs(net * n * 10n ** BigInt(P) - difference * u * 10n ** BigInt(places));
          expect(exactGap <= n * 10n ** BigInt(P)).toBe(true);
          // rounded: |net − round(difference × u / N)| ≤ 1 minor unit
          const rounded = roundRational(difference * u, n * 10n ** BigInt(P), places);
          expect(abs(net - rounded)).toBeLessThanOrEqual(1n);
        },
      ),
    );
  });

  it('cancelling now on the first day credits exactly the full period price', () => {
    fc.assert(
      fc.property(currency, period, itemArb, (cur, p, item) => {
        const result = prorate({
          currency: cur,
          period: p,
          amendment: { type: 'cancel_now', effectiveDate: p.start, item },
        });
        const places = minorUnits(cur);
        expect(result.lines).toHaveLength(1);
        expect(minor(result.total, places)).toBe(
          -roundRational(periodPrice(item), 10n ** BigInt(P), places),
        );
      }),
    );
  });

  it('used part + unused part = the full price within 1 minor unit, and unused = the cancellation credit', () => {
    fc.assert(
      fc.property(currency, periodWithDay, itemArb, (cur, { period: p, day }, item) => {
        const places = minorUnits(cur);
        const used = chargeForSpan(cur, p, { from: p.start, to: day }, item);
        const unused = chargeForSpan(cur, p, { from: day, to: p.end }, item);
        const sum = minor(used.amount, places) + minor(unused.amount, places);
        const full = roundRational(periodPrice(item), 10n ** BigInt(P), places);
        expect(abs(sum - full)).toBeLessThanOrEqual(1n);
        expect(used.days + unused.days).toBe(periodDays(p));
        const cancel = prorate({
          currency: cur,
          period: p,
          amendment: { type: 'cancel_now', effectiveDate: day, item },
        });
        expect(cancel.total.negated().equals(unused.amount)).toBe(true);
      }),
    );
  });

  it('renewal charges the full price and co-terming charges the unused share', () => {
    fc.assert(
      fc.property(
        currency,
        periodWithDay,
        itemArb,
        fc.integer({ min: 1, max: 400 }),
        (cur, { period: p, day }, item, nextDays) => {
          const places = minorUnits(cur);
          const next = { start: p.end, end: dayText(Date.parse(p.end) / DAY_MS + nextDays) };
          const renewal = prorate({
            currency: cur,
            period: p,
            amendment: { type: 'renewal', nextPeriod: next, item },
          });
          expect(minor(renewal.total, places)).toBe(
            roundRational(periodPrice(item), 10n ** BigInt(P), places),
          );
          const coTerm = prorate({
            currency: cur,
            period: p,
            amendment: { type: 'co_term_addition', effectiveDate: day, item },
          });
          const u = BigInt((Date.parse(p.end) - Date.parse(day)) / DAY_MS);
          expect(minor(coTerm.total, places)).toBe(
            roundRational(periodPrice(item) * u, BigInt(periodDays(p)) * 10n ** BigInt(P), places),
          );
        },
      ),
    );
  });
});
