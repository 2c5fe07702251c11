import { Body, Controller, Get, Headers, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, etagFor, Page, RequireScopes } from '@revgate/platform';
import {
  AccountCodeParam,
  ETAG_HEADER,
  IF_MATCH,
  LEGAL_ENTITY_PATH,
  LegalEntityParam,
} from '../common.dto';
import { AccountsService } from './accounts.service';
import {
  AccountPage,
  AccountResponse,
  ListAccountsQuery,
  UpsertAccountRequest,
} from './dto/account.dto';

const CODE = { name: 'code', example: '4000', description: 'Account code' };

@ApiTags('Accounts')
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /**
   * Creates the account in the entity's chart (201) or renames it (200). Its type is fixed once
   * it has postings or is a default or an item's account (422 ERP_FIELD_IMMUTABLE).
   */
  @Put(':legalEntity/:code')
  @RequireScopes('erp:write')
  @ApiParam(LEGAL_ENTITY_PATH)
  @ApiParam(CODE)
  @ApiHeader(IF_MATCH)
  @ApiCreatedResponse({ type: AccountResponse, headers: ETAG_HEADER, description: 'Created' })
  @ApiOkResponse({
    type: AccountResponse,
    headers: ETAG_HEADER,
    description: 'Changed or unchanged',
  })
  @ApiProblems(400, 403, 404, 412, 422)
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
    void reply.status(created ? 201 : 200).header('etag', etagFor(account.version));
    return account;
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

  @Get(':legalEntity/:code')
  @RequireScopes('erp:read')
  @ApiParam(LEGAL_ENTITY_PATH)
  @ApiParam(CODE)
  @ApiOkResponse({ type: AccountResponse, headers: ETAG_HEADER })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @AccountCodeParam() code: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccountResponse> {
    const account = await this.accounts.get(caller, legalEntity, code);
    void reply.header('etag', etagFor(account.version));
    return account;
  }
}
