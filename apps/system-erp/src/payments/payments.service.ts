import { Inject, Injectable } from '@nestjs/common';
import { ErpEvents } from '../events/erp-events';
import { type Principal } from '@revgate/auth';
import { customerPaymentProblems } from '@revgate/canonical';
import { keysetPage, keysetWindow, Page } from '@revgate/platform';
import { ErpErrorCode } from '../erp-error-code';
import { assertEntityAllowed, assertEntityVisible, assertNoProblems, found } from '../erp.guards';
import { toPaymentInput, toPaymentResponse } from '../erp.mappers';
import { ERP_PROVIDER, type ErpProvider } from '../providers/erp-provider.port';
import { ListPaymentsQuery, PaymentResponse, PostPaymentRequest } from './dto/payment.dto';

@Injectable()
export class PaymentsService {
  constructor(
    @Inject(ERP_PROVIDER) private readonly erp: ErpProvider,
    private readonly events: ErpEvents,
  ) {}

  async post(
    caller: Principal,
    request: PostPaymentRequest,
  ): Promise<{ payment: PaymentResponse; created: boolean }> {
    assertEntityAllowed(caller, request.legalEntity);
    assertNoProblems(customerPaymentProblems(request));
    const { record, created } = await this.erp.postPayment(toPaymentInput(request));
    const payment = toPaymentResponse(record);
    await this.events.emit(
      { type: 'payment', legalEntity: request.legalEntity, externalId: request.externalId },
      payment,
    );
    return { payment, created };
  }

  async get(caller: Principal, legalEntity: string, externalId: string): Promise<PaymentResponse> {
    assertEntityVisible(caller, legalEntity);
    return toPaymentResponse(
      found(
        await this.erp.getPayment(legalEntity, externalId),
        ErpErrorCode.PAYMENT_NOT_FOUND,
        `Legal entity ${legalEntity} has no payment ${externalId}.`,
      ),
    );
  }

  async list(caller: Principal, query: ListPaymentsQuery): Promise<Page<PaymentResponse>> {
    const slice = await this.erp.listPayments({
      ...keysetWindow(query, caller.legalEntities),
      legalEntity: query.legalEntity,
      customerExternalId: query.customerExternalId,
      period: query.period,
    });
    return keysetPage(slice, toPaymentResponse);
  }
}
