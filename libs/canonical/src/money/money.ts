import Decimal from 'decimal.js';
import isISO4217 from 'validator/lib/isISO4217';

/**
 * Decimal arithmetic for money: 40 significant digits, never a binary float. Rounding happens only
 * where the model says so, with a declared rule.
 */
export const MoneyDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type DecimalValue = Decimal.Value;

/**
 * How amounts are rounded to a currency's minor units. Revgate's declared rule is half-up (away from
 * zero on a tie: 0.125 → 0.13, −0.125 → −0.13), as invoices and most tax authorities do; half-even is
 * available where a counterpart requires it.
 */
export type RoundingRule = 'half_up' | 'half_even';
export const DEFAULT_ROUNDING: RoundingRule = 'half_up';
const DECIMAL_ROUNDING: Record<RoundingRule, Decimal.Rounding> = {
  half_up: Decimal.ROUND_HALF_UP,
  half_even: Decimal.ROUND_HALF_EVEN,
};

/** ISO 4217 minor units that are not 2 (the ISO 4217 list, "Minor unit" column). */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && isISO4217(code);
}

/** Decimal places of the currency's minor unit (USD 2, JPY 0, KWD 3). */
export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

/** Rounds to the currency's minor units and formats with exactly that many decimals. */
export function roundMoney(
  amount: DecimalValue,
  currency: string,
  rule: RoundingRule = DEFAULT_ROUNDING,
): string {
  const places = minorUnits(currency);
  return new MoneyDecimal(amount).toDecimalPlaces(places, DECIMAL_ROUNDING[rule]).toFixed(places);
}

export class MoneyError extends Error {
  override name = 'MoneyError';
}

/**
 * An amount in a currency. Immutable; arithmetic is exact until `round()`; two currencies never mix.
 * On the wire it is `{ amount: "12.30", currency: "USD" }`.
 */
export class Money {
  private constructor(
    readonly amount: Decimal,
    readonly currency: string,
  ) {}

  static of(amount: DecimalValue, currency: string): Money {
    if (!isCurrency(currency)) throw new MoneyError(`${currency} is not an ISO 4217 currency code`);
    let value: Decimal;
    try {
      value = new MoneyDecimal(amount);
    } catch {
      throw new MoneyError(`${String(amount)} is not a decimal amount`);
    }
    if (!value.isFinite()) throw new MoneyError(`${String(amount)} is not a finite amount`);
    return new Money(value, currency);
  }

  static zero(currency: string): Money {
    return Money.of(0, currency);
  }

  /** Sum of amounts in one currency (zero when empty). */
  static sum(items: readonly Money[], currency: string): Money {
    return items.reduce((acc, m) => acc.plus(m), Money.zero(currency));
  }

  private same(other: Money): void {
    if (other.currency !== this.currency) {
      throw new MoneyError(`cannot combine ${this.currency} with ${other.currency}`);
    }
  }

  plus(other: Money): Money {
    this.same(other);
    return new Money(this.amount.plus(other.amount), this.currency);
  }

  minus(other: Money): Money {
    this.same(other);
    return new Money(this.amount.minus(other.amount), this.currency);
  }

  times(factor: DecimalValue): Money {
    return new Money(this.amount.times(factor), this.currency);
  }

  dividedBy(divisor: DecimalValue): Money {
    return new Money(this.amount.dividedBy(divisor), this.currency);
  }

  negated(): Money {
    return new Money(this.amount.negated(), this.currency);
  }

  round(rule: RoundingRule = DEFAULT_ROUNDING): Money {
    return new Money(
      this.amount.toDecimalPlaces(minorUnits(this.currency), DECIMAL_ROUNDING[rule]),
      this.currency,
    );
  }

  /** True when the amount has no more decimals than the currency allows. */
  isRounded(): boolean {
    return this.amount.decimalPlaces() <= minorUnits(this.currency);
  }

  isZero(): boolean {
    return this.amount.isZero();
  }

  isNegative(): boolean {
    return this.amount.isNegative() && !this.amount.isZero();
  }

  compare(other: Money): -1 | 0 | 1 {
    this.same(other);
    return this.amount.comparedTo(other.amount) as -1 | 0 | 1;
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.amount.equals(other.amount);
  }

  /**
   * Splits a rounded amount by ratios so the parts are rounded and add up exactly (largest remainder:
   * the cents left over go to the parts that lost the most to rounding, ties to the earliest).
   */
  allocate(ratios: readonly DecimalValue[]): Money[] {
    if (ratios.length === 0) throw new MoneyError('allocate needs at least one ratio');
    const weights = ratios.map((r) => new MoneyDecimal(r));
    if (weights.some((w) => w.isNegative()))
      throw new MoneyError('allocation ratios must not be negative');
    const total = weights.reduce((a, w) => a.plus(w), new MoneyDecimal(0));
    if (total.isZero()) throw new MoneyError('allocation ratios must not all be zero');
    const whole = this.round();
    const places = minorUnits(this.currency);
    const unit = new MoneyDecimal(10).pow(-places).times(whole.amount.isNegative() ? -1 : 1);
    const exact = weights.map((w) => whole.amount.times(w).dividedBy(total));
    const parts = exact.map((e) => e.toDecimalPlaces(places, Decimal.ROUND_DOWN));
    let left = whole.amount.minus(parts.reduce((a, p) => a.plus(p), new MoneyDecimal(0)));
    const order = exact
      .map((e, i) => ({ i, lost: e.minus(parts[i] ?? 0).abs() }))
      .sort((a, b) => b.lost.comparedTo(a.lost) || a.i - b.i);
    for (const { i } of order) {
      if (left.isZero()) break;
      parts[i] = (parts[i] ?? new MoneyDecimal(0)).plus(unit);
      left = left.minus(unit);
    }
    return parts.map((p) => new Money(p, this.currency));
  }

  /** The amount as a plain decimal string (exactly the currency's decimals once rounded). */
  toString(): string {
    return this.isRounded()
      ? this.amount.toFixed(minorUnits(this.currency))
      : this.amount.toFixed();
  }

  toJSON(): { amount: string; currency: string } {
    return { amount: this.toString(), currency: this.currency };
  }
}
