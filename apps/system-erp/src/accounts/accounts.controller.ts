import { Body, Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, Page, RequireScopes } from '@revgate/platform';
import { AccountCodeParam, LegalEntityParam } from '../common.dto';
import { LookupRoute, upserted, UpsertRoute, withETag } from '../erp.http';
import { AccountsService } from './accounts.service';
import {
  AccountPage,
  AccountResponse,
  ListAccountsQuery,
  UpsertAccountRequest,
} from './dto/account.dto';

@ApiTags('Accounts')
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /**
   * Creates the account in the entity's chart (201) or renames it (200). Its type is fixed once
   * it has postings or is a default or an item's account (422 ERP_FIELD_IMMUTABLE).
   */
  @UpsertRoute(AccountResponse, { name: 'code', description: 'Account code', example: '4000' })
  async upsert(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @AccountCodeParam() code: string,
    @Body() body: UpsertAccountRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccountResponse> {
    const { account, created } = await this.accounts.upsert(
      caller,
      legalEntity,
      code,
      body,
      ifMatch,
    );
    return upserted(reply, account, created);
  }

  /** Lists accounts of the charts the caller may see, oldest update first. */
  @Get()
  @RequireScopes('erp:read')
  @ApiOkResponse({ type: AccountPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListAccountsQuery,
  ): Promise<Page<AccountResponse>> {
    return this.accounts.list(caller, query);
  }

  @LookupRoute(AccountResponse, { name: 'code', description: 'Account code', example: '4000' })
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @AccountCodeParam() code: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccountResponse> {
    return withETag(reply, await this.accounts.get(caller, legalEntity, code));
  }
}
