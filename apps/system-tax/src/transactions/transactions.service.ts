import { Inject, Injectable } from '@nestjs/common';
import { canSeeEntity, type Principal } from '@revgate/auth';
import { EventTypes } from '@revgate/canonical';
import { OutboxWriter } from '@revgate/events';
import { TransactionHost } from '@revgate/persistence';
import { ApiError, expectedVersion, Page, keysetPage, keysetWindow } from '@revgate/platform';
import { TAX_PROVIDER, type TaxProvider } from '../providers/tax-provider.port';
import { TaxErrorCode } from '../tax-error-code';
import { assertEntityAllowed, assertWellFormed } from '../tax.guards';
import { toCommitModel, toDocumentStatus, toTransactionResponse } from '../tax.mappers';
import {
  CommitTaxTransactionRequest,
  ListTaxTransactionsQuery,
  TaxTransactionResponse,
  VoidTaxTransactionRequest,
} from './dto/transaction.dto';

const notFound = (legalEntity: string, code: string): ApiError =>
  new ApiError(
    404,
    TaxErrorCode.TRANSACTION_NOT_FOUND,
    `No tax transaction ${code} exists for legal entity ${legalEntity}.`,
  );

@Injectable()
export class TransactionsService {
  constructor(
    @Inject(TAX_PROVIDER) private readonly tax: TaxProvider,
    private readonly tx: TransactionHost,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * Records and commits a document under its code. The committed event goes to the outbox in the
   * same transaction, and only when the document is recorded now (not when it already was).
   */
  async commit(
    caller: Principal,
    request: CommitTaxTransactionRequest,
  ): Promise<{ transaction: TaxTransactionResponse; created: boolean }> {
    assertEntityAllowed(caller, request.legalEntity);
    assertWellFormed(request);
    return this.tx.run(async () => {
      const { transaction, created } = await this.tax.commit(toCommitModel(request));
      const response = toTransactionResponse(transaction);
      if (created)
        await this.outbox.append(EventTypes.TaxTransactionCommitted, transaction.id, response);
      return { transaction: response, created };
    });
  }

  async get(caller: Principal, legalEntity: string, code: string): Promise<TaxTransactionResponse> {
    // Another legal entity's document does not exist for this caller.
    const found = canSeeEntity(caller, legalEntity)
      ? await this.tax.getTransaction(legalEntity, code)
      : undefined;
    if (!found) throw notFound(legalEntity, code);
    return toTransactionResponse(found);
  }

  async list(
    caller: Principal,
    query: ListTaxTransactionsQuery,
  ): Promise<Page<TaxTransactionResponse>> {
    const slice = await this.tax.listTransactions({
      ...keysetWindow(query, caller.legalEntities),
      companyCode: query.legalEntity,
      status: query.status === undefined ? undefined : toDocumentStatus(query.status),
      customerCode: query.customerCode,
      dateFrom: query.dateFrom,
      dateTo: query.dateTo,
    });
    return keysetPage(slice, toTransactionResponse);
  }

  /**
   * Voids a committed document; the voided event goes to the outbox in the same transaction.
   * Voiding a voided document answers with it and emits nothing.
   */
  async void(
    caller: Principal,
    legalEntity: string,
    code: string,
    request: VoidTaxTransactionRequest,
    ifMatch?: string,
  ): Promise<TaxTransactionResponse> {
    if (!canSeeEntity(caller, legalEntity)) throw notFound(legalEntity, code);
    const expected = expectedVersion(ifMatch);
    return this.tx.run(async () => {
      const { transaction, changed } = await this.tax.voidTransaction(
        legalEntity,
        code,
        { code: 'DocVoided', ...(request.reason === undefined ? {} : { reason: request.reason }) },
        { expectedVersion: expected },
      );
      const response = toTransactionResponse(transaction);
      if (changed)
        await this.outbox.append(EventTypes.TaxTransactionVoided, transaction.id, response);
      return response;
    });
  }
}
