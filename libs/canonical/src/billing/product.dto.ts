import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { ITEM_CODE, TAX_CODE } from '../tax/tax-document.dto';
import { BILLING_EXTERNAL_ID, BILLING_EXTERNAL_ID_MESSAGE } from './billing-common.dto';

/** The product tax code a product gets when none is given: SaaS (Avalara's SW054000). */
export const DEFAULT_PRODUCT_TAX_CODE = 'SW054000';

/** The family a product's revenue is summarized under when none is given. */
export const DEFAULT_PRODUCT_FAMILY = 'general';
/** A product family: 1–64 letters, digits, spaces, `.`, `_` or `-`, starting with a letter or digit. */
export const PRODUCT_FAMILY = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
export const PRODUCT_FAMILY_MESSAGE =
  'family must be 1–64 letters, digits, spaces, . _ or -, starting with a letter or digit';

/**
 * How a one-time charge of the product is recognized: at the invoice's issue date
 * (`point_in_time`, e.g. a setup fee that delivers nothing further) or ratably by day over the
 * line's service period (`ratable`, e.g. a training package used over months). Subscription lines
 * are always ratable and usage lines recognized as consumed.
 */
export const ONE_TIME_RECOGNITION = ['point_in_time', 'ratable'] as const;
export type OneTimeRecognition = (typeof ONE_TIME_RECOGNITION)[number];
export const ONE_TIME_RECOGNITION_MESSAGE = 'oneTimeRecognition must be point_in_time or ratable';

/** What is sold (Stripe's Product). Prices hang off it. */
export class CreateBillingProductRequest {
  @ApiPropertyOptional({ description: 'Your id for the product, unique', example: 'PLATFORM' })
  @IsOptional()
  @Matches(BILLING_EXTERNAL_ID, { message: BILLING_EXTERNAL_ID_MESSAGE })
  externalId?: string;

  @ApiPropertyOptional({
    description: 'Stock-keeping unit, unique; sent to tax as the item code',
    example: 'PLAT-PRO',
  })
  @IsOptional()
  @Matches(ITEM_CODE, { message: 'sku must be 1–50 letters, digits, . _ : / or -' })
  sku?: string;

  @ApiProperty({ example: 'Platform Pro', maxLength: 255 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({
    description: 'Product tax code: SW054000 (SaaS), P0000000 (tangible goods), NT (not taxable)',
    default: DEFAULT_PRODUCT_TAX_CODE,
    example: 'SW054000',
  })
  @IsOptional()
  @Matches(TAX_CODE, { message: 'taxCode must be 2–25 capital letters or digits, e.g. SW054000' })
  taxCode?: string;

  @ApiPropertyOptional({
    default: true,
    description: 'Inactive products take no new prices or sales',
  })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional({
    description:
      'Product family: revenue journals summarize recognized revenue per entity, account and family',
    default: DEFAULT_PRODUCT_FAMILY,
    example: 'platform',
  })
  @IsOptional()
  @Matches(PRODUCT_FAMILY, { message: PRODUCT_FAMILY_MESSAGE })
  family?: string;

  @ApiPropertyOptional({
    enum: ONE_TIME_RECOGNITION,
    default: 'point_in_time',
    description:
      "How the product's one-time charges are recognized: at the issue date, or ratably over the line's service period",
  })
  @IsOptional()
  @IsIn(ONE_TIME_RECOGNITION, { message: ONE_TIME_RECOGNITION_MESSAGE })
  oneTimeRecognition?: OneTimeRecognition;
}

export class BillingProductResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiPropertyOptional()
  externalId?: string;

  @ApiPropertyOptional()
  sku?: string;

  @ApiProperty()
  name!: string;

  @ApiPropertyOptional()
  description?: string;

  @ApiProperty({ example: 'SW054000' })
  taxCode!: string;

  @ApiProperty({ example: 'platform' })
  family!: string;

  @ApiProperty({ enum: ONE_TIME_RECOGNITION })
  oneTimeRecognition!: OneTimeRecognition;

  @ApiProperty()
  active!: boolean;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
