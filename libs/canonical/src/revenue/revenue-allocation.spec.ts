import fc from 'fast-check';
import { minorUnits, Money, MoneyDecimal, MoneyError } from '../money/money';
import { dateOfDayNumber, dayNumber, daysBetween } from '../erp/calendar';
import { allocateBySsp, RevenueEntry, scheduleRatably } from './revenue-allocation';

const currencies = fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'CLF');

/** An amount already rounded to the currency, from its minor units. */
function money(units: bigint, currency: string): Money {
  return Money.of(units.toString(), currency).dividedBy(10 ** minorUnits(currency));
}
const unitOf = (currency: string): InstanceType<typeof MoneyDecimal> =>
  new MoneyDecimal(10).pow(-minorUnits(currency));

const view = (entries: RevenueEntry[]): [string, number, string][] =>
  entries.map((e) => [e.period, e.days, e.amount.toString()]);

describe('scheduleRatably', () => {
  it('spreads a year by days: the service period ends on the first day after it', () => {
    const entries = scheduleRatably(Money.of('366.00', 'USD'), {
      start: '2024-01-01',
      end: '2025-01-01',
    });
    expect(view(entries)).toEqual([
      ['2024-01', 31, '31.00'],
      ['2024-02', 29, '29.00'],
      ['2024-03', 31, '31.00'],
      ['2024-04', 30, '30.00'],
      ['2024-05', 31, '31.00'],
      ['2024-06', 30, '30.00'],
      ['2024-07', 31, '31.00'],
      ['2024-08', 31, '31.00'],
      ['2024-09', 30, '30.00'],
      ['2024-10', 31, '31.00'],
      ['2024-11', 30, '30.00'],
      ['2024-12', 31, '31.00'],
    ]);
  });

  it('gives the leftover cents to the periods that lost most, ties to the earliest', () => {
    // 100.00 over 31 days: 1 in January, 29 in February (leap year), 1 in March. Exact shares
    // 3.2258…, 93.5483…, 3.2258…: rounded down 3.22 + 93.54 + 3.22 = 99.98; February lost most
    // (0.0083), then January and March tie (0.0058): January, the earlier, gets the second cent.
    const entries = scheduleRatably(Money.of('100.00', 'USD'), {
      start: '2024-01-31',
      end: '2024-03-02',
    });
    expect(view(entries)).toEqual([
      ['2024-01', 1, '3.23'],
      ['2024-02', 29, '93.55'],
      ['2024-03', 1, '3.22'],
    ]);
  });

  it('rounds to the currency: yen has no decimals, a credit is negative throughout', () => {
    expect(
      view(scheduleRatably(Money.of('1000', 'JPY'), { start: '2026-01-16', end: '2026-03-16' })),
    ).toEqual([
      ['2026-01', 16, '271'],
      ['2026-02', 28, '475'],
      ['2026-03', 15, '254'],
    ]);
    expect(
      view(scheduleRatably(Money.of('-10.00', 'USD'), { start: '2026-01-31', end: '2026-02-02' })),
    ).toEqual([
      ['2026-01', 1, '-5.00'],
      ['2026-02', 1, '-5.00'],
    ]);
  });

  it('reports on a grid of periods, with zero outside the service period', () => {
    const entries = scheduleRatably(
      Money.of('90.00', 'EUR'),
      { start: '2026-02-01', end: '2026-03-01' },
      ['2026-01', '2026-02', '2026-03'],
    );
    expect(view(entries)).toEqual([
      ['2026-01', 0, '0.00'],
      ['2026-02', 28, '90.00'],
      ['2026-03', 0, '0.00'],
    ]);
  });

  it('refuses what it cannot spread exactly', () => {
    const year = { start: '2026-01-01', end: '2027-01-01' };
    const total = Money.of('1200.00', 'USD');
    expect(() => scheduleRatably(Money.of('1200.001', 'USD'), year)).toThrow(MoneyError);
    expect(() => scheduleRatably(total, { start: '2026-01-01', end: '2026-01-01' })).toThrow(
      'has no day (end is exclusive)',
    );
    expect(() => scheduleRatably(total, { start: '2026-02-01', end: '2026-01-01' })).toThrow(
      RangeError,
    );
    expect(() => scheduleRatably(total, year, ['2026-01', '2026-02'])).toThrow(
      'the periods cover 59 of the 365 days',
    );
    expect(() =>
      scheduleRatably(total, { start: '2026-01-01', end: '2026-03-01' }, ['2026-02', '2026-01']),
    ).toThrow('periods must be ascending and distinct');
    expect(() => scheduleRatably(total, year, ['2026-1'])).toThrow('not an accounting period');
    expect(() => scheduleRatably(total, { start: '2026-02-30', end: '2026-03-01' })).toThrow(
      RangeError,
    );
  });

  const servicePeriods = fc
    .tuple(
      fc.integer({ min: dayNumber('1999-12-01'), max: dayNumber('2101-01-01') }),
      fc.integer({ min: 1, max: 1500 }),
    )
    .map(([start, length]) => ({
      start: dateOfDayNumber(start),
      end: dateOfDayNumber(start + length),
    }));

  it('entries are rounded, add up exactly to the total and stay within a minor unit of their exact share', () => {
    fc.assert(
      fc.property(
        currencies,
        fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n }),
        servicePeriods,
        (currency, units, servicePeriod) => {
          const total = money(units, currency);
          const entries = scheduleRatably(total, servicePeriod);
          const serviceDays = daysBetween(servicePeriod.start, servicePeriod.end);
          const unit = unitOf(currency);
          return (
            Money.sum(
              entries.map((e) => e.amount),
              currency,
            ).equals(total) &&
            entries.reduce((a, e) => a + e.days, 0) === serviceDays &&
            entries.every((e) => {
              const exact = total.amount.times(e.days).dividedBy(serviceDays);
              return (
                e.amount.isRounded() &&
                e.amount.currency === currency &&
                e.amount.amount.minus(exact).abs().lt(unit) &&
                (e.amount.isZero() || e.amount.isNegative() === total.isNegative())
              );
            })
          );
        },
      ),
    );
  });
});

describe('allocateBySsp', () => {
  const item = (
    ref: string,
    ssp: string,
    currency = 'USD',
  ): { ref: string; standaloneSellingPrice: Money } => ({
    ref,
    standaloneSellingPrice: Money.of(ssp, currency),
  });
  const amounts = (
    total: Money,
    items: { ref: string; standaloneSellingPrice: Money }[],
  ): string[] => allocateBySsp(total, items).map((a) => a.allocated.toString());

  it('allocates a discounted bundle in proportion to the standalone selling prices', () => {
    expect(
      amounts(Money.of('1000.00', 'USD'), [
        item('license', '600'),
        item('support', '300'),
        item('training', '300'),
      ]),
    ).toEqual(['500.00', '250.00', '250.00']);
    const allocations = allocateBySsp(Money.of('1000.00', 'USD'), [
      item('license', '600'),
      item('support', '400'),
    ]);
    expect(
      allocations.map((a) => [a.ref, a.standaloneSellingPrice.toString(), a.allocated.toString()]),
    ).toEqual([
      ['license', '600.00', '600.00'],
      ['support', '400.00', '400.00'],
    ]);
  });

  it('breaks ties toward the earliest item and gives a zero SSP nothing', () => {
    expect(
      amounts(Money.of('100.00', 'USD'), [item('a', '1'), item('b', '1'), item('c', '1')]),
    ).toEqual(['33.34', '33.33', '33.33']);
    expect(
      amounts(Money.of('100.00', 'USD'), [item('a', '0'), item('b', '2.5'), item('c', '7.5')]),
    ).toEqual(['0.00', '25.00', '75.00']);
    expect(
      amounts(Money.of('-100', 'JPY'), [item('a', '1', 'JPY'), item('b', '2', 'JPY')]),
    ).toEqual(['-33', '-67']);
  });

  it('refuses what it cannot allocate', () => {
    const total = Money.of('100.00', 'USD');
    expect(() => allocateBySsp(total, [])).toThrow('at least one item');
    expect(() => allocateBySsp(total, [item('a', '1', 'EUR')])).toThrow(
      'the SSP of a is in EUR, the bundle in USD',
    );
    expect(() => allocateBySsp(total, [item('a', '-1'), item('b', '2')])).toThrow(
      'the SSP of a is negative',
    );
    expect(() => allocateBySsp(total, [item('a', '0'), item('b', '0')])).toThrow('all zero');
    expect(() => allocateBySsp(Money.of('100.005', 'USD'), [item('a', '1')])).toThrow(MoneyError);
  });

  it('allocations add up exactly to the bundle total and are proportional within one minor unit', () => {
    const ssps = fc
      .array(fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 6 })), {
        minLength: 1,
        maxLength: 12,
      })
      .filter((list) => list.some(([units]) => units > 0n));
    fc.assert(
      fc.property(
        currencies,
        fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n }),
        ssps,
        (currency, units, list) => {
          const total = money(units, currency);
          const items = list.map(([sspUnits, scale], i) => ({
            ref: `item-${i}`,
            standaloneSellingPrice: Money.of(sspUnits.toString(), currency).dividedBy(10 ** scale),
          }));
          const allocations = allocateBySsp(total, items);
          const sspTotal = Money.sum(
            items.map((x) => x.standaloneSellingPrice),
            currency,
          );
          const unit = unitOf(currency);
          return (
            Money.sum(
              allocations.map((a) => a.allocated),
              currency,
            ).equals(total) &&
            allocations.every((a, i) => {
              const exact = total.amount
                .times(a.standaloneSellingPrice.amount)
                .dividedBy(sspTotal.amount);
              return (
                a.ref === `item-${i}` &&
                a.allocated.isRounded() &&
                a.allocated.amount.minus(exact).abs().lt(unit) &&
                (!a.standaloneSellingPrice.isZero() || a.allocated.isZero())
              );
            })
          );
        },
      ),
    );
  });
});
