import { ApiPropertyOptional } from '@nestjs/swagger';
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
import {
  BILLING_EXTERNAL_ID,
  BILLING_EXTERNAL_ID_MESSAGE,
  BillingAddressDto,
  BillingCustomerResponse,
  CURRENCY_CODE,
  EXEMPTION_NO,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
  PAYMENT_TERMS,
  type PaymentTerms,
  VAT_ID,
} from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { IsOmittable, SyncPageQuery } from '../../common.dto';

// Customers speak the canonical billing model (libs/canonical/src/billing).
export { BillingCustomerResponse, CreateBillingCustomerRequest } from '@revgate/canonical';

const CURRENCY_MESSAGE = 'currency must be an ISO 4217 code in capitals, such as USD or EUR';

export class ListCustomersQuery extends SyncPageQuery {
  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;

  @ApiPropertyOptional({ example: 'ACME-001' })
  @IsOptional()
  @Matches(BILLING_EXTERNAL_ID, { message: BILLING_EXTERNAL_ID_MESSAGE })
  externalId?: string;
}

/**
 * A change to a customer: the fields sent change, the others stay; null removes an optional field.
 * The currency and the legal entity are fixed once set: sent, they must equal the current ones.
 */
export class UpdateBillingCustomerRequest {
  @ApiPropertyOptional({
    description: 'Your id for the customer, unique (e.g. the CRM account id)',
    example: 'ACME-001',
  })
  @IsOmittable()
  @Matches(BILLING_EXTERNAL_ID, { message: BILLING_EXTERNAL_ID_MESSAGE })
  externalId?: string;

  @ApiPropertyOptional({ example: 'Acme Corporation', maxLength: 255 })
  @IsOmittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'ap@acme.example',
    description: 'Where invoices are sent; null removes it',
  })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ type: BillingAddressDto, description: 'Bill-to address; tax follows it' })
  @IsOmittable()
  @IsObject({ message: 'billTo must be an address object' })
  @ValidateNested()
  @Type(() => BillingAddressDto)
  billTo?: BillingAddressDto;

  @ApiPropertyOptional({
    description: 'Fixed once set: if sent, it must be the current currency (else 422)',
    example: 'USD',
  })
  @IsOmittable()
  @Matches(CURRENCY_CODE, { message: CURRENCY_MESSAGE })
  @IsISO4217CurrencyCode({ message: CURRENCY_MESSAGE })
  currency?: string;

  @ApiPropertyOptional({
    description: 'Fixed once set: if sent, it must be the current legal entity (else 422)',
    example: 'US01',
  })
  @IsOmittable()
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;

  @ApiPropertyOptional({ enum: PAYMENT_TERMS, description: 'Applies to invoices created from now' })
  @IsOmittable()
  @IsIn(PAYMENT_TERMS, { message: `paymentTerms must be one of ${PAYMENT_TERMS.join(', ')}` })
  paymentTerms?: PaymentTerms;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "The customer's tax exemption certificate; null removes it",
    example: 'EXEMPT-TX-2026-001',
  })
  @IsOptional()
  @Matches(EXEMPTION_NO, {
    message: 'taxExemptionNumber must be 1–25 letters, digits, . _ : / or -',
  })
  taxExemptionNumber?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "The customer's VAT number with its country prefix; null removes it",
    example: 'DE123456789',
  })
  @IsOptional()
  @Matches(VAT_ID, {
    message: 'vatId must be 4–20 capital letters or digits with its country prefix, no spaces',
  })
  vatId?: string | null;
}

export class BillingCustomerPage extends PageOf(BillingCustomerResponse) {}
