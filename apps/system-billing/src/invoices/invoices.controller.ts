import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, etagFor, Page, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import {
  CreateInvoiceRequest,
  FinalizeInvoicesRequest,
  FinalizeInvoicesResponse,
  InvoicePage,
  InvoiceResponse,
  ListInvoicesQuery,
  VoidInvoiceRequest,
} from './dto/invoice.dto';
import { InvoicesService } from './invoices.service';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: "The invoice's ETag from your last read; a stale one gets 412",
};

@ApiTags('Invoices')
@Controller('invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  /**
   * Creates a draft invoice for a customer: the next period of a subscription (once begun), the lines
   * waiting for its next invoice (prorations, usage) and one-time lines. Its tax is quoted by the tax
   * system (or marked not calculated when none is configured).
   */
  @Post()
  @RequireScopes('billing:write')
  @ApiCreatedResponse({ type: InvoiceResponse })
  @ApiProblems(400, 403, 422, 503)
  async create(
    @Caller() caller: Principal,
    @Body() body: CreateInvoiceRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvoiceResponse> {
    const invoice = await this.invoices.create(caller, body);
    void reply
      .header('etag', etagFor(invoice.version))
      .header('location', `invoices/${invoice.id}`);
    return invoice;
  }

  /**
   * Finalizes up to 500 drafts in one request, each exactly as POST /invoices/{id}/finalize would
   * (numbered gap-free per legal entity and year, in the order given; tax committed; events
   * written), with one result per draft in order. A draft that cannot be finalized (not found,
   * not a draft, its tax refused, its amount invalid) fails alone and stays a draft; the others are
   * finalized. Their tax goes to the tax system in batches and they are finalized together, which
   * is what makes a billing run fast. When the tax system cannot be reached the whole request is
   * 503 BILLING_TAX_UNAVAILABLE with Retry-After and every draft stays a draft: retry it.
   */
  @Post('finalize-batch')
  @HttpCode(200)
  @RequireScopes('billing:write')
  @ApiOkResponse({ type: FinalizeInvoicesResponse, description: 'One result per draft' })
  @ApiProblems(400, 403, 413, 503)
  finalizeBatch(
    @Caller() caller: Principal,
    @Body() body: FinalizeInvoicesRequest,
  ): Promise<FinalizeInvoicesResponse> {
    return this.invoices.finalizeBatch(caller, body.invoiceIds);
  }

  @Get()
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: InvoicePage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListInvoicesQuery,
  ): Promise<Page<InvoiceResponse>> {
    return this.invoices.list(caller, query);
  }

  @Get(':id')
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvoiceResponse> {
    const invoice = await this.invoices.get(caller, id);
    void reply.header('etag', etagFor(invoice.version));
    return invoice;
  }

  /**
   * draft → finalized: numbered gap-free per legal entity and year (US01-2026-000001), tax committed,
   * immutable. Finalizing anything but a draft is 409 BILLING_INVOICE_NOT_DRAFT.
   */
  @Post(':id/finalize')
  @HttpCode(200)
  @RequireScopes('billing:write')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiProblems(400, 403, 404, 409, 412, 422, 503)
  async finalize(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvoiceResponse> {
    const invoice = await this.invoices.finalize(caller, id, ifMatch);
    void reply.header('etag', etagFor(invoice.version));
    return invoice;
  }

  /** Voids a finalized (or uncollectible) invoice with nothing paid or credited, and its tax. */
  @Post(':id/void')
  @HttpCode(200)
  @RequireScopes('billing:write')
  @ApiHeader(IF_MATCH)
  @ApiBody({ type: VoidInvoiceRequest, required: false })
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiProblems(400, 403, 404, 409, 412, 503)
  async void(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: VoidInvoiceRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvoiceResponse> {
    const invoice = await this.invoices.void(caller, id, body, ifMatch);
    void reply.header('etag', etagFor(invoice.version));
    return invoice;
  }

  /** finalized → uncollectible: written off; payments received later still apply. */
  @Post(':id/mark-uncollectible')
  @HttpCode(200)
  @RequireScopes('billing:write')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiProblems(400, 403, 404, 409, 412)
  async markUncollectible(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvoiceResponse> {
    const invoice = await this.invoices.markUncollectible(caller, id, ifMatch);
    void reply.header('etag', etagFor(invoice.version));
    return invoice;
  }
}
