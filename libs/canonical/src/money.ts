import Decimal from 'decimal.js';

/** Decimal arithmetic for money: 40 significant digits, banker's rounding never implied. */
export const MoneyDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/** A non-negative decimal string with at most `scale` fraction digits: "12", "12.5", "0.0001". */
export const DECIMAL_PATTERN = /^(0|[1-9]\d{0,14})(\.\d{1,10})?$/;

/** ISO 4217 minor units for the currencies the gateway handles; others default to 2. */
const MINOR_UNITS: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  CLP: 0,
  ISK: 0,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  TND: 3,
  JOD: 3,
};

export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

/** Rounds half-up to the currency's minor units and formats with exactly that many decimals. */
export function roundMoney(amount: Decimal.Value, currency: string): string {
  return new MoneyDecimal(amount)
    .toDecimalPlaces(minorUnits(currency), Decimal.ROUND_HALF_UP)
    .toFixed(minorUnits(currency));
}
