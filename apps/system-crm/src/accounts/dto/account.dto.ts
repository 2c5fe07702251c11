import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsISO31661Alpha2,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageOf } from '@revgate/platform';
import {
  COUNTRY_MESSAGE,
  COUNTRY_PATTERN,
  CURRENCY_MESSAGE,
  CURRENCY_PATTERN,
  EXTERNAL_ID_MESSAGE,
  EXTERNAL_ID_PATTERN,
  IsOmittable,
  LEGAL_ENTITY_MESSAGE,
  LEGAL_ENTITY_PATTERN,
  SyncPageQuery,
} from '../../common.dto';

export class PostalAddressDto {
  @ApiProperty({ example: '1 Market Street' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  line1!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  line2?: string;

  @ApiProperty({ example: 'San Francisco' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  city!: string;

  @ApiPropertyOptional({ example: 'CA' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string;

  @ApiPropertyOptional({ example: '94105' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'US' })
  @Matches(COUNTRY_PATTERN, { message: COUNTRY_MESSAGE })
  @IsISO31661Alpha2({ message: COUNTRY_MESSAGE })
  country!: string;
}

export class TaxRegistrationDto {
  @ApiProperty({ example: 'VAT', description: 'Registration scheme: VAT, GST, EIN, …' })
  @Matches(/^[A-Z]{2,10}$/, { message: 'scheme must be 2–10 capital letters, e.g. VAT' })
  scheme!: string;

  @ApiProperty({ example: 'DE123456789' })
  @Matches(/^[A-Za-z0-9 .-]{2,50}$/, {
    message: 'number must be 2–50 letters, digits, spaces, dots or dashes',
  })
  number!: string;

  @ApiProperty({ example: 'DE' })
  @Matches(COUNTRY_PATTERN, { message: COUNTRY_MESSAGE })
  @IsISO31661Alpha2({ message: COUNTRY_MESSAGE })
  country!: string;
}

export class CreateAccountRequest {
  @ApiPropertyOptional({
    description: 'Your id for the account (Salesforce external id field)',
    example: 'ACME-001',
  })
  @IsOptional()
  @Matches(EXTERNAL_ID_PATTERN, { message: EXTERNAL_ID_MESSAGE })
  externalId?: string;

  @ApiProperty({ example: 'Acme Corporation' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  legalName!: string;

  @ApiProperty({ type: PostalAddressDto })
  @IsObject({ message: 'billingAddress must be an object' })
  @ValidateNested()
  @Type(() => PostalAddressDto)
  billingAddress!: PostalAddressDto;

  @ApiPropertyOptional({ type: TaxRegistrationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TaxRegistrationDto)
  taxRegistration?: TaxRegistrationDto;

  @ApiProperty({ description: 'ISO 4217', example: 'USD' })
  @Matches(CURRENCY_PATTERN, { message: CURRENCY_MESSAGE })
  @IsISO4217CurrencyCode({ message: CURRENCY_MESSAGE })
  currency!: string;

  @ApiProperty({
    description: 'Code of the legal entity that contracts with the customer',
    example: 'US01',
  })
  @Matches(LEGAL_ENTITY_PATTERN, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'parentAccountId must be a UUID' })
  parentAccountId?: string;
}

export class UpdateAccountRequest {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  legalName?: string;

  @ApiPropertyOptional({ type: PostalAddressDto })
  @IsOmittable()
  @ValidateNested()
  @Type(() => PostalAddressDto)
  billingAddress?: PostalAddressDto;

  @ApiPropertyOptional({ type: TaxRegistrationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TaxRegistrationDto)
  taxRegistration?: TaxRegistrationDto;

  @ApiPropertyOptional({ example: 'EUR' })
  @IsOmittable()
  @Matches(CURRENCY_PATTERN, { message: CURRENCY_MESSAGE })
  @IsISO4217CurrencyCode({ message: CURRENCY_MESSAGE })
  currency?: string;

  @ApiPropertyOptional({ example: 'DE01' })
  @IsOmittable()
  @Matches(LEGAL_ENTITY_PATTERN, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'parentAccountId must be a UUID' })
  parentAccountId?: string;
}

export class ListAccountsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(LEGAL_ENTITY_PATTERN, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(EXTERNAL_ID_PATTERN, { message: EXTERNAL_ID_MESSAGE })
  externalId?: string;
}

export class AccountResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiPropertyOptional()
  externalId?: string;

  @ApiProperty()
  legalName!: string;

  @ApiProperty({ type: PostalAddressDto })
  billingAddress!: PostalAddressDto;

  @ApiPropertyOptional({ type: TaxRegistrationDto })
  taxRegistration?: TaxRegistrationDto;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  parentAccountId?: string;

  @ApiProperty({ description: 'Row version; the ETag is "v<version>"' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class AccountPage extends PageOf(AccountResponse) {}
