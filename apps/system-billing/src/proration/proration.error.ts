/** Stable error codes of the proration engine (part of the billing domain's codes). */
export enum ProrationErrorCode {
  CURRENCY_INVALID = 'BILLING_CURRENCY_INVALID',
  /** A date is not a real calendar day written YYYY-MM-DD. */
  DATE_INVALID = 'BILLING_DATE_INVALID',
  /** A billing period is empty or reversed, or a renewal period does not follow the current one. */
  PERIOD_INVALID = 'BILLING_PERIOD_INVALID',
  /** The effective date (or span) lies outside the billing period. */
  DATE_OUTSIDE_PERIOD = 'BILLING_PRORATION_DATE_OUTSIDE_PERIOD',
  AMOUNT_INVALID = 'BILLING_AMOUNT_INVALID',
  QUANTITY_INVALID = 'BILLING_QUANTITY_INVALID',
  AMENDMENT_INVALID = 'BILLING_AMENDMENT_INVALID',
}

/**
 * A refusal of the proration engine. `path` names the offending field of the request (for example
 * `amendment.effectiveDate`) so an API can point the caller at it.
 */
export class ProrationError extends Error {
  override name = 'ProrationError';

  constructor(
    readonly code: ProrationErrorCode,
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}
