/** Stable error codes of the pricing engine (part of the billing domain's codes). */
export enum PricingErrorCode {
  /** The price definition is malformed: currency, amounts, tiers, package size or included quantity. */
  PRICE_INVALID = 'BILLING_PRICE_INVALID',
  /** The quantity to price is not a non-negative decimal string within the supported range. */
  QUANTITY_INVALID = 'BILLING_QUANTITY_INVALID',
}

/**
 * A refusal of the pricing engine. `path` names the offending field of the input (for example
 * `tiers[2].upTo` or `quantity`) so an API can point the caller at it.
 */
export class PricingError extends Error {
  override name = 'PricingError';

  constructor(
    readonly code: PricingErrorCode,
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}
