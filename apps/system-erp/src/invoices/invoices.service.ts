import { Inject, Injectable } from '@nestjs/common';
import { ErpEvents } from '../events/erp-events';
import { type Principal } from '@revgate/auth';
import { arDocumentProblems, type ArCreditMemoDto, type ArInvoiceDto } from '@revgate/canonical';
import { keysetPage, keysetWindow, Page } from '@revgate/platform';
import { ErpErrorCode } from '../erp-error-code';
import { assertEntityAllowed, assertEntityVisible, assertNoProblems, found } from '../erp.guards';
import { toArDocumentInput, toCreditMemoResponse, toInvoiceResponse } from '../erp.mappers';
import {
  ERP_PROVIDER,
  type ArDocument,
  type ArDocumentKind,
  type ErpProvider,
} from '../providers/erp-provider.port';
import type { CreditMemoResponse, ListCreditMemosQuery } from '../credit-memos/dto/credit-memo.dto';
import type { InvoiceResponse, ListInvoicesQuery } from './dto/invoice.dto';

const NOT_FOUND: Record<ArDocumentKind, { code: ErpErrorCode; what: string }> = {
  invoice: { code: ErpErrorCode.INVOICE_NOT_FOUND, what: 'invoice' },
  credit_memo: { code: ErpErrorCode.CREDIT_MEMO_NOT_FOUND, what: 'credit memo' },
};

/** AR invoices and credit memos: the same posting, one the reverse of the other. */
@Injectable()
export class InvoicesService {
  constructor(
    @Inject(ERP_PROVIDER) private readonly erp: ErpProvider,
    private readonly events: ErpEvents,
  ) {}

  private async post(
    caller: Principal,
    request: ArInvoiceDto | ArCreditMemoDto,
    kind: ArDocumentKind,
  ): Promise<{ document: ArDocument; created: boolean }> {
    assertEntityAllowed(caller, request.legalEntity);
    assertNoProblems(arDocumentProblems(request));
    const { record, created } = await this.erp.postArDocument(toArDocumentInput(request, kind));
    return { document: record, created };
  }

  async postInvoice(
    caller: Principal,
    request: ArInvoiceDto,
  ): Promise<{ invoice: InvoiceResponse; created: boolean }> {
    const { document, created } = await this.post(caller, request, 'invoice');
    const invoice = toInvoiceResponse(document);
    await this.events.emit(
      { type: 'invoice', legalEntity: request.legalEntity, externalId: request.externalId },
      invoice,
    );
    return { invoice, created };
  }

  async postCreditMemo(
    caller: Principal,
    request: ArCreditMemoDto,
  ): Promise<{ creditMemo: CreditMemoResponse; created: boolean }> {
    const { document, created } = await this.post(caller, request, 'credit_memo');
    const creditMemo = toCreditMemoResponse(document);
    await this.events.emit(
      { type: 'credit_memo', legalEntity: request.legalEntity, externalId: request.externalId },
      creditMemo,
    );
    return { creditMemo, created };
  }

  private async get(
    caller: Principal,
    legalEntity: string,
    kind: ArDocumentKind,
    externalId: string,
  ): Promise<ArDocument> {
    assertEntityVisible(caller, legalEntity);
    const { code, what } = NOT_FOUND[kind];
    return found(
      await this.erp.getArDocument(legalEntity, kind, externalId),
      code,
      `Legal entity ${legalEntity} has no posted ${what} ${externalId}.`,
    );
  }

  async getInvoice(
    caller: Principal,
    legalEntity: string,
    externalId: string,
  ): Promise<InvoiceResponse> {
    return toInvoiceResponse(await this.get(caller, legalEntity, 'invoice', externalId));
  }

  async getCreditMemo(
    caller: Principal,
    legalEntity: string,
    externalId: string,
  ): Promise<CreditMemoResponse> {
    return toCreditMemoResponse(await this.get(caller, legalEntity, 'credit_memo', externalId));
  }

  async listInvoices(caller: Principal, query: ListInvoicesQuery): Promise<Page<InvoiceResponse>> {
    const slice = await this.erp.listArDocuments({
      ...keysetWindow(query, caller.legalEntities),
      kind: 'invoice',
      legalEntity: query.legalEntity,
      customerExternalId: query.customerExternalId,
      period: query.period,
      paymentStatus: query.paymentStatus,
    });
    return keysetPage(slice, toInvoiceResponse);
  }

  async listCreditMemos(
    caller: Principal,
    query: ListCreditMemosQuery,
  ): Promise<Page<CreditMemoResponse>> {
    const slice = await this.erp.listArDocuments({
      ...keysetWindow(query, caller.legalEntities),
      kind: 'credit_memo',
      legalEntity: query.legalEntity,
      customerExternalId: query.customerExternalId,
      period: query.period,
    });
    return keysetPage(slice, toCreditMemoResponse);
  }
}
