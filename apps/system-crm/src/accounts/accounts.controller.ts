import { Body, Controller, Get, Headers, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, etagFor, Page, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import { AccountsService } from './accounts.service';
import {
  AccountPage,
  AccountResponse,
  CreateAccountRequest,
  ListAccountsQuery,
  UpdateAccountRequest,
} from './dto/account.dto';

@ApiTags('Accounts')
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /** Creates an account (the customer master record). */
  @Post()
  @RequireScopes('crm:write')
  @ApiCreatedResponse({ type: AccountResponse })
  @ApiProblems(400, 403, 409, 422)
  async create(
    @Caller() caller: Principal,
    @Body() body: CreateAccountRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccountResponse> {
    const account = await this.accounts.create(caller, body);
    void reply
      .header('etag', etagFor(account.version))
      .header('location', `accounts/${account.id}`);
    return account;
  }

  /** Lists accounts the caller may see, oldest update first (use updatedSince to sync). */
  @Get()
  @RequireScopes('crm:read')
  @ApiOkResponse({ type: AccountPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListAccountsQuery,
  ): Promise<Page<AccountResponse>> {
    return this.accounts.list(caller, query);
  }

  @Get(':id')
  @RequireScopes('crm:read')
  @ApiOkResponse({
    type: AccountResponse,
    headers: { ETag: { description: 'Send as If-Match to update', schema: { type: 'string' } } },
  })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccountResponse> {
    const account = await this.accounts.get(caller, id);
    void reply.header('etag', etagFor(account.version));
    return account;
  }

  /** Changes an account. Send If-Match with the ETag you read; a stale one gets 412. */
  @Patch(':id')
  @RequireScopes('crm:write')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from your last read' })
  @ApiOkResponse({ type: AccountResponse })
  @ApiProblems(400, 403, 404, 412, 422)
  async update(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateAccountRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccountResponse> {
    const account = await this.accounts.update(caller, id, body, ifMatch);
    void reply.header('etag', etagFor(account.version));
    return account;
  }
}
