import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageOf } from '@revgate/platform';
import {
  EXTERNAL_ID_MESSAGE,
  EXTERNAL_ID_PATTERN,
  IsOmittable,
  QueryBoolean,
  SyncPageQuery,
} from '../../common.dto';

export class CreateProductRequest {
  @ApiPropertyOptional({ example: 'P-PLAT' })
  @IsOptional()
  @Matches(EXTERNAL_ID_PATTERN, { message: EXTERNAL_ID_MESSAGE })
  externalId?: string;

  @ApiProperty({ description: 'Product code, unique', example: 'PLAT-ANNUAL' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    message: 'sku must be 1–64 letters, digits, . _ or -',
  })
  sku!: string;

  @ApiProperty({ example: 'Platform subscription' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  @ApiPropertyOptional({ example: 'subscription' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  family?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateProductRequest {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  family?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  active?: boolean;
}

export class ListProductsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class ProductResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiPropertyOptional()
  externalId?: string;

  @ApiProperty()
  sku!: string;

  @ApiProperty()
  name!: string;

  @ApiPropertyOptional()
  family?: string;

  @ApiProperty()
  active!: boolean;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class ProductPage extends PageOf(ProductResponse) {}
