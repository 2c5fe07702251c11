import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import {
  BILLING_DATE,
  POSITIVE_BILLING_QUANTITY,
  POSITIVE_BILLING_QUANTITY_MESSAGE,
  ServicePeriodDto,
} from './billing-common.dto';
import { SubscriptionResponse } from './subscription.dto';

/**
 * upgrade / downgrade: an item moves to another price (and optionally quantity); quantity_change:
 * the item's quantity changes; add_item: a new item, co-termed with the subscription; renewal: the
 * term (endDate) is extended; cancel_now / cancel_at_period_end: the subscription ends.
 */
export const AMENDMENT_TYPES = [
  'upgrade',
  'downgrade',
  'quantity_change',
  'add_item',
  'renewal',
  'cancel_now',
  'cancel_at_period_end',
] as const;
export type AmendmentTypeValue = (typeof AMENDMENT_TYPES)[number];

/** Stripe's proration_behavior: create_prorations puts the prorated lines on the next invoice. */
export const PRORATION_BEHAVIORS = ['create_prorations', 'none'] as const;
export type ProrationBehavior = (typeof PRORATION_BEHAVIORS)[number];

/** Where an amendment's prorated lines went. */
export const AMENDMENT_OUTCOMES = ['invoice_lines', 'credit_memo', 'none'] as const;
export type AmendmentOutcome = (typeof AMENDMENT_OUTCOMES)[number];

const NEEDS_DATE: readonly AmendmentTypeValue[] = [
  'upgrade',
  'downgrade',
  'quantity_change',
  'add_item',
  'cancel_now',
];
const NEEDS_ITEM: readonly AmendmentTypeValue[] = ['upgrade', 'downgrade', 'quantity_change'];
const NEEDS_PRICE: readonly AmendmentTypeValue[] = ['upgrade', 'downgrade', 'add_item'];
const TAKES_QUANTITY: readonly AmendmentTypeValue[] = [
  'upgrade',
  'downgrade',
  'quantity_change',
  'add_item',
];

export class CreateAmendmentRequest {
  @ApiProperty({ enum: AMENDMENT_TYPES })
  @IsIn(AMENDMENT_TYPES, { message: `type must be one of ${AMENDMENT_TYPES.join(', ')}` })
  type!: AmendmentTypeValue;

  @ApiPropertyOptional({
    format: 'date',
    description:
      'The change takes effect at the start of this day. Required for upgrade, downgrade, quantity_change, add_item and cancel_now.',
    example: '2026-01-16',
  })
  @IsOptional()
  @Matches(BILLING_DATE, { message: 'effectiveDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'effectiveDate must be a real calendar date' })
  effectiveDate?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The item changed (upgrade, downgrade, quantity_change)',
  })
  @IsOptional()
  @IsUUID('all', { message: 'itemId must be a UUID' })
  itemId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The new price (upgrade, downgrade, add_item)',
  })
  @IsOptional()
  @IsUUID('all', { message: 'priceId must be a UUID' })
  priceId?: string;

  @ApiPropertyOptional({
    description:
      'The new quantity (quantity_change; optional for upgrade and downgrade; add_item of a licensed price)',
    example: '15',
  })
  @IsOptional()
  @Matches(POSITIVE_BILLING_QUANTITY, { message: `quantity ${POSITIVE_BILLING_QUANTITY_MESSAGE}` })
  quantity?: string;

  @ApiPropertyOptional({
    description: 'renewal: how many billing periods the term is extended by',
    minimum: 1,
    maximum: 120,
    default: 1,
  })
  @IsOptional()
  @IsInt({ message: 'periods must be a whole number' })
  @Min(1)
  @Max(120)
  periods?: number;

  @ApiPropertyOptional({ enum: PRORATION_BEHAVIORS, default: 'create_prorations' })
  @IsOptional()
  @IsIn(PRORATION_BEHAVIORS, {
    message: `prorationBehavior must be one of ${PRORATION_BEHAVIORS.join(', ')}`,
  })
  prorationBehavior?: ProrationBehavior;
}

/** Which fields each amendment type needs and allows. Empty when the request is consistent. */
export function amendmentRequestProblems(
  request: CreateAmendmentRequest,
): { pointer: string; detail: string }[] {
  const problems: { pointer: string; detail: string }[] = [];
  const type = request.type;
  const rule = (
    field: 'effectiveDate' | 'itemId' | 'priceId' | 'quantity' | 'periods',
    required: boolean,
    allowed: boolean,
  ): void => {
    if (required && request[field] === undefined)
      problems.push({ pointer: `/${field}`, detail: `${field} is required for ${type}` });
    if (!allowed && request[field] !== undefined)
      problems.push({ pointer: `/${field}`, detail: `${field} is not allowed for ${type}` });
  };
  rule('effectiveDate', NEEDS_DATE.includes(type), NEEDS_DATE.includes(type));
  rule('itemId', NEEDS_ITEM.includes(type), NEEDS_ITEM.includes(type));
  rule('priceId', NEEDS_PRICE.includes(type), NEEDS_PRICE.includes(type));
  rule('quantity', type === 'quantity_change', TAKES_QUANTITY.includes(type));
  rule('periods', false, type === 'renewal');
  return problems;
}

export class ProrationLineResponse {
  @ApiProperty({ enum: ['credit', 'charge'] })
  kind!: 'credit' | 'charge';

  @ApiProperty({ example: 'Unused time on Platform Pro × 10 (2026-01-16 – 2026-02-01)' })
  description!: string;

  @ApiProperty({ format: 'uuid' })
  subscriptionItemId!: string;

  @ApiProperty({ format: 'uuid' })
  priceId!: string;

  @ApiProperty({ type: ServicePeriodDto })
  servicePeriod!: ServicePeriodDto;

  @ApiPropertyOptional({ description: 'The item quantity (licensed items)', example: '10' })
  quantity?: string;

  @ApiProperty({
    description: "The item's price for a whole billing period, exact",
    example: '1000',
  })
  periodAmount!: string;

  @ApiProperty({ description: 'Days of the service period', example: 16 })
  days!: number;

  @ApiProperty({ description: 'Days of the whole billing period', example: 31 })
  periodDays!: number;

  @ApiProperty({
    description: '±round(periodAmount × days / periodDays), half-up, negative for a credit',
    example: '-516.13',
  })
  amount!: string;
}

export class AmendmentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  subscriptionId!: string;

  @ApiProperty({ enum: AMENDMENT_TYPES })
  type!: AmendmentTypeValue;

  @ApiProperty({ format: 'date' })
  effectiveDate!: string;

  @ApiProperty({ enum: PRORATION_BEHAVIORS })
  prorationBehavior!: ProrationBehavior;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: [ProrationLineResponse] })
  lines!: ProrationLineResponse[];

  @ApiProperty({
    description: 'Sum of the lines: positive is owed by the customer',
    example: '258.06',
  })
  total!: string;

  @ApiProperty({
    enum: AMENDMENT_OUTCOMES,
    description:
      'invoice_lines: the lines wait for the next invoice; credit_memo: the net credit was issued as a credit memo; none: nothing to bill',
  })
  outcome!: AmendmentOutcome;

  @ApiPropertyOptional({ format: 'uuid' })
  creditMemoId?: string;

  @ApiPropertyOptional({
    type: SubscriptionResponse,
    description: 'The subscription after the change (in the answer to the change)',
  })
  @Type(() => SubscriptionResponse)
  subscription?: SubscriptionResponse;

  @ApiProperty({ description: 'Subject of the token that made the change' })
  createdBy!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}
