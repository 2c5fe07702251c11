import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import {
  ITEM_CODE,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
  TAX_CODE,
} from '../tax/tax-document.dto';
import { Omittable } from './field-rules';
import { ACCOUNT_CODE_MESSAGE } from './gl-account.dto';
import { ACCOUNT_CODE } from './journal-entry.dto';

/**
 * An item the entity sells (Tryton product, NetSuite service item) and where its revenue goes:
 * the revenue account, the deferred revenue account for lines billed ahead of their service
 * period, and the product tax code.
 */
export class ErpItemDto {
  @ApiProperty({ description: 'Code of the legal entity that sells the item', example: 'US01' })
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity!: string;

  @ApiProperty({ description: 'Item code: the product sku', example: 'PLATFORM-ANNUAL' })
  @Matches(ITEM_CODE, { message: 'code must be 1–50 letters, digits, . _ : / or -' })
  code!: string;

  @ApiProperty({ example: 'Platform subscription (annual)', maxLength: 255 })
  @IsString({ message: 'name must be a string' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(255, { message: 'name must be at most 255 characters' })
  name!: string;

  @ApiProperty({ description: 'Revenue account (type revenue) of the entity', example: '4000' })
  @Matches(ACCOUNT_CODE, { message: `revenueAccount ${ACCOUNT_CODE_MESSAGE}` })
  revenueAccount!: string;

  @ApiPropertyOptional({
    description:
      "Deferred revenue account (type deferred_revenue) for lines whose service period runs past their posting period; without it, the entity's default",
    example: '2400',
  })
  @Omittable()
  @Matches(ACCOUNT_CODE, { message: `deferredRevenueAccount ${ACCOUNT_CODE_MESSAGE}` })
  deferredRevenueAccount?: string;

  @ApiPropertyOptional({ description: 'Product tax code', example: 'SW054000' })
  @Omittable()
  @Matches(TAX_CODE, { message: 'taxCode must be 2–25 capital letters or digits, e.g. SW054000' })
  taxCode?: string;
}
