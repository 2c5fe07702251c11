import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CURRENCY_CODE } from '../money/money.dto';
import {
  BILLING_EXTERNAL_ID,
  BILLING_EXTERNAL_ID_MESSAGE,
  BILLING_QUANTITY,
  BILLING_FLAT_AMOUNT,
  BILLING_FLAT_AMOUNT_MESSAGE,
  BILLING_QUANTITY_MESSAGE,
  BILLING_UNIT_AMOUNT,
  BILLING_UNIT_AMOUNT_MESSAGE,
} from './billing-common.dto';

export const PRICE_TYPES = ['recurring', 'one_time'] as const;
export type PriceType = (typeof PRICE_TYPES)[number];
/** How often a recurring price bills: a subscription bills monthly or annually. */
export const BILLING_INTERVALS = ['month', 'year'] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];
/** licensed: billed for the subscribed quantity each period; metered: billed for usage reported. */
export const USAGE_TYPES = ['licensed', 'metered'] as const;
export type UsageType = (typeof USAGE_TYPES)[number];
export const BILLING_SCHEMES = ['flat', 'per_unit', 'tiered'] as const;
export type PriceBillingScheme = (typeof BILLING_SCHEMES)[number];
export const TIERS_MODES = ['graduated', 'volume'] as const;
export type PriceTiersMode = (typeof TIERS_MODES)[number];
/** A meter's name, as Stripe's billing meter event_name. */
export const METER_NAME = /^[a-z0-9][a-z0-9_.-]{0,99}$/;
export const MAX_PRICE_TIERS = 50;

const CURRENCY_MESSAGE = 'currency must be an ISO 4217 code in capitals, such as USD or EUR';

export class PriceTierDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Upper bound of the tier in units, inclusive (Stripe up_to); null for the last, unbounded tier',
    example: '1000',
  })
  @ValidateIf((tier: PriceTierDto) => tier.upTo !== null)
  @Matches(BILLING_QUANTITY, {
    message: `upTo ${BILLING_QUANTITY_MESSAGE}, or null for the last tier`,
  })
  upTo!: string | null;

  @ApiProperty({ description: 'Price of each unit in the tier', example: '0.002' })
  @Matches(BILLING_UNIT_AMOUNT, { message: `unitAmount ${BILLING_UNIT_AMOUNT_MESSAGE}` })
  unitAmount!: string;

  @ApiPropertyOptional({
    description: 'Charged once when the tier prices any part of a unit (Stripe flat_amount)',
    example: '0',
  })
  @IsOptional()
  @Matches(BILLING_FLAT_AMOUNT, { message: `flatAmount ${BILLING_FLAT_AMOUNT_MESSAGE}` })
  flatAmount?: string;
}

/** Package pricing (Stripe transform_quantity): the quantity is counted in packages of divideBy. */
export class TransformQuantityDto {
  @ApiProperty({ description: 'Units per package, a positive integer string', example: '1000' })
  @Matches(/^[1-9]\d{0,11}$/, {
    message: 'divideBy must be a positive integer string of up to 12 digits',
  })
  divideBy!: string;

  @ApiProperty({ enum: ['up', 'down'], description: 'How a partial package counts' })
  @IsIn(['up', 'down'], { message: 'round must be up or down' })
  round!: 'up' | 'down';
}

/**
 * A price of a product (Stripe's Price): the currency, how often it bills, and the model that turns
 * a quantity into an amount — flat, per unit (or per package), or tiered (graduated or volume) —
 * with an optional included quantity. Amounts are decimal strings in the currency's major unit and
 * may carry more decimals than the currency ("0.0015"); invoices round once, per line.
 */
export class CreateBillingPriceRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'productId must be a UUID' })
  productId!: string;

  @ApiPropertyOptional({ description: 'Your id for the price, unique', example: 'PLAT-PRO-USD-M' })
  @IsOptional()
  @Matches(BILLING_EXTERNAL_ID, { message: BILLING_EXTERNAL_ID_MESSAGE })
  externalId?: string;

  @ApiPropertyOptional({ example: 'Pro, monthly', maxLength: 255 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  nickname?: string;

  @ApiProperty({ description: 'ISO 4217, in capitals', example: 'USD' })
  @Matches(CURRENCY_CODE, { message: CURRENCY_MESSAGE })
  @IsISO4217CurrencyCode({ message: CURRENCY_MESSAGE })
  currency!: string;

  @ApiProperty({ enum: PRICE_TYPES })
  @IsIn(PRICE_TYPES, { message: `type must be one of ${PRICE_TYPES.join(', ')}` })
  type!: PriceType;

  @ApiPropertyOptional({ enum: BILLING_INTERVALS, description: 'Required for a recurring price' })
  @IsOptional()
  @IsIn(BILLING_INTERVALS, { message: `interval must be one of ${BILLING_INTERVALS.join(', ')}` })
  interval?: BillingInterval;

  @ApiPropertyOptional({
    enum: USAGE_TYPES,
    description: 'Recurring prices only',
    default: 'licensed',
  })
  @IsOptional()
  @IsIn(USAGE_TYPES, { message: `usageType must be one of ${USAGE_TYPES.join(', ')}` })
  usageType?: UsageType;

  @ApiPropertyOptional({
    description: 'The meter a metered price bills (Stripe billing meter event_name)',
    example: 'api_calls',
  })
  @IsOptional()
  @Matches(METER_NAME, {
    message:
      'meter must be 1–100 lower-case letters, digits, _ . or -, starting with a letter or digit',
  })
  meter?: string;

  @ApiProperty({ enum: BILLING_SCHEMES })
  @IsIn(BILLING_SCHEMES, { message: `billingScheme must be one of ${BILLING_SCHEMES.join(', ')}` })
  billingScheme!: PriceBillingScheme;

  @ApiPropertyOptional({ description: 'flat: the amount per period', example: '99.00' })
  @IsOptional()
  @Matches(BILLING_FLAT_AMOUNT, { message: `amount ${BILLING_FLAT_AMOUNT_MESSAGE}` })
  amount?: string;

  @ApiPropertyOptional({
    description: 'per_unit: the price per unit (per package)',
    example: '12.50',
  })
  @IsOptional()
  @Matches(BILLING_UNIT_AMOUNT, { message: `unitAmount ${BILLING_UNIT_AMOUNT_MESSAGE}` })
  unitAmount?: string;

  @ApiPropertyOptional({ type: TransformQuantityDto, description: 'per_unit: package pricing' })
  @IsOptional()
  @IsObject({ message: 'transformQuantity must be an object' })
  @ValidateNested()
  @Type(() => TransformQuantityDto)
  transformQuantity?: TransformQuantityDto;

  @ApiPropertyOptional({ enum: TIERS_MODES, description: 'tiered: graduated or volume' })
  @IsOptional()
  @IsIn(TIERS_MODES, { message: `tiersMode must be one of ${TIERS_MODES.join(', ')}` })
  tiersMode?: PriceTiersMode;

  @ApiPropertyOptional({
    type: [PriceTierDto],
    description: 'tiered: ascending by upTo, the last unbounded',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'tiers must have at least one tier' })
  @ArrayMaxSize(MAX_PRICE_TIERS, { message: `tiers must have at most ${MAX_PRICE_TIERS} tiers` })
  @ValidateNested({ each: true })
  @Type(() => PriceTierDto)
  tiers?: PriceTierDto[];

  @ApiPropertyOptional({
    description:
      'per_unit and tiered: units free every period; the rest is priced as if it were the whole quantity',
    example: '10000',
  })
  @IsOptional()
  @Matches(BILLING_QUANTITY, { message: `includedQuantity ${BILLING_QUANTITY_MESSAGE}` })
  includedQuantity?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export interface PriceRequestProblem {
  pointer: string;
  detail: string;
}

/**
 * The rules between fields of a price request that field validation cannot see: which fields
 * belong to which billing scheme and price type. The pricing engine checks the model itself (tier
 * order, the unbounded last tier). Empty when the request is consistent.
 */
export function priceRequestProblems(request: CreateBillingPriceRequest): PriceRequestProblem[] {
  const problems: PriceRequestProblem[] = [];
  const need = (field: keyof CreateBillingPriceRequest, why: string): void => {
    if (request[field] === undefined)
      problems.push({ pointer: `/${field}`, detail: `${field} is required ${why}` });
  };
  const forbid = (field: keyof CreateBillingPriceRequest, why: string): void => {
    if (request[field] !== undefined)
      problems.push({ pointer: `/${field}`, detail: `${field} is not allowed ${why}` });
  };
  const scheme = request.billingScheme;
  if (scheme === 'flat') {
    need('amount', 'for a flat price');
    for (const f of [
      'unitAmount',
      'transformQuantity',
      'tiersMode',
      'tiers',
      'includedQuantity',
    ] as const)
      forbid(f, 'for a flat price');
  } else if (scheme === 'per_unit') {
    need('unitAmount', 'for a per_unit price');
    for (const f of ['amount', 'tiersMode', 'tiers'] as const) forbid(f, 'for a per_unit price');
  } else {
    need('tiersMode', 'for a tiered price');
    need('tiers', 'for a tiered price');
    for (const f of ['amount', 'unitAmount', 'transformQuantity'] as const)
      forbid(f, 'for a tiered price');
  }
  if (request.type === 'recurring') {
    need('interval', 'for a recurring price');
    if (request.usageType === 'metered') need('meter', 'for a metered price');
    else forbid('meter', 'unless usageType is metered');
  } else {
    for (const f of ['interval', 'usageType', 'meter'] as const) forbid(f, 'for a one_time price');
  }
  if (request.usageType === 'metered' && scheme === 'flat')
    problems.push({
      pointer: '/billingScheme',
      detail: 'a metered price is priced per unit or in tiers, not flat',
    });
  return problems;
}

export class PriceTierResponse {
  @ApiProperty({ type: String, nullable: true, example: '1000' })
  upTo!: string | null;

  @ApiProperty({ example: '0.002' })
  unitAmount!: string;

  @ApiPropertyOptional({ example: '0' })
  flatAmount?: string;
}

export class BillingPriceResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  productId!: string;

  @ApiPropertyOptional()
  externalId?: string;

  @ApiPropertyOptional()
  nickname?: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ enum: PRICE_TYPES })
  type!: PriceType;

  @ApiPropertyOptional({ enum: BILLING_INTERVALS })
  interval?: BillingInterval;

  @ApiPropertyOptional({ enum: USAGE_TYPES })
  usageType?: UsageType;

  @ApiPropertyOptional({ example: 'api_calls' })
  meter?: string;

  @ApiProperty({ enum: BILLING_SCHEMES })
  billingScheme!: PriceBillingScheme;

  @ApiPropertyOptional({ example: '99.00' })
  amount?: string;

  @ApiPropertyOptional({ example: '12.50' })
  unitAmount?: string;

  @ApiPropertyOptional({ type: TransformQuantityDto })
  transformQuantity?: TransformQuantityDto;

  @ApiPropertyOptional({ enum: TIERS_MODES })
  tiersMode?: PriceTiersMode;

  @ApiPropertyOptional({ type: [PriceTierResponse] })
  tiers?: PriceTierResponse[];

  @ApiPropertyOptional({ example: '10000' })
  includedQuantity?: string;

  @ApiProperty()
  active!: boolean;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

/** A quantity to price for one period under a price. */
export class PriceQuoteRequest {
  @ApiProperty({
    description: `A decimal string that ${BILLING_QUANTITY_MESSAGE}`,
    example: '125000',
  })
  @Matches(BILLING_QUANTITY, { message: `quantity ${BILLING_QUANTITY_MESSAGE}` })
  quantity!: string;
}

export const PRICE_COMPONENT_KINDS = ['flat', 'unit', 'package', 'tier'] as const;
export type PriceComponentKindValue = (typeof PRICE_COMPONENT_KINDS)[number];

/** One line of a calculation: subtotal = quantity × unitAmount + flatAmount, exact. */
export class PriceComponentResponse {
  @ApiProperty({ enum: PRICE_COMPONENT_KINDS })
  kind!: PriceComponentKindValue;

  @ApiProperty({ type: Number, nullable: true, description: 'Index in tiers, or null' })
  tierIndex!: number | null;

  @ApiProperty({
    description: 'Units (packages for package pricing) priced by this line',
    example: '90000',
  })
  quantity!: string;

  @ApiProperty({ example: '0.002' })
  unitAmount!: string;

  @ApiProperty({ example: '0' })
  flatAmount!: string;

  @ApiProperty({ description: 'Exact, not rounded', example: '180.000' })
  subtotal!: string;
}

export class PriceQuoteResponse {
  @ApiProperty({ format: 'uuid' })
  priceId!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ example: '125000' })
  quantity!: string;

  @ApiProperty({
    description: 'The part of the quantity the included quantity made free',
    example: '10000',
  })
  includedQuantity!: string;

  @ApiProperty({ description: 'quantity − includedQuantity (not below 0)', example: '115000' })
  billableQuantity!: string;

  @ApiProperty({ description: 'The sum of the subtotals, exact', example: '205.000' })
  exactAmount!: string;

  @ApiProperty({
    description: "exactAmount rounded half-up to the currency's minor units: what a line is billed",
    example: '205.00',
  })
  amount!: string;

  @ApiProperty({ type: [PriceComponentResponse] })
  breakdown!: PriceComponentResponse[];
}
