import { Body, Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, Page, RequireScopes } from '@revgate/platform';
import { ExternalIdParam, LegalEntityParam } from '../common.dto';
import { LookupRoute, posted, PostingRoute, withETag } from '../erp.http';
import {
  ListPaymentsQuery,
  PaymentPage,
  PaymentResponse,
  PostPaymentRequest,
} from './dto/payment.dto';
import { PaymentsService } from './payments.service';

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
  @PostingRoute(PaymentResponse)
  async post(
    @Caller() caller: Principal,
    @Body() body: PostPaymentRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PaymentResponse> {
    const { payment, created } = await this.payments.post(caller, body);
    return posted(reply, 'payments', payment, created);
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
  @LookupRoute(PaymentResponse, { name: 'externalId', description: "Revgate's id of the payment" })
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @ExternalIdParam() externalId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PaymentResponse> {
    return withETag(reply, await this.payments.get(caller, legalEntity, externalId));
  }
}
