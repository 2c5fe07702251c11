import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { PageOf, SyncPageQuery } from '@revgate/platform';

const ITEM_CODE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,49}$/;
const ITEM_CODE_MESSAGE = 'erpItemCode must be 1–50 letters, digits, . _ : / or -';
const CURRENCY_MESSAGE = 'currency must be an ISO 4217 code in capitals, such as USD';

export class CreateProductMappingRequest {
  @ApiProperty({ format: 'uuid', description: 'The CRM product' })
  @IsUUID('all', { message: 'crmProductId must be a UUID' })
  crmProductId!: string;

  @ApiProperty({ example: 'USD', description: 'The currency of the deals this mapping serves' })
  @Matches(/^[A-Z]{3}$/, { message: CURRENCY_MESSAGE })
  @IsISO4217CurrencyCode({ message: CURRENCY_MESSAGE })
  currency!: string;

  @ApiProperty({
    format: 'uuid',
    description:
      "The billing price orders subscribe to (recurring, in the mapping's currency): its product is what billing invoices",
  })
  @IsUUID('all', { message: 'billingPriceId must be a UUID' })
  billingPriceId!: string;

  @ApiProperty({ example: 'PLAT-ANNUAL', description: 'The ERP item revenue posts under' })
  @Matches(ITEM_CODE, { message: ITEM_CODE_MESSAGE })
  erpItemCode!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString({ message: 'note must be a string' })
  @IsNotEmpty({ message: 'note must not be empty' })
  @MaxLength(500, { message: 'note must be at most 500 characters' })
  note?: string;
}

export class UpdateProductMappingRequest {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'billingPriceId must be a UUID' })
  billingPriceId?: string;

  @ApiPropertyOptional({ example: 'PLAT-ANNUAL' })
  @IsOptional()
  @Matches(ITEM_CODE, { message: ITEM_CODE_MESSAGE })
  erpItemCode?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString({ message: 'note must be a string' })
  @IsNotEmpty({ message: 'note must not be empty' })
  @MaxLength(500, { message: 'note must be at most 500 characters' })
  note?: string;
}

export class ListProductMappingsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'crmProductId must be a UUID' })
  crmProductId?: string;

  @ApiPropertyOptional({ example: 'USD' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: CURRENCY_MESSAGE })
  currency?: string;
}

export class ProductMappingResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  crmProductId!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ format: 'uuid' })
  billingPriceId!: string;

  @ApiProperty({ example: 'PLAT-ANNUAL' })
  erpItemCode!: string;

  @ApiPropertyOptional()
  note?: string;

  @ApiProperty({ description: 'Row version; the ETag is "v<version>"' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class ProductMappingPage extends PageOf(ProductMappingResponse) {}
