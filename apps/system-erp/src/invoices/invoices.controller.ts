import { Body, Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, Page, RequireScopes } from '@revgate/platform';
import { ExternalIdParam, LegalEntityParam } from '../common.dto';
import { LookupRoute, posted, PostingRoute, withETag } from '../erp.http';
import {
  InvoicePage,
  InvoiceResponse,
  ListInvoicesQuery,
  PostInvoiceRequest,
} from './dto/invoice.dto';
import { InvoicesService } from './invoices.service';

@ApiTags('Invoices')
@Controller('invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  /**
   * Posts an AR invoice from a canonical invoice: Dr receivable (the total), Cr each line's
   * revenue account — deferred revenue when its service period ends after the posting period —
   * and Cr tax payable (the tax). Posting the same external id again with the same content
   * answers 200 with the first posting; other content is a 409 ERP_EXTERNAL_ID_CONFLICT. Refused,
   * with nothing posted: a closed period (422 ERP_PERIOD_CLOSED) or none (ERP_PERIOD_UNKNOWN), an
   * unknown customer or item (ERP_CUSTOMER_UNKNOWN, ERP_ITEM_UNKNOWN), a currency the entity does
   * not allow (ERP_CURRENCY_NOT_ALLOWED).
   */
  @PostingRoute(InvoiceResponse)
  async post(
    @Caller() caller: Principal,
    @Body() body: PostInvoiceRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvoiceResponse> {
    const { invoice, created } = await this.invoices.postInvoice(caller, body);
    return posted(reply, 'invoices', invoice, created);
  }

  /** Lists posted invoices the caller may see, oldest update first. */
  @Get()
  @RequireScopes('erp:read')
  @ApiOkResponse({ type: InvoicePage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListInvoicesQuery,
  ): Promise<Page<InvoiceResponse>> {
    return this.invoices.listInvoices(caller, query);
  }

  /** Looks a posted invoice up by its external id: its posting status and what is due on it. */
  @LookupRoute(InvoiceResponse, { name: 'externalId', description: "Revgate's id of the invoice" })
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @ExternalIdParam() externalId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvoiceResponse> {
    return withETag(reply, await this.invoices.getInvoice(caller, legalEntity, externalId));
  }
}
