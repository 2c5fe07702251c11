import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { TAXABILITIES, TaxJurisdictionResponse } from '../tax/tax-result.dto';
import type { Taxability } from '../tax/tax-result.dto';
import {
  LineSourceDto,
  DISCOUNT_PERCENT,
  POSITIVE_BILLING_QUANTITY,
  POSITIVE_BILLING_QUANTITY_MESSAGE,
  ServicePeriodDto,
  BILLING_SOURCE_REFERENCE,
  BILLING_UNIT_AMOUNT,
  BILLING_UNIT_AMOUNT_MESSAGE,
} from './billing-common.dto';
import { PAYMENT_TERMS } from './customer.dto';
import type { PaymentTerms } from './customer.dto';

/**
 * draft: being assembled, may change; finalized: numbered and immutable, awaiting payment (Stripe's
 * "open"); paid: nothing left to pay; void: cancelled, never owed; uncollectible: written off.
 */
export const INVOICE_STATUSES = ['draft', 'finalized', 'paid', 'void', 'uncollectible'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/**
 * subscription: a recurring charge for a service period; usage: metered usage for a period;
 * one_time: a charge sold once; discount: a reduction of the line it applies to (negative); tax: the
 * tax on the line it applies to; credit: a prorated credit for unused time (negative).
 */
export const INVOICE_LINE_TYPES = [
  'subscription',
  'usage',
  'one_time',
  'discount',
  'tax',
  'credit',
] as const;
export type InvoiceLineType = (typeof INVOICE_LINE_TYPES)[number];

/** calculated: the tax system taxed the line; not_calculated: no tax system is configured. */
export const LINE_TAX_STATUSES = ['calculated', 'not_calculated'] as const;
export type LineTaxStatus = (typeof LINE_TAX_STATUSES)[number];

/**
 * not_calculated: no tax system is configured, so no tax is on the invoice; estimated: a draft's
 * tax, quoted; committed: the finalized invoice's tax, recorded by the tax system; voided: the
 * recorded tax was voided with the invoice.
 */
export const INVOICE_TAX_STATUSES = ['not_calculated', 'estimated', 'committed', 'voided'] as const;
export type InvoiceTaxStatus = (typeof INVOICE_TAX_STATUSES)[number];

export const MAX_ONE_TIME_LINES = 200;

export class OneTimeLineRequest {
  @ApiProperty({ format: 'uuid', description: 'The product sold (its tax code applies)' })
  @IsUUID('all', { message: 'productId must be a UUID' })
  productId!: string;

  @ApiPropertyOptional({ example: 'Onboarding package', maxLength: 255 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  description?: string;

  @ApiProperty({ example: '1' })
  @Matches(POSITIVE_BILLING_QUANTITY, { message: `quantity ${POSITIVE_BILLING_QUANTITY_MESSAGE}` })
  quantity!: string;

  @ApiProperty({ description: 'Price per unit in the customer currency', example: '2500.00' })
  @Matches(BILLING_UNIT_AMOUNT, { message: `unitAmount ${BILLING_UNIT_AMOUNT_MESSAGE}` })
  unitAmount!: string;

  @ApiPropertyOptional({
    description: 'Percent off, 0–100: adds a discount line applying to this line',
    example: '10',
  })
  @IsOptional()
  @Matches(DISCOUNT_PERCENT, {
    message: 'discountPercent must be a decimal string from 0 to 100, e.g. "12.5"',
  })
  discountPercent?: string;

  @ApiPropertyOptional({ type: ServicePeriodDto })
  @IsOptional()
  @IsObject({ message: 'servicePeriod must be an object with from and to' })
  @ValidateNested()
  @Type(() => ServicePeriodDto)
  servicePeriod?: ServicePeriodDto;

  @ApiPropertyOptional({
    description: 'Your reference for the line (e.g. the order line)',
    example: 'ORDER-7/2',
  })
  @IsOptional()
  @Matches(BILLING_SOURCE_REFERENCE, {
    message: 'reference must be 1–200 letters, digits, . _ : / or -',
  })
  reference?: string;
}

/**
 * A draft invoice for a customer. With a subscription, it bills the subscription's next period not
 * yet invoiced (once that period has begun) and every line waiting for the next invoice (prorations,
 * usage); one-time lines are added as given.
 */
export class CreateInvoiceRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: "One of the customer's subscriptions" })
  @IsOptional()
  @IsUUID('all', { message: 'subscriptionId must be a UUID' })
  subscriptionId?: string;

  @ApiPropertyOptional({ type: [OneTimeLineRequest], maxItems: MAX_ONE_TIME_LINES })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ONE_TIME_LINES, {
    message: `oneTimeLines must have at most ${MAX_ONE_TIME_LINES} lines`,
  })
  @ValidateNested({ each: true })
  @Type(() => OneTimeLineRequest)
  oneTimeLines?: OneTimeLineRequest[];

  @ApiPropertyOptional({ description: 'Printed on the invoice', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  memo?: string;
}

export class VoidInvoiceRequest {
  @ApiPropertyOptional({ example: 'Issued to the wrong customer', maxLength: 255 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  reason?: string;
}

export class InvoiceLineResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: INVOICE_LINE_TYPES })
  type!: InvoiceLineType;

  @ApiProperty({ example: 'Platform Pro × 10 (2026-01-01 – 2026-02-01)' })
  description!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  productId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  priceId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  subscriptionId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  subscriptionItemId?: string;

  @ApiPropertyOptional({ example: '10' })
  quantity?: string;

  @ApiPropertyOptional({
    description: 'Price per unit, exact (may carry more decimals than the currency)',
    example: '100',
  })
  unitAmount?: string;

  @ApiProperty({
    description:
      "The line's amount, rounded half-up to the currency once; negative for discounts and credits",
    example: '1000.00',
  })
  amount!: string;

  @ApiPropertyOptional({ type: ServicePeriodDto })
  servicePeriod?: ServicePeriodDto;

  @ApiProperty({ description: 'True for a line prorated by an amendment' })
  proration!: boolean;

  @ApiProperty({ type: LineSourceDto })
  source!: LineSourceDto;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'discount, credit and tax lines: the line they apply to',
  })
  appliesToLineId?: string;

  @ApiPropertyOptional({ example: 'SW054000', description: 'Product tax code of a charge line' })
  taxCode?: string;

  @ApiPropertyOptional({
    enum: LINE_TAX_STATUSES,
    description: 'Charge lines: whether tax was computed',
  })
  taxStatus?: LineTaxStatus;

  @ApiPropertyOptional({
    description:
      'Charge and tax lines, once tax is calculated: the rate applied, a decimal fraction',
    example: '0.0625',
  })
  taxRate?: string;

  @ApiPropertyOptional({ enum: TAXABILITIES })
  taxability?: Taxability;

  @ApiPropertyOptional({ type: TaxJurisdictionResponse })
  jurisdiction?: TaxJurisdictionResponse;
}

export class InvoiceTaxResponse {
  @ApiProperty({ enum: INVOICE_TAX_STATUSES })
  status!: InvoiceTaxStatus;

  @ApiPropertyOptional({
    description: 'The document code the tax system recorded the tax under (the invoice id)',
  })
  transactionCode?: string;

  @ApiProperty({
    type: [String],
    description: 'Mentions to print (reverse charge, exemption, tax not calculated)',
  })
  notes!: string[];
}

export class InvoiceResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiPropertyOptional({
    description: 'Gap-free per legal entity and year, given at finalization',
    example: 'US01-2026-000001',
  })
  number?: string;

  @ApiProperty({ enum: INVOICE_STATUSES })
  status!: InvoiceStatus;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  subscriptionId?: string;

  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ enum: PAYMENT_TERMS })
  paymentTerms!: PaymentTerms;

  @ApiPropertyOptional({ format: 'date', description: 'Set at finalization' })
  issueDate?: string;

  @ApiPropertyOptional({ format: 'date', description: 'issueDate plus the payment terms' })
  dueDate?: string;

  @ApiPropertyOptional()
  memo?: string;

  @ApiProperty({ type: [InvoiceLineResponse] })
  lines!: InvoiceLineResponse[];

  @ApiProperty({ description: 'Sum of the lines other than tax', example: '1000.00' })
  subtotal!: string;

  @ApiProperty({ description: 'Sum of the tax lines', example: '62.50' })
  totalTax!: string;

  @ApiProperty({ description: 'Sum of every line: subtotal + totalTax', example: '1062.50' })
  total!: string;

  @ApiProperty({ description: 'Settled payments, net of refunds', example: '0.00' })
  amountPaid!: string;

  @ApiProperty({ description: 'Credit memos applied to the invoice', example: '0.00' })
  amountCredited!: string;

  @ApiProperty({ description: 'total − amountPaid − amountCredited', example: '1062.50' })
  amountRemaining!: string;

  @ApiProperty({ type: InvoiceTaxResponse })
  tax!: InvoiceTaxResponse;

  @ApiPropertyOptional({ format: 'date-time' })
  finalizedAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  paidAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  voidedAt?: string;

  @ApiPropertyOptional()
  voidReason?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  markedUncollectibleAt?: string;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
