import { Body, Controller, Get, Headers, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, etagFor, Page, RequireScopes } from '@revgate/platform';
import {
  ETAG_HEADER,
  IF_MATCH,
  ItemCodeParam,
  LEGAL_ENTITY_PATH,
  LegalEntityParam,
} from '../common.dto';
import { ItemPage, ItemResponse, ListItemsQuery, UpsertItemRequest } from './dto/item.dto';
import { ItemsService } from './items.service';

const CODE = { name: 'code', example: 'PLATFORM-ANNUAL', description: 'Item code (the sku)' };

@ApiTags('Items')
@Controller('items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  /**
   * Creates the item (201) or changes it (200): its revenue account (type revenue), deferred
   * revenue account (type deferred_revenue) and tax code. Accounts not in the entity's chart are
   * refused (422 ERP_ACCOUNT_UNKNOWN, ERP_ACCOUNT_TYPE_MISMATCH).
   */
  @Put(':legalEntity/:code')
  @RequireScopes('erp:write')
  @ApiParam(LEGAL_ENTITY_PATH)
  @ApiParam(CODE)
  @ApiHeader(IF_MATCH)
  @ApiCreatedResponse({ type: ItemResponse, headers: ETAG_HEADER, description: 'Created' })
  @ApiOkResponse({ type: ItemResponse, headers: ETAG_HEADER, description: 'Changed or unchanged' })
  @ApiProblems(400, 403, 404, 412, 422)
  async upsert(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @ItemCodeParam() code: string,
    @Body() body: UpsertItemRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ItemResponse> {
    const { item, created } = await this.items.upsert(caller, legalEntity, code, body, ifMatch);
    void reply.status(created ? 201 : 200).header('etag', etagFor(item.version));
    return item;
  }

  /** Lists items of the entities the caller may see, oldest update first. */
  @Get()
  @RequireScopes('erp:read')
  @ApiOkResponse({ type: ItemPage })
  @ApiProblems(400, 403)
  list(@Caller() caller: Principal, @Query() query: ListItemsQuery): Promise<Page<ItemResponse>> {
    return this.items.list(caller, query);
  }

  @Get(':legalEntity/:code')
  @RequireScopes('erp:read')
  @ApiParam(LEGAL_ENTITY_PATH)
  @ApiParam(CODE)
  @ApiOkResponse({ type: ItemResponse, headers: ETAG_HEADER })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @ItemCodeParam() code: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ItemResponse> {
    const item = await this.items.get(caller, legalEntity, code);
    void reply.header('etag', etagFor(item.version));
    return item;
  }
}
