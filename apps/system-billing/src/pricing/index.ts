/** Pricing engine: the public surface. The pricing rules are declared at the top of pricing.engine.ts. */
export { priceQuantity } from './pricing.engine';
export { validatePrice } from './pricing.validation';
export { PricingError, PricingErrorCode } from './pricing.error';
export type {
  BillingScheme,
  FlatPrice,
  PerUnitPrice,
  PriceCalculation,
  PriceComponent,
  PriceComponentKind,
  PriceDefinition,
  PriceTier,
  TieredPrice,
  TiersMode,
  TransformQuantity,
} from './pricing.types';
