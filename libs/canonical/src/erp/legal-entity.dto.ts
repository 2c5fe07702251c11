import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsISO31661Alpha2,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CURRENCY_CODE } from '../money/money.dto';
import { COUNTRY_CODE } from '../tax/tax-address.dto';
import { LEGAL_ENTITY_CODE, LEGAL_ENTITY_MESSAGE } from '../tax/tax-document.dto';
import { CURRENCY_RULE, IsCurrencyCode, Rule } from './field-rules';

const COUNTRY_MESSAGE = 'country must be an ISO 3166-1 alpha-2 code in capitals, such as US or DE';
const ALLOWED_CURRENCY_MESSAGE = `each of allowedCurrencies must be ${CURRENCY_RULE}`;
export const MAX_ALLOWED_CURRENCIES = 50;

/** The registration a legal entity files its taxes under (VAT, GST, EIN, …). */
export class LegalEntityTaxRegistrationDto {
  @ApiProperty({ description: 'Registration scheme: VAT, GST, EIN, …', example: 'VAT' })
  @Matches(/^[A-Z]{2,10}$/, { message: 'scheme must be 2–10 capital letters, e.g. VAT' })
  scheme!: string;

  @ApiProperty({
    description:
      'The registration number as the authority issued it, with its country prefix where it has one',
    example: 'DE123456789',
  })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 .-]{1,49}$/, {
    message: 'number must be 2–50 letters, digits, spaces, dots or dashes',
  })
  number!: string;

  @ApiProperty({
    description: 'ISO 3166-1 alpha-2 of the issuing country, in capitals',
    example: 'DE',
  })
  @Matches(COUNTRY_CODE, { message: COUNTRY_MESSAGE })
  @IsISO31661Alpha2({ message: COUNTRY_MESSAGE })
  country!: string;
}

/**
 * A company of the group that contracts, invoices and keeps its own books (Tryton company,
 * NetSuite subsidiary). Its code is the key every other object refers to it by.
 */
export class LegalEntityDto {
  @ApiProperty({
    description:
      'The code other objects refer to the entity by: 2–20 capital letters, digits, _ or -',
    example: 'DE01',
  })
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE.replace('legalEntity', 'code') })
  code!: string;

  @ApiProperty({
    description: 'Registered legal name',
    example: 'Revgate Demo GmbH',
    maxLength: 255,
  })
  @IsString({ message: 'name must be a string' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(255, { message: 'name must be at most 255 characters' })
  name!: string;

  @ApiProperty({
    description: 'ISO 4217 currency the books are kept in, in capitals',
    example: 'EUR',
  })
  @IsCurrencyCode('functionalCurrency')
  functionalCurrency!: string;

  @ApiProperty({
    type: [String],
    description:
      'ISO 4217 currencies the entity may invoice and post in, in capitals, each once; includes the functional currency',
    example: ['EUR', 'USD', 'GBP'],
    minItems: 1,
    maxItems: MAX_ALLOWED_CURRENCIES,
  })
  @IsArray({ message: 'allowedCurrencies must be an array of currency codes' })
  @ArrayMinSize(1, { message: 'allowedCurrencies must have at least one currency' })
  @ArrayMaxSize(MAX_ALLOWED_CURRENCIES, {
    message: `allowedCurrencies must have at most ${MAX_ALLOWED_CURRENCIES} currencies`,
  })
  @ArrayUnique({ message: 'allowedCurrencies must not repeat a currency' })
  @Matches(CURRENCY_CODE, { each: true, message: ALLOWED_CURRENCY_MESSAGE })
  @IsISO4217CurrencyCode({ each: true, message: ALLOWED_CURRENCY_MESSAGE })
  @Rule(
    'includesFunctionalCurrency',
    (value, object) => {
      const functional = (object as { functionalCurrency?: unknown }).functionalCurrency;
      return !Array.isArray(value) || typeof functional !== 'string' || value.includes(functional);
    },
    (_value, object) =>
      `allowedCurrencies must include the functional currency ${String((object as { functionalCurrency?: unknown }).functionalCurrency)}`,
  )
  allowedCurrencies!: string[];

  @ApiProperty({ type: LegalEntityTaxRegistrationDto })
  @IsObject({ message: 'taxRegistration must be an object with scheme, number and country' })
  @ValidateNested()
  @Type(() => LegalEntityTaxRegistrationDto)
  taxRegistration!: LegalEntityTaxRegistrationDto;

  @ApiProperty({
    description: 'ISO 3166-1 alpha-2 of the country the entity is established in, in capitals',
    example: 'DE',
  })
  @Matches(COUNTRY_CODE, { message: COUNTRY_MESSAGE })
  @IsISO31661Alpha2({ message: COUNTRY_MESSAGE })
  country!: string;
}
