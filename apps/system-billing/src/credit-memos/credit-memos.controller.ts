import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, etagFor, Page, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import { CreditMemosService } from './credit-memos.service';
import {
  CreateCreditMemoRequest,
  CreditMemoPage,
  CreditMemoResponse,
  ListCreditMemosQuery,
} from './dto/credit-memo.dto';

@ApiTags('Credit memos')
@Controller()
export class CreditMemosController {
  constructor(private readonly memos: CreditMemosService) {}

  /**
   * Issues a credit memo against a finalized invoice: lines credit invoice lines (their tax is
   * credited in proportion) or free amounts. It applies to the invoice at once; more than is left to
   * pay on it is 422 BILLING_CREDIT_EXCEEDS_REMAINING. Emits billing.credit_memo.created.v1.
   */
  @Post('invoices/:id/credit-memos')
  @RequireScopes('billing:write')
  @ApiCreatedResponse({ type: CreditMemoResponse })
  @ApiProblems(400, 403, 404, 409, 422)
  async create(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: CreateCreditMemoRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreditMemoResponse> {
    const memo = await this.memos.create(caller, id, body);
    void reply.header('etag', etagFor(memo.version)).header('location', `credit-memos/${memo.id}`);
    return memo;
  }

  /**
   * Reports a credit memo still `pending` to the tax system as a return against its invoice's
   * tax transaction (when the report that follows its creation failed). Safe to repeat.
   */
  @Post('credit-memos/:id/report-tax')
  @HttpCode(200)
  @RequireScopes('billing:write')
  @ApiOkResponse({ type: CreditMemoResponse })
  @ApiProblems(400, 403, 404, 422, 503)
  async reportTax(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreditMemoResponse> {
    const memo = await this.memos.reportTaxAgain(caller, id);
    void reply.header('etag', etagFor(memo.version));
    return memo;
  }

  @Get('credit-memos')
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: CreditMemoPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListCreditMemosQuery,
  ): Promise<Page<CreditMemoResponse>> {
    return this.memos.list(caller, query);
  }

  @Get('credit-memos/:id')
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: CreditMemoResponse })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreditMemoResponse> {
    const memo = await this.memos.get(caller, id);
    void reply.header('etag', etagFor(memo.version));
    return memo;
  }
}
