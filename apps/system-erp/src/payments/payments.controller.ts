import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, etagFor, Page, RequireScopes } from '@revgate/platform';
import { ETAG_HEADER, ExternalIdParam, LEGAL_ENTITY_PATH, LegalEntityParam } from '../common.dto';
import {
  ListPaymentsQuery,
  PaymentPage,
  PaymentResponse,
  PostPaymentRequest,
} from './dto/payment.dto';
import { PaymentsService } from './payments.service';

const EXTERNAL_ID = { name: 'externalId', description: "Revgate's id of the payment" };

@ApiTags('Payments')
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  /**
   * Posts a customer payment (Dr cash, Cr receivable) and applies it to open invoices of the
   * customer in its currency (cash application): each application no more than the invoice has
   * due (422 ERP_EXCEEDS_AMOUNT_DUE), all of them no more than the payment (400); the rest stays
   * unapplied on the customer's account. Idempotent by external id, as invoices are.
   */
  @Post()
  @RequireScopes('erp:write')
  @ApiCreatedResponse({ type: PaymentResponse, headers: ETAG_HEADER, description: 'Posted now' })
  @ApiOkResponse({
    type: PaymentResponse,
    headers: ETAG_HEADER,
    description: 'Posted before with this content: the first posting',
  })
  @ApiProblems(400, 403, 409, 422, 502, 503)
  async post(
    @Caller() caller: Principal,
    @Body() body: PostPaymentRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PaymentResponse> {
    const { payment, created } = await this.payments.post(caller, body);
    void reply
      .status(created ? 201 : 200)
      .header('etag', etagFor(payment.version))
      .header(
        'location',
        `payments/${payment.legalEntity}/${encodeURIComponent(payment.externalId)}`,
      );
    return payment;
  }

  /** Lists payments the caller may see, oldest update first. */
  @Get()
  @RequireScopes('erp:read')
  @ApiOkResponse({ type: PaymentPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListPaymentsQuery,
  ): Promise<Page<PaymentResponse>> {
    return this.payments.list(caller, query);
  }

  /** Looks a payment up by its external id. */
  @Get(':legalEntity/:externalId')
  @RequireScopes('erp:read')
  @ApiParam(LEGAL_ENTITY_PATH)
  @ApiParam(EXTERNAL_ID)
  @ApiOkResponse({ type: PaymentResponse, headers: ETAG_HEADER })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @ExternalIdParam() externalId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PaymentResponse> {
    const payment = await this.payments.get(caller, legalEntity, externalId);
    void reply.header('etag', etagFor(payment.version));
    return payment;
  }
}
