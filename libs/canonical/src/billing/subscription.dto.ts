import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsUUID,
  Matches,
  ValidateNested,
} from 'class-validator';
import {
  BILLING_EXTERNAL_ID,
  BILLING_EXTERNAL_ID_MESSAGE,
  BILLING_DATE,
  POSITIVE_BILLING_QUANTITY,
  POSITIVE_BILLING_QUANTITY_MESSAGE,
} from './billing-common.dto';
import { BILLING_INTERVALS, USAGE_TYPES } from './price.dto';
import type { BillingInterval, UsageType } from './price.dto';

export const SUBSCRIPTION_STATUSES = ['active', 'past_due', 'canceled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export const MAX_SUBSCRIPTION_ITEMS = 50;

export class SubscriptionItemRequest {
  @ApiProperty({ format: 'uuid', description: 'A recurring price in the customer currency' })
  @IsUUID('all', { message: 'priceId must be a UUID' })
  priceId!: string;

  @ApiPropertyOptional({
    description: 'Licensed prices: the subscribed quantity (required). Metered prices: leave out.',
    example: '10',
  })
  @IsOptional()
  @Matches(POSITIVE_BILLING_QUANTITY, { message: `quantity ${POSITIVE_BILLING_QUANTITY_MESSAGE}` })
  quantity?: string;
}

/** A subscription (Stripe's Subscription with its items), billed in advance each period. */
export class CreateSubscriptionRequest {
  @ApiPropertyOptional({
    description: 'Your id for the subscription (e.g. the order), unique',
    example: 'ORDER-2026-001',
  })
  @IsOptional()
  @Matches(BILLING_EXTERNAL_ID, { message: BILLING_EXTERNAL_ID_MESSAGE })
  externalId?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId!: string;

  @ApiProperty({ enum: BILLING_INTERVALS, description: 'Monthly or annual billing periods' })
  @IsIn(BILLING_INTERVALS, {
    message: `billingInterval must be one of ${BILLING_INTERVALS.join(', ')}`,
  })
  billingInterval!: BillingInterval;

  @ApiProperty({ format: 'date', example: '2026-01-01', description: 'First day of service' })
  @Matches(BILLING_DATE, { message: 'startDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'startDate must be a real calendar date' })
  startDate!: string;

  @ApiPropertyOptional({
    format: 'date',
    description:
      'The day periods renew on (Stripe billing_cycle_anchor); defaults to startDate. Within one interval after startDate; the first, shorter period is prorated by days.',
    example: '2026-01-01',
  })
  @IsOptional()
  @Matches(BILLING_DATE, { message: 'billingAnchorDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'billingAnchorDate must be a real calendar date' })
  billingAnchorDate?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'End of the term, exclusive: nothing is billed from this day (renewals extend it)',
    example: '2027-01-01',
  })
  @IsOptional()
  @Matches(BILLING_DATE, { message: 'endDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'endDate must be a real calendar date' })
  endDate?: string;

  @ApiProperty({ type: [SubscriptionItemRequest], minItems: 1, maxItems: MAX_SUBSCRIPTION_ITEMS })
  @IsArray()
  @ArrayMinSize(1, { message: 'items must have at least one item' })
  @ArrayMaxSize(MAX_SUBSCRIPTION_ITEMS, {
    message: `items must have at most ${MAX_SUBSCRIPTION_ITEMS} items`,
  })
  @ValidateNested({ each: true })
  @Type(() => SubscriptionItemRequest)
  items!: SubscriptionItemRequest[];
}

export class SubscriptionItemResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  priceId!: string;

  @ApiProperty({ format: 'uuid' })
  productId!: string;

  @ApiProperty({ enum: USAGE_TYPES })
  usageType!: UsageType;

  @ApiPropertyOptional({ description: 'Licensed items only', example: '10' })
  quantity?: string;

  @ApiPropertyOptional({ description: 'Metered items only', example: 'api_calls' })
  meter?: string;

  @ApiProperty({ format: 'date', description: 'The item is billed on these terms from this day' })
  effectiveFrom!: string;
}

export class BillingPeriodResponse {
  @ApiProperty({ format: 'date', example: '2026-01-01' })
  start!: string;

  @ApiProperty({ format: 'date', description: 'Exclusive', example: '2026-02-01' })
  end!: string;
}

export class SubscriptionResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiPropertyOptional()
  externalId?: string;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ enum: BILLING_INTERVALS })
  billingInterval!: BillingInterval;

  @ApiProperty({ format: 'date' })
  billingAnchorDate!: string;

  @ApiProperty({ format: 'date' })
  startDate!: string;

  @ApiPropertyOptional({ format: 'date', description: 'Exclusive' })
  endDate?: string;

  @ApiProperty({ enum: SUBSCRIPTION_STATUSES })
  status!: SubscriptionStatus;

  @ApiProperty({ description: 'Ends at endDate, the end of the current period' })
  cancelAtPeriodEnd!: boolean;

  @ApiPropertyOptional({ format: 'date-time' })
  canceledAt?: string;

  @ApiProperty({
    format: 'date',
    description:
      'Recurring charges are invoiced up to this day (exclusive); startDate while nothing is invoiced',
  })
  billedThrough!: string;

  @ApiPropertyOptional({
    type: BillingPeriodResponse,
    description: 'The last period invoiced; amendments take effect within it or from its end',
  })
  currentPeriod?: BillingPeriodResponse;

  @ApiProperty({ type: [SubscriptionItemResponse] })
  items!: SubscriptionItemResponse[];

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
