import { Body, Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, Page, RequireScopes } from '@revgate/platform';
import { ItemCodeParam, LegalEntityParam } from '../common.dto';
import { LookupRoute, upserted, UpsertRoute, withETag } from '../erp.http';
import { ItemPage, ItemResponse, ListItemsQuery, UpsertItemRequest } from './dto/item.dto';
import { ItemsService } from './items.service';

@ApiTags('Items')
@Controller('items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  /**
   * Creates the item (201) or changes it (200): its revenue account (type revenue), deferred
   * revenue account (type deferred_revenue) and tax code. Accounts not in the entity's chart are
   * refused (422 ERP_ACCOUNT_UNKNOWN, ERP_ACCOUNT_TYPE_MISMATCH).
   */
  @UpsertRoute(ItemResponse, {
    name: 'code',
    description: 'Item code (the sku)',
    example: 'PLATFORM-ANNUAL',
  })
  async upsert(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @ItemCodeParam() code: string,
    @Body() body: UpsertItemRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ItemResponse> {
    const { item, created } = await this.items.upsert(caller, legalEntity, code, body, ifMatch);
    return upserted(reply, item, created);
  }

  /** Lists items of the entities the caller may see, oldest update first. */
  @Get()
  @RequireScopes('erp:read')
  @ApiOkResponse({ type: ItemPage })
  @ApiProblems(400, 403)
  list(@Caller() caller: Principal, @Query() query: ListItemsQuery): Promise<Page<ItemResponse>> {
    return this.items.list(caller, query);
  }

  @LookupRoute(ItemResponse, {
    name: 'code',
    description: 'Item code (the sku)',
    example: 'PLATFORM-ANNUAL',
  })
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @ItemCodeParam() code: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ItemResponse> {
    return withETag(reply, await this.items.get(caller, legalEntity, code));
  }
}
