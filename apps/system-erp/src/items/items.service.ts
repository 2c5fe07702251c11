import { Inject, Injectable } from '@nestjs/common';
import { type Principal } from '@revgate/auth';
import { expectedVersion, keysetPage, keysetWindow, Page } from '@revgate/platform';
import { ErpErrorCode } from '../erp-error-code';
import { assertEntityVisible, found } from '../erp.guards';
import { toItemResponse } from '../erp.mappers';
import { ERP_PROVIDER, type ErpProvider } from '../providers/erp-provider.port';
import { ItemResponse, ListItemsQuery, UpsertItemRequest } from './dto/item.dto';

@Injectable()
export class ItemsService {
  constructor(@Inject(ERP_PROVIDER) private readonly erp: ErpProvider) {}

  async upsert(
    caller: Principal,
    legalEntity: string,
    code: string,
    request: UpsertItemRequest,
    ifMatch?: string,
  ): Promise<{ item: ItemResponse; created: boolean }> {
    assertEntityVisible(caller, legalEntity);
    const { record, created } = await this.erp.upsertItem(
      {
        legalEntity,
        code,
        name: request.name,
        revenueAccount: request.revenueAccount,
        ...(request.deferredRevenueAccount === undefined
          ? {}
          : { deferredRevenueAccount: request.deferredRevenueAccount }),
        ...(request.taxCode === undefined ? {} : { taxCode: request.taxCode }),
      },
      { expectedVersion: expectedVersion(ifMatch) },
    );
    return { item: toItemResponse(record), created };
  }

  async get(caller: Principal, legalEntity: string, code: string): Promise<ItemResponse> {
    assertEntityVisible(caller, legalEntity);
    return toItemResponse(
      found(
        await this.erp.getItem(legalEntity, code),
        ErpErrorCode.ITEM_NOT_FOUND,
        `Legal entity ${legalEntity} has no item ${code}.`,
      ),
    );
  }

  async list(caller: Principal, query: ListItemsQuery): Promise<Page<ItemResponse>> {
    const slice = await this.erp.listItems({
      ...keysetWindow(query, caller.legalEntities),
      legalEntity: query.legalEntity,
    });
    return keysetPage(slice, toItemResponse);
  }
}
