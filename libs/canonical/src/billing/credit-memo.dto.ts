import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { BILLING_POSITIVE_AMOUNT, ServicePeriodDto } from './billing-common.dto';

/** Stripe's credit note reasons, plus subscription_change for an amendment's net credit. */
export const CREDIT_MEMO_REASONS = [
  'duplicate',
  'fraudulent',
  'order_change',
  'product_unsatisfactory',
  'subscription_change',
  'other',
] as const;
export type CreditMemoReason = (typeof CREDIT_MEMO_REASONS)[number];

/** invoice_line: credits a line of the invoice; custom: a free amount; proration: an amendment's line; tax: the tax credited. */
export const CREDIT_MEMO_LINE_TYPES = ['invoice_line', 'custom', 'proration', 'tax'] as const;
export type CreditMemoLineType = (typeof CREDIT_MEMO_LINE_TYPES)[number];

export const MAX_CREDIT_MEMO_LINES = 200;

/**
 * Whether the tax system knows of the memo: not_reported (its invoice's tax was not committed, or
 * it credits no invoice line), pending (to report as a return against the invoice's tax
 * transaction; reported after the memo is stored, retried by POST …/report-tax), committed.
 */
export const CREDIT_MEMO_TAX_STATUSES = ['not_reported', 'pending', 'committed'] as const;
export type CreditMemoTaxStatus = (typeof CREDIT_MEMO_TAX_STATUSES)[number];

export class CreditMemoTaxResponse {
  @ApiProperty({ enum: CREDIT_MEMO_TAX_STATUSES })
  status!: CreditMemoTaxStatus;

  @ApiPropertyOptional({
    description:
      'The code of the return document in the tax system (the credit memo id), once committed',
  })
  transactionCode?: string;
}

export class CreditMemoLineRequest {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The invoice line credited (not a tax line): its tax is credited with it',
  })
  @IsOptional()
  @IsUUID('all', { message: 'invoiceLineId must be a UUID' })
  invoiceLineId?: string;

  @ApiPropertyOptional({ description: 'Required without invoiceLineId', maxLength: 255 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  description?: string;

  @ApiProperty({
    description: 'Amount credited before tax: positive, no more decimals than the currency',
    example: '100.00',
  })
  @Matches(BILLING_POSITIVE_AMOUNT, {
    message: 'amount must be a positive decimal string such as "100.00"',
  })
  amount!: string;
}

/** A credit memo against a finalized invoice (Stripe's CreditNote): it lowers what is left to pay. */
export class CreateCreditMemoRequest {
  @ApiProperty({ enum: CREDIT_MEMO_REASONS })
  @IsIn(CREDIT_MEMO_REASONS, {
    message: `reason must be one of ${CREDIT_MEMO_REASONS.join(', ')}`,
  })
  reason!: CreditMemoReason;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  memo?: string;

  @ApiProperty({ type: [CreditMemoLineRequest], minItems: 1, maxItems: MAX_CREDIT_MEMO_LINES })
  @IsArray()
  @ArrayMinSize(1, { message: 'lines must have at least one line' })
  @ArrayMaxSize(MAX_CREDIT_MEMO_LINES, {
    message: `lines must have at most ${MAX_CREDIT_MEMO_LINES} lines`,
  })
  @ValidateNested({ each: true })
  @Type(() => CreditMemoLineRequest)
  lines!: CreditMemoLineRequest[];
}

export class CreditMemoLineResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: CREDIT_MEMO_LINE_TYPES })
  type!: CreditMemoLineType;

  @ApiProperty()
  description!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  invoiceLineId?: string;

  @ApiPropertyOptional({ type: ServicePeriodDto })
  servicePeriod?: ServicePeriodDto;

  @ApiProperty({
    description:
      'Amount credited (positive); a proration charge that offsets the credit is negative',
    example: '100.00',
  })
  amount!: string;

  @ApiPropertyOptional({ description: 'tax lines: the rate applied', example: '0.0625' })
  taxRate?: string;
}

export class CreditMemoApplicationResponse {
  @ApiProperty({ format: 'uuid' })
  invoiceId!: string;

  @ApiProperty({ example: '100.00' })
  amount!: string;

  @ApiProperty({ format: 'date-time' })
  appliedAt!: string;
}

export class CreditMemoResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    example: 'US01-CM-2026-000001',
    description: 'Gap-free per legal entity and year',
  })
  number!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The invoice credited' })
  invoiceId?: string;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  subscriptionId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The amendment whose net credit this is' })
  amendmentId?: string;

  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ enum: CREDIT_MEMO_REASONS })
  reason!: CreditMemoReason;

  @ApiPropertyOptional()
  memo?: string;

  @ApiProperty({ type: [CreditMemoLineResponse] })
  lines!: CreditMemoLineResponse[];

  @ApiProperty({ description: 'Sum of the lines other than tax', example: '100.00' })
  subtotal!: string;

  @ApiProperty({ example: '6.25' })
  totalTax!: string;

  @ApiProperty({ description: 'subtotal + totalTax: what the memo credits', example: '106.25' })
  total!: string;

  @ApiProperty({ description: 'The part applied to invoices', example: '106.25' })
  appliedAmount!: string;

  @ApiProperty({
    description:
      "The rest: the customer's credit, applied to the next invoices as they are finalized",
    example: '0.00',
  })
  unappliedAmount!: string;

  @ApiProperty({ type: [CreditMemoApplicationResponse] })
  applications!: CreditMemoApplicationResponse[];

  @ApiProperty({ type: CreditMemoTaxResponse })
  tax!: CreditMemoTaxResponse;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
