import type { Money } from '@revgate/canonical';

/**
 * A billing period as whole UTC calendar days: `start` inclusive, `end` exclusive, both `YYYY-MM-DD`.
 * January 2024 is { start: '2024-01-01', end: '2024-02-01' } (31 days).
 */
export interface BillingPeriod {
  readonly start: string;
  readonly end: string;
}

/** The days an amount pays for: `from` inclusive, `to` exclusive, both `YYYY-MM-DD`. */
export interface ServicePeriod {
  readonly from: string;
  readonly to: string;
}

/** A subscription item as proration sees it. */
export interface ProrationItem {
  /** Price of one unit for one whole billing period: a decimal string, may carry extra decimals. */
  readonly unitAmount: string;
  /** A non-negative decimal string. */
  readonly quantity: string;
}

/**
 * A change to one item from `effectiveDate` (inclusive) to the end of the period: an upgrade or a
 * downgrade (the unit amount changes), a quantity change (the quantity changes), or both at once.
 */
export interface ItemChange {
  readonly type: 'item_change';
  readonly effectiveDate: string;
  readonly from: ProrationItem;
  readonly to: ProrationItem;
}

/** Cancellation taking effect on `effectiveDate`: the unused days are credited. */
export interface CancelNow {
  readonly type: 'cancel_now';
  readonly effectiveDate: string;
  readonly item: ProrationItem;
}

/** Cancellation at the end of the period: the period is served in full, nothing is prorated. */
export interface CancelAtPeriodEnd {
  readonly type: 'cancel_at_period_end';
  readonly item: ProrationItem;
}

/** Renewal into `nextPeriod`, which must start where the current period ends: charged in full. */
export interface Renewal {
  readonly type: 'renewal';
  readonly nextPeriod: BillingPeriod;
  readonly item: ProrationItem;
}

/**
 * An item added mid-term and co-termed with the subscription: charged from `effectiveDate` to the
 * current period's end. Its unit amount is per billing period of this subscription.
 */
export interface CoTermAddition {
  readonly type: 'co_term_addition';
  readonly effectiveDate: string;
  readonly item: ProrationItem;
}

export type Amendment = ItemChange | CancelNow | CancelAtPeriodEnd | Renewal | CoTermAddition;
export type AmendmentType = Amendment['type'];

export interface ProrationRequest {
  readonly currency: string;
  /** The current billing period. */
  readonly period: BillingPeriod;
  readonly amendment: Amendment;
}

/** A line an invoice or a credit memo can carry. */
export interface ProrationLine {
  readonly kind: 'credit' | 'charge';
  readonly servicePeriod: ServicePeriod;
  readonly quantity: string;
  /** Full-period price of one unit, as given (not prorated, not rounded). */
  readonly unitAmount: Money;
  /** Days of `servicePeriod`, and of the whole billing period: the line prorates by days / periodDays. */
  readonly days: number;
  readonly periodDays: number;
  /** Rounded to the currency's minor units; negative for a credit. */
  readonly amount: Money;
}

export interface ProrationResult {
  readonly currency: string;
  readonly lines: readonly ProrationLine[];
  /** Sum of the lines' amounts: what the amendment nets to. */
  readonly total: Money;
}

/** How much of the period is left from an effective date: unusedDays / periodDays. */
export interface UnusedFraction {
  readonly unusedDays: number;
  readonly periodDays: number;
}
