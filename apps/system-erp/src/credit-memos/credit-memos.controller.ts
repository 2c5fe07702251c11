import { Body, Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, Page, RequireScopes } from '@revgate/platform';
import { ExternalIdParam, LegalEntityParam } from '../common.dto';
import { LookupRoute, posted, PostingRoute, withETag } from '../erp.http';
import { InvoicesService } from '../invoices/invoices.service';
import {
  CreditMemoPage,
  CreditMemoResponse,
  ListCreditMemosQuery,
  PostCreditMemoRequest,
} from './dto/credit-memo.dto';

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
  @PostingRoute(CreditMemoResponse)
  async post(
    @Caller() caller: Principal,
    @Body() body: PostCreditMemoRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreditMemoResponse> {
    const { creditMemo, created } = await this.invoices.postCreditMemo(caller, body);
    return posted(reply, 'credit-memos', creditMemo, created);
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
  @LookupRoute(CreditMemoResponse, {
    name: 'externalId',
    description: "Revgate's id of the credit memo",
  })
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @ExternalIdParam() externalId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreditMemoResponse> {
    return withETag(reply, await this.invoices.getCreditMemo(caller, legalEntity, externalId));
  }
}
