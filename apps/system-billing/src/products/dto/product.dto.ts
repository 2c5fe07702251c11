import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  BILLING_EXTERNAL_ID,
  BILLING_EXTERNAL_ID_MESSAGE,
  BillingProductResponse,
  ITEM_CODE,
  ONE_TIME_RECOGNITION,
  ONE_TIME_RECOGNITION_MESSAGE,
  type OneTimeRecognition,
  PRODUCT_FAMILY,
  PRODUCT_FAMILY_MESSAGE,
  TAX_CODE,
} from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { IsOmittable, QueryBoolean, SyncPageQuery } from '../../common.dto';

export { BillingProductResponse, CreateBillingProductRequest } from '@revgate/canonical';

export class ListProductsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(BILLING_EXTERNAL_ID, { message: BILLING_EXTERNAL_ID_MESSAGE })
  externalId?: string;
}

/** A change to a product: the fields sent change, the others stay; null removes an optional one. */
export class UpdateBillingProductRequest {
  @ApiPropertyOptional({ description: 'Your id for the product, unique', example: 'PLATFORM' })
  @IsOmittable()
  @Matches(BILLING_EXTERNAL_ID, { message: BILLING_EXTERNAL_ID_MESSAGE })
  externalId?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Stock-keeping unit, unique; sent to tax as the item code; null removes it',
    example: 'PLAT-PRO',
  })
  @IsOptional()
  @Matches(ITEM_CODE, { message: 'sku must be 1–50 letters, digits, . _ : / or -' })
  sku?: string | null;

  @ApiPropertyOptional({ example: 'Platform Pro', maxLength: 255 })
  @IsOmittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  description?: string | null;

  @ApiPropertyOptional({
    description:
      'Product tax code: SW054000 (SaaS), P0000000 (tangible goods), NT (not taxable); applies to lines invoiced from now',
    example: 'SW054000',
  })
  @IsOmittable()
  @Matches(TAX_CODE, { message: 'taxCode must be 2–25 capital letters or digits, e.g. SW054000' })
  taxCode?: string;

  @ApiPropertyOptional({ description: 'Inactive products take no new prices or sales' })
  @IsOmittable()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional({
    description: 'Product family; applies to revenue recognized from now',
    example: 'platform',
  })
  @IsOmittable()
  @Matches(PRODUCT_FAMILY, { message: PRODUCT_FAMILY_MESSAGE })
  family?: string;

  @ApiPropertyOptional({
    enum: ONE_TIME_RECOGNITION,
    description: 'Recognition of one-time charges; applies to lines posted from now',
  })
  @IsOmittable()
  @IsIn(ONE_TIME_RECOGNITION, { message: ONE_TIME_RECOGNITION_MESSAGE })
  oneTimeRecognition?: OneTimeRecognition;
}

export class BillingProductPage extends PageOf(BillingProductResponse) {}
