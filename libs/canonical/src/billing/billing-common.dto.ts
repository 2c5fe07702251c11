import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsISO31661Alpha2,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  registerDecorator,
  ValidationArguments,
} from 'class-validator';
import { minorUnits, MoneyDecimal } from '../money/money';
import { COUNTRY_CODE, postalCodeProblem, regionProblem } from '../tax/tax-address.dto';

/*
 * Shapes shared by the billing model. Money is a decimal string in the document's currency (never a
 * JSON number); quantities are decimal strings too. The quantity and amount envelopes are those of
 * the billing engines (pricing and proration), so that whatever passes validation prices exactly.
 */

/** A quantity that may be zero: up to 12 integer digits and 6 decimals (the pricing engine's). */
export const BILLING_QUANTITY = /^(0|[1-9]\d{0,11})(\.\d{1,6})?$/;
/** A positive quantity: as BILLING_QUANTITY, but not zero. */
export const POSITIVE_BILLING_QUANTITY = /^(?!0+(\.0+)?$)(0|[1-9]\d{0,11})(\.\d{1,6})?$/;
/** A price per unit or per package: up to 9 integer digits and 10 decimals (the engines'). */
export const BILLING_UNIT_AMOUNT = /^(0|[1-9]\d{0,8})(\.\d{1,10})?$/;
/** An amount charged once (flat price, tier flat fee): up to 15 integer digits and 10 decimals. */
export const BILLING_FLAT_AMOUNT = /^(0|[1-9]\d{0,14})(\.\d{1,10})?$/;
/** A positive amount of money: up to 15 integer digits and 4 decimals (no more than the currency). */
export const BILLING_POSITIVE_AMOUNT = /^(?!0+(\.0+)?$)(0|[1-9]\d{0,14})(\.\d{1,4})?$/;
/** A percentage from 0 to 100, up to 4 decimals. */
export const DISCOUNT_PERCENT = /^(100(\.0{1,4})?|\d{1,2}(\.\d{1,4})?)$/;
/** Your id for an object (external id), also used for find-or-create. */
export const BILLING_EXTERNAL_ID = /^[A-Za-z0-9._:-]{1,100}$/;
export const BILLING_EXTERNAL_ID_MESSAGE =
  'externalId must be 1–100 characters: letters, digits, . _ : -';
/** A reference to the record that caused a line (a usage batch, an order line): for dedupe. */
export const BILLING_SOURCE_REFERENCE = /^[A-Za-z0-9._:/-]{1,200}$/;
export const BILLING_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const BILLING_QUANTITY_MESSAGE =
  'must be a non-negative decimal string with up to 12 integer digits and 6 decimals, e.g. "10" or "2.5"';
export const POSITIVE_BILLING_QUANTITY_MESSAGE =
  'must be a positive decimal string with up to 12 integer digits and 6 decimals, e.g. "10" or "2.5"';
export const BILLING_UNIT_AMOUNT_MESSAGE =
  'must be a non-negative decimal string with up to 9 integer digits and 10 decimals, e.g. "12.50"';
export const BILLING_FLAT_AMOUNT_MESSAGE =
  'must be a non-negative decimal string with up to 15 integer digits and 10 decimals, e.g. "1200.00"';

/** True when `amount` has no more decimals than `currency` has minor units. */
export function fitsCurrencyMinorUnits(amount: string, currency: string): boolean {
  return new MoneyDecimal(amount).decimalPlaces() <= minorUnits(currency);
}

/** Days `from` (inclusive) to `to` (exclusive), both YYYY-MM-DD: what an amount pays for. */
export class ServicePeriodDto {
  @ApiProperty({ format: 'date', description: 'First day, inclusive', example: '2026-01-01' })
  @Matches(BILLING_DATE, { message: 'from must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a real calendar date' })
  from!: string;

  @ApiProperty({
    format: 'date',
    description: 'Day after the last, exclusive',
    example: '2026-02-01',
  })
  @Matches(BILLING_DATE, { message: 'to must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a real calendar date' })
  to!: string;
}

/** Runs a check that depends on the address's country (read from the same object). */
function ValidForCountry(
  check: (country: string | undefined, value: unknown) => string | undefined,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    const countryOf = (args: ValidationArguments): string | undefined => {
      const country = (args.object as { country?: unknown }).country;
      return typeof country === 'string' && COUNTRY_CODE.test(country) ? country : undefined;
    };
    registerDecorator({
      name: 'validForCountry',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          check(countryOf(args), value) === undefined,
        defaultMessage: (args: ValidationArguments) =>
          check(countryOf(args), args.value) ?? 'invalid',
      },
    });
  };
}

const COUNTRY_MESSAGE = 'country must be an ISO 3166-1 alpha-2 code in capitals, such as US or DE';

/**
 * A postal address invoices are sent to and tax is computed for. Street and city are required; the
 * region and postal code follow the tax model's rules for the country (a US address needs its state
 * and ZIP code, a Canadian one its province; postal codes in the country's format).
 */
export class BillingAddressDto {
  @ApiProperty({ example: '1 Market Street', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  line1!: string;

  @ApiPropertyOptional({ example: 'Suite 300', maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  line2?: string;

  @ApiProperty({ example: 'San Francisco', maxLength: 50 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  city!: string;

  @ApiPropertyOptional({
    description:
      'ISO 3166-2 subdivision code without the country prefix; required in the US (state, e.g. CA) and Canada (province)',
    example: 'CA',
  })
  @ValidForCountry(regionProblem)
  region?: string;

  @ApiPropertyOptional({
    description: "Postal code in the country's format, in capitals; required in the US (ZIP)",
    example: '94105',
  })
  @ValidForCountry(postalCodeProblem)
  postalCode?: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2, in capitals', example: 'US' })
  @Matches(COUNTRY_CODE, { message: COUNTRY_MESSAGE })
  @IsISO31661Alpha2({ message: COUNTRY_MESSAGE })
  country!: string;
}

/**
 * What produced a line: the subscription period it bills, an amendment, a usage record, a person
 * (one-time lines and discounts), or the tax system (tax lines; reference: its document code).
 */
export const LINE_SOURCE_KINDS = [
  'subscription_period',
  'amendment',
  'usage',
  'manual',
  'tax',
] as const;
export type LineSourceKind = (typeof LINE_SOURCE_KINDS)[number];

export class LineSourceDto {
  @ApiProperty({ enum: LINE_SOURCE_KINDS })
  kind!: LineSourceKind;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The Revgate object behind the line: subscription, amendment or usage line',
  })
  id?: string;

  @ApiPropertyOptional({
    description: "The caller's reference (e.g. the rated-usage batch id), used to deduplicate",
  })
  reference?: string;
}
