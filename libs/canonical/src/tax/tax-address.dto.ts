import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsISO31661Alpha2,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import {
  CA_PROVINCES,
  GENERIC_POSTAL_CODE,
  GENERIC_REGION,
  POSTAL_CODE_FORMATS,
  US_STATES,
} from './jurisdictions';

export const COUNTRY_CODE = /^[A-Z]{2}$/;
const COUNTRY_MESSAGE = 'country must be an ISO 3166-1 alpha-2 code in capitals, such as US or DE';

/** What is wrong with `region` for an address in `country`, or undefined when it is fine. */
export function regionProblem(country: string | undefined, region: unknown): string | undefined {
  if (region === undefined) {
    if (country === 'US')
      return 'region is required for a US address: the two-letter code of the state, e.g. TX';
    if (country === 'CA')
      return 'region is required for a Canadian address: the two-letter code of the province, e.g. ON';
    return undefined;
  }
  if (typeof region !== 'string') return 'region must be a string';
  if (country === 'US')
    return Object.hasOwn(US_STATES, region)
      ? undefined
      : 'region must be the two-letter code of a US state or DC in capitals, e.g. TX';
  if (country === 'CA')
    return CA_PROVINCES.includes(region)
      ? undefined
      : 'region must be the two-letter code of a Canadian province or territory, e.g. ON';
  return GENERIC_REGION.test(region)
    ? undefined
    : 'region must be an ISO 3166-2 subdivision code without the country prefix: 1–3 capital letters or digits';
}

/** What is wrong with `postalCode` for an address in `country`, or undefined when it is fine. */
export function postalCodeProblem(
  country: string | undefined,
  postalCode: unknown,
): string | undefined {
  if (postalCode === undefined)
    return country === 'US' ? 'postalCode is required for a US address (ZIP code)' : undefined;
  if (typeof postalCode !== 'string') return 'postalCode must be a string';
  const format =
    country !== undefined && Object.hasOwn(POSTAL_CODE_FORMATS, country)
      ? POSTAL_CODE_FORMATS[country]
      : undefined;
  if (format) {
    return format.test(postalCode)
      ? undefined
      : `postalCode is not a valid postal code for ${country ?? ''} (capitals, e.g. ${country === 'US' ? '78701 or 78701-1234' : 'as printed on mail'})`;
  }
  return GENERIC_POSTAL_CODE.test(postalCode)
    ? undefined
    : 'postalCode must be 1–12 capital letters, digits, spaces or dashes';
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

/**
 * A place a supply is made from or to (AvaTax's AddressLocationInfo). Tax follows it: the country
 * always, the US state and ZIP code in the US. Street lines are optional for tax.
 */
export class TaxAddressDto {
  @ApiPropertyOptional({ example: '100 Congress Avenue', maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  line1?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  line2?: string;

  @ApiPropertyOptional({ example: 'Austin', maxLength: 50 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  city?: string;

  @ApiPropertyOptional({
    description:
      'State, province or region: the ISO 3166-2 subdivision code without the country prefix. Required in the US (state or DC, e.g. TX) and Canada (province, e.g. ON).',
    example: 'TX',
  })
  @ValidForCountry(regionProblem)
  region?: string;

  @ApiPropertyOptional({
    description:
      "Postal code in the country's format, in capitals. Required in the US (ZIP or ZIP+4).",
    example: '78701',
  })
  @ValidForCountry(postalCodeProblem)
  postalCode?: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2, in capitals', example: 'US' })
  @Matches(COUNTRY_CODE, { message: COUNTRY_MESSAGE })
  @IsISO31661Alpha2({ message: COUNTRY_MESSAGE })
  country!: string;
}

/** Where the supply is made from (the seller) and to (the buyer). */
export class TaxAddressesDto {
  @ApiProperty({ type: TaxAddressDto, description: "The seller's location" })
  @IsObject({ message: 'shipFrom must be an address object' })
  @ValidateNested()
  @Type(() => TaxAddressDto)
  shipFrom!: TaxAddressDto;

  @ApiProperty({
    type: TaxAddressDto,
    description: "The buyer's location, where the service is used: it decides the jurisdiction",
  })
  @IsObject({ message: 'shipTo must be an address object' })
  @ValidateNested()
  @Type(() => TaxAddressDto)
  shipTo!: TaxAddressDto;
}
