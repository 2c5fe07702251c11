import { ApiHideProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Allow,
  IsBoolean,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  BILLING_EXTERNAL_ID,
  BILLING_EXTERNAL_ID_MESSAGE,
  BillingPriceResponse,
  CURRENCY_CODE,
  type CreateBillingPriceRequest,
} from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { IsOmittable, QueryBoolean, SyncPageQuery } from '../../common.dto';

export {
  BillingPriceResponse,
  CreateBillingPriceRequest,
  PriceQuoteRequest,
  PriceQuoteResponse,
} from '@revgate/canonical';

export class ListPricesQuery extends SyncPageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'productId must be a UUID' })
  productId?: string;

  @ApiPropertyOptional({ example: 'USD' })
  @IsOptional()
  @Matches(CURRENCY_CODE, { message: 'currency must be an ISO 4217 code in capitals' })
  @IsISO4217CurrencyCode({ message: 'currency must be an ISO 4217 code in capitals' })
  currency?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

/** A price's terms (Stripe: what POST /v1/prices/{id} cannot change): a new price changes them. */
export const PRICE_TERMS = [
  'productId',
  'currency',
  'type',
  'interval',
  'usageType',
  'meter',
  'billingScheme',
  'amount',
  'unitAmount',
  'transformQuantity',
  'tiersMode',
  'tiers',
  'includedQuantity',
] as const satisfies readonly (keyof CreateBillingPriceRequest)[];

/**
 * A change to a price: only its external id, nickname and whether it is active. Its terms (product,
 * currency, type, interval, amounts, tiers) are fixed, as Stripe's: create a new price instead. They
 * are accepted by validation (and left out of the schema) only so that naming one answers 422
 * BILLING_FIELD_IMMUTABLE rather than an unknown-field 400.
 */
export class UpdateBillingPriceRequest {
  @ApiPropertyOptional({ description: 'Your id for the price, unique', example: 'PLAT-PRO-USD-M' })
  @IsOmittable()
  @Matches(BILLING_EXTERNAL_ID, { message: BILLING_EXTERNAL_ID_MESSAGE })
  externalId?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Pro, monthly',
    maxLength: 255,
    description: 'null removes it',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  nickname?: string | null;

  @ApiPropertyOptional({
    description: 'An inactive price takes no new subscriptions; existing ones keep billing',
  })
  @IsOmittable()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiHideProperty()
  @Allow()
  productId?: unknown;

  @ApiHideProperty()
  @Allow()
  currency?: unknown;

  @ApiHideProperty()
  @Allow()
  type?: unknown;

  @ApiHideProperty()
  @Allow()
  interval?: unknown;

  @ApiHideProperty()
  @Allow()
  usageType?: unknown;

  @ApiHideProperty()
  @Allow()
  meter?: unknown;

  @ApiHideProperty()
  @Allow()
  billingScheme?: unknown;

  @ApiHideProperty()
  @Allow()
  amount?: unknown;

  @ApiHideProperty()
  @Allow()
  unitAmount?: unknown;

  @ApiHideProperty()
  @Allow()
  transformQuantity?: unknown;

  @ApiHideProperty()
  @Allow()
  tiersMode?: unknown;

  @ApiHideProperty()
  @Allow()
  tiers?: unknown;

  @ApiHideProperty()
  @Allow()
  includedQuantity?: unknown;
}

export class BillingPricePage extends PageOf(BillingPriceResponse) {}
