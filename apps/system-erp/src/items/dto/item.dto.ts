import { ApiPropertyOptional, IntersectionType, OmitType } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ErpItemDto, LEGAL_ENTITY_CODE, LEGAL_ENTITY_MESSAGE } from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { RecordResponse, SyncPageQuery } from '../../common.dto';

/** An item as PUT creates or changes it (legal entity and code are in the path). */
export class UpsertItemRequest extends OmitType(ErpItemDto, ['legalEntity', 'code'] as const) {}

export class ItemResponse extends IntersectionType(ErpItemDto, RecordResponse) {}

export class ListItemsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;
}

export class ItemPage extends PageOf(ItemResponse) {}
