/**
 * Pricing engine: what a quantity costs for one period under a price definition. Pure and exact:
 * decimal arithmetic only (MoneyDecimal), rounding once, at the end, half-up to the currency.
 *
 * Models (Stripe's Price semantics, amounts in major units):
 * - flat: `amount` per period, whatever the quantity (a flat price takes no included quantity).
 * - per_unit: billable × `unitAmount`.
 * - package (per_unit with `transformQuantity`): packages = billable ÷ `divideBy`, rounded up or down
 *   to a whole number as `round` says; amount = packages × `unitAmount`.
 * - tiered graduated: tier i holds the units in (upTo[i−1], upTo[i]] (upTo[−1] = 0, bounds inclusive
 *   as Stripe's `up_to`); each tier prices the units inside it at its `unitAmount`, plus its
 *   `flatAmount` once if it holds any part of a unit.
 * - tiered volume: the tier whose range holds the billable quantity prices every billable unit at its
 *   `unitAmount`, plus its `flatAmount`.
 *
 * Included quantity (Revgate's, on per_unit, package and tiered prices) — the declared rule:
 *   billable = max(0, quantity − includedQuantity), and the model prices `billable` exactly as if it
 *   were the whole quantity. The allowance comes off first; tiers, packages and volume selection then
 *   count billable units only, so a tier's `upTo` is a number of units beyond the allowance ("10,000
 *   calls included, then the next 90,000 at 0.002, then 0.001"). To have tiers count every unit
 *   instead, leave includedQuantity out and make the first graduated tier free (unitAmount "0").
 * Zero billable units cost nothing under every quantity model: no tier is entered, so no tier's flat
 * amount is charged (a fee due even without usage is a separate flat price). Hence an included
 * quantity at or above the quantity always prices to 0.
 *
 * Inputs outside the envelope declared in pricing.validation.ts (sizes of quantities and amounts) are
 * refused, so that every amount above stays exact within MoneyDecimal's 40 significant digits.
 */
import type Decimal from 'decimal.js';
import { DEFAULT_ROUNDING, Money, MoneyDecimal } from '@revgate/canonical';
import type { PriceCalculation, PriceComponent, PriceDefinition } from './pricing.types';
import { parsePrice, parseQuantity } from './pricing.validation';
import type { ParsedPackaging, ParsedPrice, ParsedTier } from './pricing.validation';

/** Prices `quantity` (a non-negative decimal string) for one period under `price`. */
export function priceQuantity(price: PriceDefinition, quantity: string): PriceCalculation {
  const parsed = parsePrice(price);
  const total = parseQuantity(quantity);
  const included =
    parsed.billingScheme === 'flat' ? zero() : MoneyDecimal.min(parsed.included, total);
  const billable = total.minus(included);
  const breakdown = priceBillable(parsed, billable);
  const amount = Money.sum(
    breakdown.map((line) => line.subtotal),
    parsed.currency,
  );
  return {
    currency: parsed.currency,
    quantity,
    includedQuantity: included.toFixed(),
    billableQuantity: billable.toFixed(),
    amount,
    roundedAmount: amount.round(DEFAULT_ROUNDING),
    breakdown,
  };
}

function priceBillable(price: ParsedPrice, billable: Decimal): PriceComponent[] {
  switch (price.billingScheme) {
    case 'flat':
      return [component('flat', null, billable, Money.zero(price.currency), price.amount)];
    case 'per_unit':
      return price.packaging === null
        ? perUnitLines(price.unitAmount, billable)
        : packageLines(price.unitAmount, price.packaging, billable);
    case 'tiered':
      return price.tiersMode === 'graduated'
        ? graduatedLines(price.tiers, billable)
        : volumeLines(price.tiers, billable);
  }
}

function perUnitLines(unitAmount: Money, billable: Decimal): PriceComponent[] {
  if (billable.isZero()) return [];
  return [component('unit', null, billable, unitAmount, Money.zero(unitAmount.currency))];
}

/** Whole packages for `units`, rounded as the price says; exact (integer division and remainder). */
function packageCount(units: Decimal, packaging: ParsedPackaging): Decimal {
  const whole = units.divToInt(packaging.size);
  const partial = !units.mod(packaging.size).isZero();
  return packaging.round === 'up' && partial ? whole.plus(1) : whole;
}

function packageLines(
  packagePrice: Money,
  packaging: ParsedPackaging,
  billable: Decimal,
): PriceComponent[] {
  const packages = packageCount(billable, packaging);
  if (packages.isZero()) return [];
  return [component('package', null, packages, packagePrice, Money.zero(packagePrice.currency))];
}

function graduatedLines(tiers: readonly ParsedTier[], billable: Decimal): PriceComponent[] {
  const lines: PriceComponent[] = [];
  let lower = zero();
  for (const [index, tier] of tiers.entries()) {
    if (billable.lte(lower)) break;
    const top = tier.upTo === null ? billable : MoneyDecimal.min(billable, tier.upTo);
    lines.push(tierLine(index, tier, top.minus(lower)));
    if (tier.upTo === null) break;
    lower = tier.upTo;
  }
  return lines;
}

function volumeLines(tiers: readonly ParsedTier[], billable: Decimal): PriceComponent[] {
  if (billable.isZero()) return [];
  for (const [index, tier] of tiers.entries()) {
    if (tier.upTo === null || billable.lte(tier.upTo)) return [tierLine(index, tier, billable)];
  }
  // Unreachable: validation makes the last tier unbounded, so some tier always holds the quantity.
  throw new Error('tiered price without an unbounded last tier');
}

function tierLine(index: number, tier: ParsedTier, quantity: Decimal): PriceComponent {
  return component('tier', index, quantity, tier.unitAmount, tier.flatAmount);
}

function component(
  kind: PriceComponent['kind'],
  tierIndex: number | null,
  quantity: Decimal,
  unitAmount: Money,
  flatAmount: Money,
): PriceComponent {
  return {
    kind,
    tierIndex,
    quantity: quantity.toFixed(),
    unitAmount,
    flatAmount,
    subtotal: unitAmount.times(quantity).plus(flatAmount),
  };
}

function zero(): Decimal {
  return new MoneyDecimal(0);
}
