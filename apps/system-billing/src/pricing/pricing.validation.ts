import type Decimal from 'decimal.js';
import { isCurrency, Money, MoneyDecimal } from '@revgate/canonical';
import { PricingError, PricingErrorCode } from './pricing.error';
import type {
  PerUnitPrice,
  PriceDefinition,
  PriceTier,
  TieredPrice,
  TiersMode,
  TransformQuantity,
} from './pricing.types';

/*
 * Input envelope. Inside it every product and sum the engine forms has at most 38 significant digits,
 * so MoneyDecimal's 40 digits keep every amount exact (quantity ≤ 18 digits × unit amount ≤ 19 digits;
 * totals < 10^22 with ≤ 16 decimals). Outside it the engine refuses instead of rounding silently.
 */
/** Quantities: up to 12 integer digits and 6 decimals. */
export const QUANTITY_PATTERN = /^(0|[1-9]\d{0,11})(\.\d{1,6})?$/;
/** Amounts multiplied by a quantity (unit and package amounts): up to 9 integer digits, 10 decimals. */
export const UNIT_AMOUNT_PATTERN = /^(0|[1-9]\d{0,8})(\.\d{1,10})?$/;
/** Amounts charged once (flat price, tier flat amount): up to 15 integer digits, 10 decimals. */
export const FLAT_AMOUNT_PATTERN = /^(0|[1-9]\d{0,14})(\.\d{1,10})?$/;
/** Package size: a positive integer of up to 12 digits (Stripe's `divide_by` is an integer). */
export const PACKAGE_SIZE_PATTERN = /^[1-9]\d{0,11}$/;

/** A validated tier: amounts as Money, `upTo` as a decimal (null = unbounded). */
export interface ParsedTier {
  readonly upTo: Decimal | null;
  readonly unitAmount: Money;
  readonly flatAmount: Money;
}

export interface ParsedPackaging {
  readonly size: Decimal;
  readonly round: TransformQuantity['round'];
}

/** A validated price definition, in the form the engine computes with. */
export type ParsedPrice =
  | { readonly billingScheme: 'flat'; readonly currency: string; readonly amount: Money }
  | {
      readonly billingScheme: 'per_unit';
      readonly currency: string;
      readonly unitAmount: Money;
      readonly packaging: ParsedPackaging | null;
      readonly included: Decimal;
    }
  | {
      readonly billingScheme: 'tiered';
      readonly currency: string;
      readonly tiersMode: TiersMode;
      readonly tiers: readonly ParsedTier[];
      readonly included: Decimal;
    };

function invalidPrice(path: string, detail: string): PricingError {
  return new PricingError(PricingErrorCode.PRICE_INVALID, path, detail);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : typeof value;
}

function parseDecimal(
  value: unknown,
  pattern: RegExp,
  path: string,
  code: PricingErrorCode,
  expected: string,
): Decimal {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new PricingError(code, path, `must be ${expected}, got ${describe(value)}`);
  }
  return new MoneyDecimal(value);
}

const QUANTITY_TEXT = 'a non-negative decimal string with up to 12 integer digits and 6 decimals';
const UNIT_AMOUNT_TEXT =
  'a non-negative decimal string with up to 9 integer digits and 10 decimals';
const FLAT_AMOUNT_TEXT =
  'a non-negative decimal string with up to 15 integer digits and 10 decimals';

/** Parses the quantity to price; refuses numbers (floats), signs, exponents and excess digits. */
export function parseQuantity(value: unknown, path = 'quantity'): Decimal {
  return parseDecimal(
    value,
    QUANTITY_PATTERN,
    path,
    PricingErrorCode.QUANTITY_INVALID,
    QUANTITY_TEXT,
  );
}

function parseUnitAmount(value: unknown, currency: string, path: string): Money {
  const amount = parseDecimal(
    value,
    UNIT_AMOUNT_PATTERN,
    path,
    PricingErrorCode.PRICE_INVALID,
    UNIT_AMOUNT_TEXT,
  );
  return Money.of(amount, currency);
}

function parseFlatAmount(value: unknown, currency: string, path: string): Money {
  const amount = parseDecimal(
    value,
    FLAT_AMOUNT_PATTERN,
    path,
    PricingErrorCode.PRICE_INVALID,
    FLAT_AMOUNT_TEXT,
  );
  return Money.of(amount, currency);
}

function parseIncluded(value: string | undefined): Decimal {
  if (value === undefined) return new MoneyDecimal(0);
  return parseDecimal(
    value,
    QUANTITY_PATTERN,
    'includedQuantity',
    PricingErrorCode.PRICE_INVALID,
    QUANTITY_TEXT,
  );
}

function parseCurrency(value: unknown): string {
  if (typeof value !== 'string' || !isCurrency(value)) {
    throw invalidPrice('currency', `must be an ISO 4217 currency code, got ${describe(value)}`);
  }
  return value;
}

function parsePackaging(transform: TransformQuantity | undefined): ParsedPackaging | null {
  if (transform === undefined) return null;
  const size = parseDecimal(
    transform.divideBy,
    PACKAGE_SIZE_PATTERN,
    'transformQuantity.divideBy',
    PricingErrorCode.PRICE_INVALID,
    'a positive integer string of up to 12 digits',
  );
  const round: unknown = transform.round;
  if (round !== 'up' && round !== 'down') {
    throw invalidPrice('transformQuantity.round', `must be "up" or "down", got ${describe(round)}`);
  }
  return { size, round };
}

function parseTierBound(tier: PriceTier, index: number, last: boolean): Decimal | null {
  const path = `tiers[${index}].upTo`;
  if (last) {
    if (tier.upTo !== null) throw invalidPrice(path, 'the last tier must be unbounded (null)');
    return null;
  }
  if (tier.upTo === null) throw invalidPrice(path, 'only the last tier may be unbounded');
  const upTo = parseDecimal(
    tier.upTo,
    QUANTITY_PATTERN,
    path,
    PricingErrorCode.PRICE_INVALID,
    QUANTITY_TEXT,
  );
  if (upTo.isZero()) throw invalidPrice(path, 'must be greater than 0');
  return upTo;
}

function parseTiers(tiers: readonly PriceTier[], currency: string): ParsedTier[] {
  const list: unknown = tiers;
  if (!Array.isArray(list) || tiers.length === 0) {
    throw invalidPrice('tiers', 'a tiered price needs at least one tier');
  }
  const parsed: ParsedTier[] = [];
  let previous: Decimal | null = null;
  tiers.forEach((tier, index) => {
    const upTo = parseTierBound(tier, index, index === tiers.length - 1);
    if (upTo !== null && previous !== null && upTo.lte(previous)) {
      throw invalidPrice(
        `tiers[${index}].upTo`,
        'tiers must be in strictly ascending order of upTo',
      );
    }
    previous = upTo;
    parsed.push({
      upTo,
      unitAmount: parseUnitAmount(tier.unitAmount, currency, `tiers[${index}].unitAmount`),
      flatAmount: parseFlatAmount(tier.flatAmount ?? '0', currency, `tiers[${index}].flatAmount`),
    });
  });
  return parsed;
}

function parseTiersMode(value: unknown): TiersMode {
  if (value !== 'graduated' && value !== 'volume') {
    throw invalidPrice('tiersMode', `must be "graduated" or "volume", got ${describe(value)}`);
  }
  return value;
}

function parsePerUnit(price: PerUnitPrice, currency: string): ParsedPrice {
  return {
    billingScheme: 'per_unit',
    currency,
    unitAmount: parseUnitAmount(price.unitAmount, currency, 'unitAmount'),
    packaging: parsePackaging(price.transformQuantity),
    included: parseIncluded(price.includedQuantity),
  };
}

function parseTiered(price: TieredPrice, currency: string): ParsedPrice {
  return {
    billingScheme: 'tiered',
    currency,
    tiersMode: parseTiersMode(price.tiersMode),
    tiers: parseTiers(price.tiers, currency),
    included: parseIncluded(price.includedQuantity),
  };
}

/** Validates a price definition and returns it in computable form; throws BILLING_PRICE_INVALID. */
export function parsePrice(price: PriceDefinition): ParsedPrice {
  const currency = parseCurrency(price.currency);
  switch (price.billingScheme) {
    case 'flat':
      return {
        billingScheme: 'flat',
        currency,
        amount: parseFlatAmount(price.amount, currency, 'amount'),
      };
    case 'per_unit':
      return parsePerUnit(price, currency);
    case 'tiered':
      return parseTiered(price, currency);
    default:
      return rejectScheme(price);
  }
}

/** Reached only by input that bypassed the types (a JSON body cast to PriceDefinition). */
function rejectScheme(price: never): never {
  const scheme = (price as { billingScheme?: unknown }).billingScheme;
  throw invalidPrice(
    'billingScheme',
    `must be "flat", "per_unit" or "tiered", got ${describe(scheme)}`,
  );
}

/** Throws a PricingError (BILLING_PRICE_INVALID) when the definition cannot be priced. */
export function validatePrice(price: PriceDefinition): void {
  parsePrice(price);
}
