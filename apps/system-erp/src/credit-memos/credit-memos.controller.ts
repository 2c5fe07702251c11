import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, etagFor, Page, RequireScopes } from '@revgate/platform';
import { ETAG_HEADER, ExternalIdParam, LEGAL_ENTITY_PATH, LegalEntityParam } from '../common.dto';
import { InvoicesService } from '../invoices/invoices.service';
import {
  CreditMemoPage,
  CreditMemoResponse,
  ListCreditMemosQuery,
  PostCreditMemoRequest,
} from './dto/credit-memo.dto';

const EXTERNAL_ID = { name: 'externalId', description: "Revgate's id of the credit memo" };

@ApiTags('Credit memos')
@Controller('credit-memos')
export class CreditMemosController {
  constructor(private readonly invoices: InvoicesService) {}

  /**
   * Posts an AR credit memo against a posted invoice of the same customer and currency: the
   * invoice's entry reversed (Dr revenue or deferred revenue, Dr tax payable, Cr receivable),
   * applied whole to the invoice, never more than is due on it (422 ERP_EXCEEDS_AMOUNT_DUE).
   * Idempotent by external id, and refused with nothing posted, as invoices are.
   */
  @Post()
  @RequireScopes('erp:write')
  @ApiCreatedResponse({ type: CreditMemoResponse, headers: ETAG_HEADER, description: 'Posted now' })
  @ApiOkResponse({
    type: CreditMemoResponse,
    headers: ETAG_HEADER,
    description: 'Posted before with this content: the first posting',
  })
  @ApiProblems(400, 403, 409, 422, 502, 503)
  async post(
    @Caller() caller: Principal,
    @Body() body: PostCreditMemoRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreditMemoResponse> {
    const { creditMemo, created } = await this.invoices.postCreditMemo(caller, body);
    void reply
      .status(created ? 201 : 200)
      .header('etag', etagFor(creditMemo.version))
      .header(
        'location',
        `credit-memos/${creditMemo.legalEntity}/${encodeURIComponent(creditMemo.externalId)}`,
      );
    return creditMemo;
  }

  /** Lists posted credit memos the caller may see, oldest update first. */
  @Get()
  @RequireScopes('erp:read')
  @ApiOkResponse({ type: CreditMemoPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListCreditMemosQuery,
  ): Promise<Page<CreditMemoResponse>> {
    return this.invoices.listCreditMemos(caller, query);
  }

  /** Looks a posted credit memo up by its external id. */
  @Get(':legalEntity/:externalId')
  @RequireScopes('erp:read')
  @ApiParam(LEGAL_ENTITY_PATH)
  @ApiParam(EXTERNAL_ID)
  @ApiOkResponse({ type: CreditMemoResponse, headers: ETAG_HEADER })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @ExternalIdParam() externalId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreditMemoResponse> {
    const memo = await this.invoices.getCreditMemo(caller, legalEntity, externalId);
    void reply.header('etag', etagFor(memo.version));
    return memo;
  }
}
