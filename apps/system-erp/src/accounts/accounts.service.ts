import { Inject, Injectable } from '@nestjs/common';
import { type Principal } from '@revgate/auth';
import { expectedVersion, keysetPage, keysetWindow, Page } from '@revgate/platform';
import { ErpErrorCode } from '../erp-error-code';
import { assertEntityVisible, found } from '../erp.guards';
import { toAccountResponse } from '../erp.mappers';
import { ERP_PROVIDER, type ErpProvider } from '../providers/erp-provider.port';
import { AccountResponse, ListAccountsQuery, UpsertAccountRequest } from './dto/account.dto';

@Injectable()
export class AccountsService {
  constructor(@Inject(ERP_PROVIDER) private readonly erp: ErpProvider) {}

  async upsert(
    caller: Principal,
    legalEntity: string,
    code: string,
    request: UpsertAccountRequest,
    ifMatch?: string,
  ): Promise<{ account: AccountResponse; created: boolean }> {
    assertEntityVisible(caller, legalEntity);
    const { record, created } = await this.erp.upsertAccount(
      { legalEntity, code, name: request.name, type: request.type },
      { expectedVersion: expectedVersion(ifMatch) },
    );
    return { account: toAccountResponse(record), created };
  }

  async get(caller: Principal, legalEntity: string, code: string): Promise<AccountResponse> {
    assertEntityVisible(caller, legalEntity);
    return toAccountResponse(
      found(
        await this.erp.getAccount(legalEntity, code),
        ErpErrorCode.ACCOUNT_NOT_FOUND,
        `The chart of ${legalEntity} has no account ${code}.`,
      ),
    );
  }

  async list(caller: Principal, query: ListAccountsQuery): Promise<Page<AccountResponse>> {
    const slice = await this.erp.listAccounts({
      ...keysetWindow(query, caller.legalEntities),
      legalEntity: query.legalEntity,
      type: query.type,
    });
    return keysetPage(slice, toAccountResponse);
  }
}
