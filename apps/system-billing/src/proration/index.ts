/** Proration engine: the public surface. The proration rule is declared at the top of proration.engine.ts. */
export { chargeForSpan, prorate, unusedFraction } from './proration.engine';
export { ProrationError, ProrationErrorCode } from './proration.error';
export type {
  Amendment,
  AmendmentType,
  BillingPeriod,
  CancelAtPeriodEnd,
  CancelNow,
  CoTermAddition,
  ItemChange,
  ProrationItem,
  ProrationLine,
  ProrationRequest,
  ProrationResult,
  Renewal,
  ServicePeriod,
  UnusedFraction,
} from './proration.types';
