import type { Money } from '@revgate/canonical';

/**
 * Price definitions, shaped after Stripe's Price object (`billing_scheme`, `tiers_mode`, `tiers`,
 * `transform_quantity`) with two Revgate additions: a `flat` scheme and an included quantity.
 *
 * Every amount is a decimal string in the currency's major unit ("0.0015" USD, never a float and never
 * Stripe's integer minor units); every quantity is a non-negative decimal string.
 */
export type PriceDefinition = FlatPrice | PerUnitPrice | TieredPrice;

export type BillingScheme = PriceDefinition['billingScheme'];

/** A fixed amount per period whatever the quantity. */
export interface FlatPrice {
  readonly currency: string;
  readonly billingScheme: 'flat';
  readonly amount: string;
}

/**
 * `unitAmount` per unit, or per package of `transformQuantity.divideBy` units when
 * `transformQuantity` is set (package pricing, Stripe's `transform_quantity`).
 */
export interface PerUnitPrice {
  readonly currency: string;
  readonly billingScheme: 'per_unit';
  readonly unitAmount: string;
  readonly transformQuantity?: TransformQuantity;
  /** The first units of every period are free; see the rule in pricing.engine.ts. */
  readonly includedQuantity?: string;
}

/** Package pricing: the quantity is divided by `divideBy` (a positive integer) and rounded. */
export interface TransformQuantity {
  readonly divideBy: string;
  readonly round: 'up' | 'down';
}

export type TiersMode = 'graduated' | 'volume';

export interface TieredPrice {
  readonly currency: string;
  readonly billingScheme: 'tiered';
  readonly tiersMode: TiersMode;
  /** Ascending by `upTo`; the last tier is unbounded (`upTo: null`, Stripe's `inf`). */
  readonly tiers: readonly PriceTier[];
  /** The first units of every period are free; see the rule in pricing.engine.ts. */
  readonly includedQuantity?: string;
}

export interface PriceTier {
  /** Upper bound of the tier, inclusive (Stripe's `up_to`); null for the last, unbounded tier. */
  readonly upTo: string | null;
  readonly unitAmount: string;
  /** Charged once for the tier when it prices at least part of a unit (Stripe's `flat_amount`). */
  readonly flatAmount?: string;
}

/** What one line of the breakdown prices. */
export type PriceComponentKind = 'flat' | 'unit' | 'package' | 'tier';

/**
 * One line of a price calculation, as an invoice line can show it:
 * `subtotal = quantity × unitAmount + flatAmount`, exact.
 */
export interface PriceComponent {
  readonly kind: PriceComponentKind;
  /** Index of the tier in the price's `tiers`; null when the price has no tiers. */
  readonly tierIndex: number | null;
  /** Units priced by this line; for package pricing, the number of packages. */
  readonly quantity: string;
  readonly unitAmount: Money;
  readonly flatAmount: Money;
  readonly subtotal: Money;
}

export interface PriceCalculation {
  readonly currency: string;
  /** The quantity priced, as given. */
  readonly quantity: string;
  /** The part of the quantity the included quantity made free: min(included, quantity). */
  readonly includedQuantity: string;
  /** What the price model priced: max(0, quantity − included). */
  readonly billableQuantity: string;
  /** Exact amount: the sum of the breakdown's subtotals, not rounded. */
  readonly amount: Money;
  /** `amount` rounded half-up to the currency's minor units. */
  readonly roundedAmount: Money;
  readonly breakdown: readonly PriceComponent[];
}
