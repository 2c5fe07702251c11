import { Inject, Injectable } from '@nestjs/common';
import { ApiError, expectedVersion, Page, keysetPage, keysetWindow } from '@revgate/platform';
import { canSeeEntity, type Principal } from '@revgate/auth';
import { CrmErrorCode } from '../crm-error-code';
import { toAccountResponse } from '../crm.mappers';
import { CRM_PROVIDER, type CrmProvider } from '../providers/crm-provider.port';
import {
  AccountResponse,
  CreateAccountRequest,
  ListAccountsQuery,
  UpdateAccountRequest,
} from './dto/account.dto';

export function assertEntityAllowed(caller: Principal, legalEntity: string): void {
  if (!canSeeEntity(caller, legalEntity)) {
    throw new ApiError(
      403,
      CrmErrorCode.LEGAL_ENTITY_FORBIDDEN,
      `Your token does not cover legal entity ${legalEntity}.`,
    );
  }
}

@Injectable()
export class AccountsService {
  constructor(@Inject(CRM_PROVIDER) private readonly crm: CrmProvider) {}

  async create(caller: Principal, request: CreateAccountRequest): Promise<AccountResponse> {
    assertEntityAllowed(caller, request.legalEntity);
    return toAccountResponse(await this.crm.createAccount(request, caller.legalEntities));
  }

  async get(caller: Principal, id: string): Promise<AccountResponse> {
    const account = await this.crm.getAccount(id, caller.legalEntities);
    if (!account)
      throw new ApiError(404, CrmErrorCode.ACCOUNT_NOT_FOUND, `Account ${id} does not exist.`);
    return toAccountResponse(account);
  }

  async list(caller: Principal, query: ListAccountsQuery): Promise<Page<AccountResponse>> {
    const slice = await this.crm.listAccounts({
      ...keysetWindow(query, caller.legalEntities),
      legalEntity: query.legalEntity,
      externalId: query.externalId,
    });
    return keysetPage(slice, toAccountResponse);
  }

  async update(
    caller: Principal,
    id: string,
    request: UpdateAccountRequest,
    ifMatch?: string,
  ): Promise<AccountResponse> {
    if (request.legalEntity) assertEntityAllowed(caller, request.legalEntity);
    const account = await this.crm.updateAccount(id, request, {
      expectedVersion: expectedVersion(ifMatch),
      actor: caller.subject,
      legalEntities: caller.legalEntities,
    });
    return toAccountResponse(account);
  }
}
