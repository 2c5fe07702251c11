import { MoneyDecimal, roundMoney } from '@revgate/canonical';

export interface LinePricing {
  /** decimal string */
  quantity: string;
  /** decimal string */
  unitPrice: string;
  /** decimal string, percent 0–100 */
  discountPercent: string;
}

/** The sandbox stores amounts as numeric(24,4): at most 20 digits before the point. */
const AMOUNT_LIMIT = new MoneyDecimal('1e20');

/** quantity × unitPrice × (1 − discount/100), rounded half-up to the currency's minor units. */
export function lineTotal(line: LinePricing, currency: string): string {
  const gross = new MoneyDecimal(line.quantity).times(line.unitPrice);
  const net = gross.times(new MoneyDecimal(100).minus(line.discountPercent)).dividedBy(100);
  return roundMoney(net, currency);
}

/** The opportunity amount: the sum of the (already rounded) line totals, in the currency's minor units. */
export function sumOfTotals(totals: readonly string[], currency: string): string {
  return roundMoney(
    totals.reduce((acc, t) => acc.plus(t), new MoneyDecimal(0)),
    currency,
  );
}

/** True when the amount fits the sandbox's amount columns. */
export function fitsAmountColumn(amount: string): boolean {
  return new MoneyDecimal(amount).abs().lessThan(AMOUNT_LIMIT);
}
