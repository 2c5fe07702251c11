import fc from 'fast-check';
import { DEFAULT_ROUNDING, minorUnits, Money, MoneyError, roundMoney } from './money';

const currencies = fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'CLF');
/** Decimal strings with up to 8 decimals, signed, as callers send them. */
const amounts = fc
  .tuple(
    fc.bigInt({ min: -1_000_000_000_000n, max: 1_000_000_000_000n }),
    fc.integer({ min: 0, max: 8 }),
  )
  .map(([units, scale]) => {
    const negative = units < 0n;
    const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
    const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    return negative ? `-${text}` : text;
  });

describe('Money', () => {
  it('declares half-up as the rounding rule and rounds ties away from zero', () => {
    expect(DEFAULT_ROUNDING).toBe('half_up');
    expect(Money.of('0.125', 'USD').round().toString()).toBe('0.13');
    expect(Money.of('-0.125', 'USD').round().toString()).toBe('-0.13');
    expect(Money.of('0.125', 'USD').round('half_even').toString()).toBe('0.12');
    expect(roundMoney('2.5', 'JPY')).toBe('3');
    expect(roundMoney('1.0005', 'KWD')).toBe('1.001');
  });

  it('knows ISO 4217 minor units', () => {
    expect([
      minorUnits('USD'),
      minorUnits('JPY'),
      minorUnits('KWD'),
      minorUnits('CLF'),
      minorUnits('EUR'),
    ]).toEqual([2, 0, 3, 4, 2]);
  });

  it('refuses unknown currencies, lower case, non-numbers and mixing currencies', () => {
    expect(() => Money.of('1', 'XYZ')).toThrow(MoneyError);
    expect(() => Money.of('1', 'usd')).toThrow(MoneyError);
    expect(() => Money.of('abc', 'USD')).toThrow(MoneyError);
    expect(() => Money.of('Infinity', 'USD')).toThrow(MoneyError);
    expect(() => Money.of('1', 'USD').plus(Money.of('1', 'EUR'))).toThrow(
      'cannot combine USD with EUR',
    );
  });

  it('is exact where floats are not', () => {
    expect(Money.of('0.1', 'USD').plus(Money.of('0.2', 'USD')).equals(Money.of('0.3', 'USD'))).toBe(
      true,
    );
    expect(Money.of('1.10', 'USD').times(3).toString()).toBe('3.30');
  });

  it('serializes with exactly the currency decimals once rounded', () => {
    expect(JSON.stringify(Money.of('12.3', 'USD').round())).toBe(
      '{"amount":"12.30","currency":"USD"}',
    );
    expect(Money.of('1200', 'JPY').toString()).toBe('1200');
    expect(Money.of('0.333', 'USD').toString()).toBe('0.333');
  });

  it('rounding: never more decimals than the currency allows, within half a minor unit, idempotent', () => {
    fc.assert(
      fc.property(amounts, currencies, (a, c) => {
        const m = Money.of(a, c);
        const r = m.round();
        const half = Money.of(1, c)
          .dividedBy(10 ** minorUnits(c))
          .dividedBy(2);
        return r.isRounded() && r.minus(m).amount.abs().lte(half.amount) && r.round().equals(r);
      }),
    );
  });

  it('allocation: parts are rounded and add up exactly to the rounded whole', () => {
    fc.assert(
      fc.property(
        amounts,
        currencies,
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }),
        (a, c, ratios) => {
          fc.pre(ratios.some((r) => r > 0));
          const whole = Money.of(a, c);
          const parts = whole.allocate(ratios);
          return (
            parts.length === ratios.length &&
            parts.every((p) => p.isRounded()) &&
            Money.sum(parts, c).equals(whole.round())
          );
        },
      ),
    );
  });

  it('allocation gives zero-weight parts nothing and splits 100.00 in three as 33.34, 33.33, 33.33', () => {
    expect(Money.of('100', 'USD').allocate([1, 1, 1]).map(String)).toEqual([
      '33.34',
      '33.33',
      '33.33',
    ]);
    expect(Money.of('10', 'USD').allocate([0, 1]).map(String)).toEqual(['0.00', '10.00']);
    expect(() => Money.of('10', 'USD').allocate([0, 0])).toThrow(MoneyError);
  });
});
