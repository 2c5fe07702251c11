import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@revgate/auth';
import { EventTypes, fitsCurrencyMinorUnits, MoneyDecimal } from '@revgate/canonical';
import { OutboxWriter } from '@revgate/events';
import { TransactionHost } from '@revgate/persistence';
import { ApiError, Page, validationProblem, keysetPage, keysetWindow } from '@revgate/platform';
import { BillingErrorCode } from '../billing-error-code';
import { toInvoiceResponse, toPaymentResponse } from '../billing.mappers';
import {
  BILLING_PROVIDER,
  type BillingInvoice,
  type BillingPayment,
  type BillingProvider,
} from '../providers/billing-provider.port';
import {
  ListPaymentsQuery,
  PaymentResponse,
  RecordPaymentRequest,
  RefundPaymentRequest,
} from './dto/payment.dto';

function samePayment(p: BillingPayment, invoiceId: string, request: RecordPaymentRequest): boolean {
  return (
    p.invoiceId === invoiceId &&
    (p.status === request.status || (p.status === 'refunded' && request.status === 'settled')) &&
    new MoneyDecimal(p.amount).equals(request.amount)
  );
}

/**
 * Payments applied to invoices (Stripe's PaymentIntent outcomes). The declared rules: a settled
 * payment lowers what is left to pay (never below zero: 422 BILLING_PAYMENT_EXCEEDS_REMAINING) and
 * the invoice is paid when nothing is left; a failed one changes no amount and puts the subscription
 * past_due; a refund gives the amount back to what is left to pay (a paid invoice is open again).
 * The subscription is active again when none of its open invoices has a failed payment.
 */
@Injectable()
export class PaymentsService {
  constructor(
    @Inject(BILLING_PROVIDER) private readonly billing: BillingProvider,
    private readonly tx: TransactionHost,
    private readonly outbox: OutboxWriter,
  ) {}

  async record(
    caller: Principal,
    invoiceId: string,
    request: RecordPaymentRequest,
  ): Promise<{ payment: PaymentResponse; created: boolean }> {
    if (request.failureReason !== undefined && request.status !== 'failed')
      throw validationProblem([
        { pointer: '/failureReason', detail: 'failureReason is for failed payments only' },
      ]);
    return this.tx.run(async () => {
      const invoice = await this.billing.getInvoice(invoiceId, {
        legalEntities: caller.legalEntities,
        lock: true,
      });
      if (!invoice)
        throw new ApiError(
          404,
          BillingErrorCode.INVOICE_NOT_FOUND,
          `Invoice ${invoiceId} does not exist.`,
        );
      if (!fitsCurrencyMinorUnits(request.amount, invoice.currency))
        throw validationProblem([
          {
            pointer: '/amount',
            detail: `amount has more decimals than ${invoice.currency} allows`,
          },
        ]);
      const existing = await this.billing.findPaymentByReference(request.reference);
      if (existing) {
        if (samePayment(existing, invoice.id, request))
          return { payment: toPaymentResponse(existing), created: false };
        throw new ApiError(
          409,
          BillingErrorCode.PAYMENT_REFERENCE_CONFLICT,
          `Payment ${request.reference} is already recorded with other content (${existing.status} ${existing.amount} ${existing.currency}).`,
        );
      }
      const payment = await this.billing.recordPayment({
        invoiceId: invoice.id,
        status: request.status,
        amount: request.amount,
        reference: request.reference,
        method: request.method,
        failureReason: request.failureReason,
      });
      const response = toPaymentResponse(payment);
      if (payment.status === 'settled') {
        await this.outbox.append(EventTypes.PaymentSettled, payment.id, response);
        const after = await this.reload(invoice.id);
        if (after.status === 'paid') {
          await this.outbox.append(EventTypes.InvoicePaid, after.id, toInvoiceResponse(after));
          await this.maybeActive(after);
        }
      } else {
        await this.outbox.append(EventTypes.PaymentFailed, payment.id, response);
        if (invoice.subscriptionId !== undefined) {
          const sub = await this.billing.getSubscription(invoice.subscriptionId, { lock: true });
          if (sub?.status === 'active')
            await this.billing.updateSubscription(sub.id, { status: 'past_due' }, {});
        }
      }
      return { payment: response, created: true };
    });
  }

  async refund(
    caller: Principal,
    id: string,
    request: RefundPaymentRequest,
  ): Promise<PaymentResponse> {
    return this.tx.run(async () => {
      const found = await this.billing.getPayment(id, { legalEntities: caller.legalEntities });
      if (!found)
        throw new ApiError(
          404,
          BillingErrorCode.PAYMENT_NOT_FOUND,
          `Payment ${id} does not exist.`,
        );
      const refunded = await this.billing.refundPayment(id, request.reason);
      const response = toPaymentResponse(refunded);
      await this.outbox.append(EventTypes.PaymentRefunded, refunded.id, response);
      return response;
    });
  }

  async get(caller: Principal, id: string): Promise<PaymentResponse> {
    const found = await this.billing.getPayment(id, { legalEntities: caller.legalEntities });
    if (!found)
      throw new ApiError(404, BillingErrorCode.PAYMENT_NOT_FOUND, `Payment ${id} does not exist.`);
    return toPaymentResponse(found);
  }

  async list(caller: Principal, query: ListPaymentsQuery): Promise<Page<PaymentResponse>> {
    const slice = await this.billing.listPayments({
      ...keysetWindow(query, caller.legalEntities),
      invoiceId: query.invoiceId,
      customerId: query.customerId,
      status: query.status,
    });
    return keysetPage(slice, toPaymentResponse);
  }

  private async reload(id: string): Promise<BillingInvoice> {
    const invoice = await this.billing.getInvoice(id);
    if (!invoice) throw new Error(`invoice ${id} vanished`);
    return invoice;
  }

  /** past_due → active once no open invoice of the subscription has a failed payment. */
  private async maybeActive(invoice: BillingInvoice): Promise<void> {
    if (invoice.subscriptionId === undefined) return;
    const sub = await this.billing.getSubscription(invoice.subscriptionId, { lock: true });
    if (sub?.status !== 'past_due') return;
    if ((await this.billing.countDelinquentInvoices(sub.id)) === 0)
      await this.billing.updateSubscription(sub.id, { status: 'active' }, {});
  }
}
