import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PAYMENT_TERMS } from '../billing/customer.dto';
import type { PaymentTerms } from '../billing/customer.dto';
import { COUNTRY_CODE } from '../tax/tax-address.dto';
import { LEGAL_ENTITY_CODE, LEGAL_ENTITY_MESSAGE } from '../tax/tax-document.dto';
import { IsCurrencyCode, Omittable } from './field-rules';
import { JOURNAL_EXTERNAL_ID } from './journal-entry.dto';
import { LegalEntityTaxRegistrationDto } from './legal-entity.dto';

/** Revgate's id of an object kept in the ERP (customer, document, entry): the key a retry finds it by. */
export const ERP_EXTERNAL_ID = JOURNAL_EXTERNAL_ID;
export const ERP_EXTERNAL_ID_MESSAGE =
  'must be 1–100 letters, digits, . _ : or -, starting with a letter or digit';
const COUNTRY_MESSAGE = 'country must be an ISO 3166-1 alpha-2 code in capitals, such as US or DE';

/**
 * A customer in the ERP's receivables ledger of one legal entity (Tryton party, NetSuite customer
 * of a subsidiary), kept under Revgate's external id so that it is found, not created, again.
 */
export class ErpCustomerDto {
  @ApiProperty({ description: 'Code of the legal entity that bills the customer', example: 'US01' })
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity!: string;

  @ApiProperty({
    description: "Revgate's id of the customer, unique per legal entity",
    example: 'ACME-001',
  })
  @Matches(ERP_EXTERNAL_ID, { message: `externalId ${ERP_EXTERNAL_ID_MESSAGE}` })
  externalId!: string;

  @ApiProperty({ example: 'Acme Corporation', maxLength: 255 })
  @IsString({ message: 'name must be a string' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(255, { message: 'name must be at most 255 characters' })
  name!: string;

  @ApiProperty({ enum: PAYMENT_TERMS, example: 'net_30' })
  @IsIn(PAYMENT_TERMS, { message: `paymentTerms must be one of ${PAYMENT_TERMS.join(', ')}` })
  paymentTerms!: PaymentTerms;

  @ApiPropertyOptional({
    description: "The customer's currency, when it has one; it must be one the entity allows",
    example: 'USD',
  })
  @Omittable()
  @IsCurrencyCode('currency')
  currency?: string;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2, in capitals', example: 'US' })
  @Omittable()
  @Matches(COUNTRY_CODE, { message: COUNTRY_MESSAGE })
  @IsISO31661Alpha2({ message: COUNTRY_MESSAGE })
  country?: string;

  @ApiPropertyOptional({
    type: LegalEntityTaxRegistrationDto,
    description:
      "The customer's tax registration (VAT, EIN, …); an EU VAT number must have its member state's format",
  })
  @Omittable()
  @IsObject({ message: 'taxRegistration must be an object with scheme, number and country' })
  @ValidateNested()
  @Type(() => LegalEntityTaxRegistrationDto)
  taxRegistration?: LegalEntityTaxRegistrationDto;
}
