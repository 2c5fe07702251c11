import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CURRENCY_CODE } from '../money/money.dto';
import {
  EXEMPTION_NO,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
  VAT_ID,
} from '../tax/tax-document.dto';
import {
  BILLING_EXTERNAL_ID,
  BILLING_EXTERNAL_ID_MESSAGE,
  BillingAddressDto,
} from './billing-common.dto';

/** When an invoice is due, counted from its issue date (Stripe's days_until_due). */
export const PAYMENT_TERMS = [
  'due_on_receipt',
  'net_15',
  'net_30',
  'net_45',
  'net_60',
  'net_90',
] as const;
export type PaymentTerms = (typeof PAYMENT_TERMS)[number];

/** Days from the issue date to the due date under each payment term. */
export const PAYMENT_TERM_DAYS: Readonly<Record<PaymentTerms, number>> = {
  due_on_receipt: 0,
  net_15: 15,
  net_30: 30,
  net_45: 45,
  net_60: 60,
  net_90: 90,
};

const CURRENCY_MESSAGE = 'currency must be an ISO 4217 code in capitals, such as USD or EUR';

/** A customer of the billing system (Stripe's Customer): who is invoiced, where, in what currency. */
export class CreateBillingCustomerRequest {
  @ApiPropertyOptional({
    description: 'Your id for the customer, unique (e.g. the CRM account id): find-or-create key',
    example: 'ACME-001',
  })
  @IsOptional()
  @Matches(BILLING_EXTERNAL_ID, { message: BILLING_EXTERNAL_ID_MESSAGE })
  externalId?: string;

  @ApiProperty({ example: 'Acme Corporation', maxLength: 255 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  @ApiPropertyOptional({ example: 'ap@acme.example', description: 'Where invoices are sent' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string;

  @ApiProperty({ type: BillingAddressDto, description: 'Bill-to address; tax follows it' })
  @IsObject({ message: 'billTo must be an address object' })
  @ValidateNested()
  @Type(() => BillingAddressDto)
  billTo!: BillingAddressDto;

  @ApiProperty({
    description: 'ISO 4217, in capitals: every price billed must be in it',
    example: 'USD',
  })
  @Matches(CURRENCY_CODE, { message: CURRENCY_MESSAGE })
  @IsISO4217CurrencyCode({ message: CURRENCY_MESSAGE })
  currency!: string;

  @ApiProperty({
    description: 'The legal entity that invoices the customer; it numbers the invoices',
    example: 'US01',
  })
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity!: string;

  @ApiPropertyOptional({ enum: PAYMENT_TERMS, default: 'net_30' })
  @IsOptional()
  @IsIn(PAYMENT_TERMS, { message: `paymentTerms must be one of ${PAYMENT_TERMS.join(', ')}` })
  paymentTerms?: PaymentTerms;

  @ApiPropertyOptional({
    description: "The customer's tax exemption certificate: its invoices are taxed as exempt",
    example: 'EXEMPT-TX-2026-001',
  })
  @IsOptional()
  @Matches(EXEMPTION_NO, {
    message: 'taxExemptionNumber must be 1–25 letters, digits, . _ : / or -',
  })
  taxExemptionNumber?: string;

  @ApiPropertyOptional({
    description: "The customer's VAT number with its country prefix (EU reverse charge)",
    example: 'DE123456789',
  })
  @IsOptional()
  @Matches(VAT_ID, {
    message: 'vatId must be 4–20 capital letters or digits with its country prefix, no spaces',
  })
  vatId?: string;
}

export class BillingCustomerResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiPropertyOptional()
  externalId?: string;

  @ApiProperty()
  name!: string;

  @ApiPropertyOptional()
  email?: string;

  @ApiProperty({ type: BillingAddressDto })
  billTo!: BillingAddressDto;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty({ enum: PAYMENT_TERMS })
  paymentTerms!: PaymentTerms;

  @ApiPropertyOptional()
  taxExemptionNumber?: string;

  @ApiPropertyOptional()
  vatId?: string;

  @ApiProperty({ description: 'Row version; the ETag is "v<version>"' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
