import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ITEM_CODE, TAX_CODE } from '../tax/tax-document.dto';
import { BILLING_EXTERNAL_ID, BILLING_EXTERNAL_ID_MESSAGE } from './billing-common.dto';

/** The product tax code a product gets when none is given: SaaS (Avalara's SW054000). */
export const DEFAULT_PRODUCT_TAX_CODE = 'SW054000';

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

  @ApiProperty()
  active!: boolean;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
