import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, etagFor, Page, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import {
  ListPaymentsQuery,
  PaymentPage,
  PaymentResponse,
  RecordPaymentRequest,
  RefundPaymentRequest,
} from './dto/payment.dto';
import { PaymentsService } from './payments.service';

@ApiTags('Payments')
@Controller()
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  /**
   * Records the outcome of a payment attempt on a finalized invoice: settled (applied; the invoice is
   * paid when nothing is left) or failed (the subscription goes past_due). The processor's reference
   * again with the same content answers 200 with the payment recorded; other content, 409. Emits
   * billing.payment.settled.v1 or billing.payment.failed.v1.
   */
  @Post('invoices/:id/payments')
  @RequireScopes('billing:write')
  @ApiCreatedResponse({ type: PaymentResponse, description: 'Recorded now' })
  @ApiOkResponse({ type: PaymentResponse, description: 'Already recorded with this content' })
  @ApiProblems(400, 403, 404, 409, 422)
  async record(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: RecordPaymentRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PaymentResponse> {
    const { payment, created } = await this.payments.record(caller, id, body);
    void reply
      .status(created ? 201 : 200)
      .header('etag', etagFor(payment.version))
      .header('location', `payments/${payment.id}`);
    return payment;
  }

  /** Refunds a settled payment in full: what it paid is owed again. Emits billing.payment.refunded.v1. */
  @Post('payments/:id/refund')
  @HttpCode(200)
  @RequireScopes('billing:write')
  @ApiBody({ type: RefundPaymentRequest, required: false })
  @ApiOkResponse({ type: PaymentResponse })
  @ApiProblems(400, 403, 404, 409)
  refund(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: RefundPaymentRequest,
  ): Promise<PaymentResponse> {
    return this.payments.refund(caller, id, body);
  }

  @Get('payments')
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: PaymentPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListPaymentsQuery,
  ): Promise<Page<PaymentResponse>> {
    return this.payments.list(caller, query);
  }

  @Get('payments/:id')
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: PaymentResponse })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PaymentResponse> {
    const payment = await this.payments.get(caller, id);
    void reply.header('etag', etagFor(payment.version));
    return payment;
  }
}
