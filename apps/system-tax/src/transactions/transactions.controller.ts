import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, etagFor, Page, RequireScopes } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import { DocumentCodeParam, LegalEntityParam } from '../common.dto';
import {
  CommitTaxTransactionBatchRequest,
  CommitTaxTransactionRequest,
  ListTaxTransactionsQuery,
  TaxTransactionBatchResponse,
  TaxTransactionPage,
  TaxTransactionResponse,
  VoidTaxTransactionRequest,
} from './dto/transaction.dto';
import { TransactionsService } from './transactions.service';

const ETAG = {
  ETag: { description: 'Send as If-Match to void', schema: { type: 'string' } },
};
const LEGAL_ENTITY = { name: 'legalEntity', example: 'US01', description: 'Legal entity code' };
const CODE = { name: 'code', example: 'INV-2026-0001', description: 'Document code' };

@ApiTags('Transactions')
@Controller('transactions')
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  /**
   * Records and commits a document under its code — a sale (like an AvaTax SalesInvoice with
   * commit=true), or with type=return a return crediting the committed sale named in referenceCode
   * (a ReturnInvoice: positive amounts, taxed at the sale's date unless a line fixes its taxAmount)
   * — and emits tax.transaction.committed.v1. Committing the same code with the same content again
   * answers 200 with the recorded transaction and emits nothing; other content under the code is a
   * 409 TAX_TRANSACTION_CODE_CONFLICT, and a voided code a 409 TAX_TRANSACTION_VOIDED. A return is
   * refused when its sale is unknown (422 TAX_REFERENCE_NOT_FOUND), voided (409
   * TAX_REFERENCE_VOIDED), a return (422 TAX_REFERENCE_NOT_SALE), of another customer or currency
   * (422 TAX_REFERENCE_MISMATCH), or when the sale's returns would credit more than its totalAmount
   * or totalTax (422 TAX_RETURN_EXCEEDS_ORIGINAL).
   */
  @Post()
  @RequireScopes('tax:write')
  @ApiCreatedResponse({ type: TaxTransactionResponse, description: 'Recorded and committed now' })
  @ApiOkResponse({
    type: TaxTransactionResponse,
    description: 'Already committed with this content: the recorded transaction, unchanged',
  })
  @ApiProblems(400, 403, 409, 422)
  async commit(
    @Caller() caller: Principal,
    @Body() body: CommitTaxTransactionRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaxTransactionResponse> {
    const { transaction, created } = await this.transactions.commit(caller, body);
    void reply
      .status(created ? 201 : 200)
      .header('etag', etagFor(transaction.version))
      .header(
        'location',
        `transactions/${transaction.legalEntity}/${encodeURIComponent(transaction.code)}`,
      );
    return transaction;
  }

  /**
   * Records and commits up to 500 sales in one request and one database transaction, each exactly
   * as POST /transactions would, and answers each one's outcome in order: `created` (its
   * tax.transaction.committed.v1 emitted), `existing` (the same content was already committed:
   * answered unchanged, nothing emitted) or `refused` with the problem it would have got alone
   * (TAX_CODE_UNKNOWN, TAX_JURISDICTION_UNSUPPORTED, TAX_RATE_NOT_EFFECTIVE, TAX_VAT_ID_INVALID,
   * TAX_TRANSACTION_CODE_CONFLICT, TAX_TRANSACTION_VOIDED) — a refused document leaves the others
   * committed. The whole batch is refused, and nothing recorded, when a document is malformed or
   * a return (400 VALIDATION_FAILED, with a pointer into `transactions`), a code appears twice in
   * it (400), or a legal entity is not covered by the token (403 TAX_LEGAL_ENTITY_FORBIDDEN).
   */
  @Post('batch')
  @HttpCode(200)
  @RequireScopes('tax:write')
  @ApiOkResponse({ type: TaxTransactionBatchResponse, description: 'One outcome per document' })
  @ApiProblems(400, 403, 413)
  commitBatch(
    @Caller() caller: Principal,
    @Body() body: CommitTaxTransactionBatchRequest,
  ): Promise<TaxTransactionBatchResponse> {
    return this.transactions.commitBatch(caller, body);
  }

  /**
   * Lists committed and voided transactions (sales and returns) the caller may see, oldest update
   * first.
   */
  @Get()
  @RequireScopes('tax:read')
  @ApiOkResponse({ type: TaxTransactionPage, description: 'A page of transactions' })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListTaxTransactionsQuery,
  ): Promise<Page<TaxTransactionResponse>> {
    return this.transactions.list(caller, query);
  }

  /** Looks a transaction up by its legal entity and document code. */
  @Get(':legalEntity/:code')
  @RequireScopes('tax:read')
  @ApiParam(LEGAL_ENTITY)
  @ApiParam(CODE)
  @ApiOkResponse({ type: TaxTransactionResponse, headers: ETAG, description: 'The transaction' })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @DocumentCodeParam() code: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaxTransactionResponse> {
    const found = await this.transactions.get(caller, legalEntity, code);
    void reply.header('etag', etagFor(found.version));
    return found;
  }

  /**
   * Voids a committed transaction (committed → voided) and emits tax.transaction.voided.v1.
   * Voiding it again answers 200 with the voided transaction and emits nothing, whatever If-Match
   * says (the change is already in place). A sale with returns that are not voided is refused (409
   * TAX_HAS_RETURNS): void its returns first.
   */
  @Post(':legalEntity/:code/void')
  @HttpCode(200)
  @RequireScopes('tax:write')
  @ApiParam(LEGAL_ENTITY)
  @ApiParam(CODE)
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag from your last read; a stale one gets 412',
  })
  @ApiBody({ type: VoidTaxTransactionRequest, required: false })
  @ApiOkResponse({
    type: TaxTransactionResponse,
    headers: ETAG,
    description: 'The voided transaction',
  })
  @ApiProblems(400, 403, 404, 409, 412)
  async void(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @DocumentCodeParam() code: string,
    @Body() body: VoidTaxTransactionRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaxTransactionResponse> {
    const voided = await this.transactions.void(caller, legalEntity, code, body, ifMatch);
    void reply.header('etag', etagFor(voided.version));
    return voided;
  }
}
