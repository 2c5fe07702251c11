import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ErpItemDto, LEGAL_ENTITY_CODE, LEGAL_ENTITY_MESSAGE } from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { SyncPageQuery } from '../../common.dto';

/** An item as PUT creates or changes it (legal entity and code are in the path). */
export class UpsertItemRequest extends OmitType(ErpItemDto, ['legalEntity', 'code'] as const) {}

export class ItemResponse extends ErpItemDto {
  @ApiProperty({ description: "The ERP's id of the item" })
  id!: string;

  @ApiProperty({ description: 'Row version; the ETag is "v<version>"' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class ListItemsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;
}

export class ItemPage extends PageOf(ItemResponse) {}
