import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { BILLING_POSITIVE_AMOUNT, BILLING_SOURCE_REFERENCE } from './billing-common.dto';

/** settled: the money arrived; failed: the attempt failed; refunded: the money went back. */
export const PAYMENT_STATUSES = ['settled', 'failed', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const PAYMENT_OUTCOMES = ['settled', 'failed'] as const;
export type PaymentOutcome = (typeof PAYMENT_OUTCOMES)[number];
export const PAYMENT_METHODS = [
  'card',
  'ach_debit',
  'sepa_debit',
  'bank_transfer',
  'other',
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * The outcome of a payment attempt on an invoice (Stripe's PaymentIntent: succeeded or failed), as
 * the payment processor reported it. `reference` is the processor's id for the attempt: recording it
 * again with the same content answers the payment recorded, with other content a 409.
 */
export class RecordPaymentRequest {
  @ApiProperty({ enum: PAYMENT_OUTCOMES })
  @IsIn(PAYMENT_OUTCOMES, { message: `status must be one of ${PAYMENT_OUTCOMES.join(', ')}` })
  status!: PaymentOutcome;

  @ApiProperty({
    description: "Positive, in the invoice's currency, no more decimals than it has",
    example: '1062.50',
  })
  @Matches(BILLING_POSITIVE_AMOUNT, {
    message: 'amount must be a positive decimal string such as "1062.50"',
  })
  amount!: string;

  @ApiProperty({ description: "The processor's id for the attempt, unique", example: 'pi_3Nx2kL' })
  @Matches(BILLING_SOURCE_REFERENCE, {
    message: 'reference must be 1–200 letters, digits, . _ : / or -',
  })
  reference!: string;

  @ApiPropertyOptional({ enum: PAYMENT_METHODS })
  @IsOptional()
  @IsIn(PAYMENT_METHODS, { message: `method must be one of ${PAYMENT_METHODS.join(', ')}` })
  method?: PaymentMethod;

  @ApiPropertyOptional({ description: 'Why it failed (failed attempts)', example: 'card_declined' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  failureReason?: string;
}

export class RefundPaymentRequest {
  @ApiPropertyOptional({ example: 'Customer cancelled within 14 days', maxLength: 255 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  reason?: string;
}

export class PaymentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  invoiceId!: string;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ example: '1062.50' })
  amount!: string;

  @ApiProperty({ enum: PAYMENT_STATUSES })
  status!: PaymentStatus;

  @ApiProperty({ example: 'pi_3Nx2kL' })
  reference!: string;

  @ApiPropertyOptional({ enum: PAYMENT_METHODS })
  method?: PaymentMethod;

  @ApiPropertyOptional()
  failureReason?: string;

  @ApiPropertyOptional()
  refundReason?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  settledAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  failedAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  refundedAt?: string;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
