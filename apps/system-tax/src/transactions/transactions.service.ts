import { Inject, Injectable } from '@nestjs/common';
import { canSeeEntity, type Principal } from '@revgate/auth';
import { EventTypes, MoneyDecimal, roundMoney } from '@revgate/canonical';
import { OutboxWriter, type NewEvent } from '@revgate/events';
import { TransactionHost } from '@revgate/persistence';
import {
  ApiError,
  expectedVersion,
  Page,
  keysetPage,
  keysetWindow,
  toItemProblem,
  validationProblem,
  type FieldError,
} from '@revgate/platform';
import {
  TAX_PROVIDER,
  type CommitModel,
  type RecordedTransaction,
  type TaxProvider,
  type TransactionFilter,
} from '../providers/tax-provider.port';
import { TaxErrorCode } from '../tax-error-code';
import { assertCommittable, assertEntityAllowed } from '../tax.guards';
import {
  toCommitModel,
  toDocumentStatus,
  toEstimateOf,
  toRecordedDocumentType,
  toSaleCommitModel,
  toTransactionResponse,
} from '../tax.mappers';
import {
  CommitTaxTransactionBatchRequest,
  CommitTaxTransactionRequest,
  ListTaxTransactionsQuery,
  TaxTransactionBatchResponse,
  TaxTransactionBatchResult,
  TaxTransactionResponse,
  VoidTaxTransactionRequest,
} from './dto/transaction.dto';

const notFound = (legalEntity: string, code: string): ApiError =>
  new ApiError(
    404,
    TaxErrorCode.TRANSACTION_NOT_FOUND,
    `No tax transaction ${code} exists for legal entity ${legalEntity}.`,
  );

const PAGE = 200;

@Injectable()
export class TransactionsService {
  constructor(
    @Inject(TAX_PROVIDER) private readonly tax: TaxProvider,
    private readonly tx: TransactionHost,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * Records and commits a document under its code. The committed event goes to the outbox in the
   * same transaction, and only when the document is recorded now (not when it already was). A
   * return is checked against its sale first (see returnModel).
   */
  async commit(
    caller: Principal,
    request: CommitTaxTransactionRequest,
  ): Promise<{ transaction: TaxTransactionResponse; created: boolean }> {
    assertEntityAllowed(caller, request.legalEntity);
    assertCommittable(request);
    return this.tx.run(async () => {
      const model =
        request.type === 'return' && request.referenceCode !== undefined
          ? await this.returnModel(request, request.referenceCode)
          : toCommitModel(request);
      const { transaction, created } = await this.tax.commit(model);
      const response = toTransactionResponse(transaction);
      if (created)
        await this.outbox.append(EventTypes.TaxTransactionCommitted, transaction.id, response);
      return { transaction: response, created };
    });
  }

  /**
   * Commits a batch of sales in one transaction, each as `commit` would, with one outcome per
   * document. The request as a whole is refused, and nothing recorded, when any document is
   * malformed, a return, for a legal entity the token does not cover, or a code repeated in the
   * batch; after that, a document the provider refuses is that document's outcome only.
   */
  async commitBatch(
    caller: Principal,
    request: CommitTaxTransactionBatchRequest,
  ): Promise<TaxTransactionBatchResponse> {
    const problems: FieldError[] = [];
    const seen = new Map<string, number>();
    request.transactions.forEach((document, i) => {
      assertEntityAllowed(caller, document.legalEntity);
      const at = (pointer: string): string => `/transactions/${i}${pointer}`;
      if (document.type === 'return')
        problems.push({
          pointer: at('/type'),
          detail: `transactions[${i}] is a return: returns are committed one at a time (POST /transactions), each against its sale`,
        });
      try {
        assertCommittable(document);
      } catch (e) {
        const errors = e instanceof ApiError ? e.extensions.errors : undefined;
        if (!Array.isArray(errors)) throw e;
        for (const error of errors as FieldError[])
          problems.push({
            pointer: at(error.pointer),
            detail: `transactions[${i}]: ${error.detail}`,
          });
      }
      const key = `${document.legalEntity}/${document.code}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else
        problems.push({
          pointer: at('/code'),
          detail: `transactions[${i}] has code ${document.code} of ${document.legalEntity}, already used by transactions[${first}]`,
        });
    });
    if (problems.length) throw validationProblem(problems);

    return this.tx.run(async () => {
      const outcomes = await this.tax.commitMany(request.transactions.map(toSaleCommitModel));
      const results: TaxTransactionBatchResult[] = [];
      const committed: NewEvent<TaxTransactionResponse>[] = [];
      outcomes.forEach((outcome, i) => {
        const { legalEntity, code } = request.transactions[i];
        if (!outcome.ok) {
          results.push({
            legalEntity,
            code,
            outcome: 'refused',
            problem: toItemProblem(outcome.error),
          });
          return;
        }
        const transaction = toTransactionResponse(outcome.transaction);
        results.push({
          legalEntity,
          code,
          outcome: outcome.created ? 'created' : 'existing',
          transaction,
        });
        if (outcome.created)
          committed.push({
            type: EventTypes.TaxTransactionCommitted,
            subject: outcome.transaction.id,
            data: transaction,
          });
      });
      await this.outbox.appendMany(committed);
      const count = (o: TaxTransactionBatchResult['outcome']): number =>
        results.filter((r) => r.outcome === o).length;
      return {
        results,
        created: count('created'),
        existing: count('existing'),
        refused: count('refused'),
      };
    });
  }

  /**
   * A return, taxed at its sale's date, once its sale is known to take it: a committed sale of the
   * same legal entity, customer and currency, whose returns together (this one included) credit no
   * more than its totalAmount and its totalTax. A return already recorded under the code skips the
   * checks (it counts among the returns itself): the provider answers a retry with it, and other
   * content under the code with a conflict.
   */
  private async returnModel(
    request: CommitTaxTransactionRequest,
    referenceCode: string,
  ): Promise<CommitModel> {
    const { legalEntity, currency } = request;
    await this.lockReturnsOf(legalEntity, referenceCode);
    const reference = await this.tax.getTransaction(legalEntity, referenceCode);
    const model = toCommitModel(request, reference?.date);
    if (await this.tax.getTransaction(legalEntity, request.code)) return model;

    const unprocessable = (code: TaxErrorCode, detail: string, pointers: string[]): ApiError =>
      new ApiError(422, code, detail, {
        errors: pointers.map((pointer) => ({ pointer, detail })),
      });
    if (!reference)
      throw unprocessable(
        TaxErrorCode.REFERENCE_NOT_FOUND,
        `No tax transaction ${referenceCode} exists for legal entity ${legalEntity}: a return credits a committed sale of its legal entity.`,
        ['/referenceCode'],
      );
    if (reference.type !== 'SalesInvoice')
      throw unprocessable(
        TaxErrorCode.REFERENCE_NOT_SALE,
        `Tax transaction ${referenceCode} is itself a return; a return credits a sale.`,
        ['/referenceCode'],
      );
    if (reference.status === 'Cancelled')
      throw new ApiError(
        409,
        TaxErrorCode.REFERENCE_VOIDED,
        `Tax transaction ${referenceCode} of ${legalEntity} was voided; there is no tax left to return on it.`,
      );
    const mismatches = [
      ...(reference.customerCode === request.customerCode
        ? []
        : [
            {
              pointer: '/customerCode',
              detail: `customerCode ${request.customerCode} is not ${reference.customerCode}, the customer of ${referenceCode}`,
            },
          ]),
      ...(reference.currencyCode === currency
        ? []
        : [
            {
              pointer: '/currency',
              detail: `currency ${currency} is not ${reference.currencyCode}, the currency of ${referenceCode}`,
            },
          ]),
    ];
    if (mismatches.length)
      throw new ApiError(
        422,
        TaxErrorCode.REFERENCE_MISMATCH,
        `A return must have the customer and the currency of the sale it credits: ${mismatches
          .map((m) => m.detail)
          .join('; ')}.`,
        { errors: mismatches },
      );

    const estimate = await this.tax.estimate(toEstimateOf(model));
    const earlier = await this.committedReturnsOf(legalEntity, referenceCode);
    const total = (field: 'totalAmount' | 'totalTax'): InstanceType<typeof MoneyDecimal> =>
      earlier.reduce((acc, r) => acc.plus(r[field]), new MoneyDecimal(estimate[field]));
    const amount = total('totalAmount');
    const tax = total('totalTax');
    if (amount.gt(reference.totalAmount) || tax.gt(reference.totalTax)) {
      const money = (value: InstanceType<typeof MoneyDecimal>): string =>
        `${roundMoney(value, currency)} ${currency}`;
      throw unprocessable(
        TaxErrorCode.RETURN_EXCEEDS_ORIGINAL,
        `With this return, the returns of ${referenceCode} would credit ${money(amount)} and ${money(tax)} of tax, more than it charged (${money(new MoneyDecimal(reference.totalAmount))} and ${money(new MoneyDecimal(reference.totalTax))} of tax)${earlier.length ? `, of which ${earlier.length} earlier return${earlier.length === 1 ? '' : 's'} already credit${earlier.length === 1 ? 's' : ''} ${money(total('totalAmount').minus(estimate.totalAmount))}` : ''}.`,
        ['/lines'],
      );
    }
    return model;
  }

  /**
   * Serializes what reads a sale's returns and then writes: committing a return of it, voiding it.
   * Taken in Revgate's own database before any provider call, so it holds whatever the provider.
   */
  private async lockReturnsOf(legalEntity: string, saleCode: string): Promise<void> {
    await this.tx.manager.query('select pg_advisory_xact_lock(hashtext($1))', [
      `revgate:tax:returns:${legalEntity}:${saleCode}`,
    ]);
  }

  private async committedReturnsOf(
    legalEntity: string,
    saleCode: string,
    limit?: number,
  ): Promise<RecordedTransaction[]> {
    const filter: TransactionFilter = {
      limit: Math.min(limit ?? PAGE, PAGE),
      companyCode: legalEntity,
      referenceCode: saleCode,
      type: 'ReturnInvoice',
      status: 'Committed',
    };
    const found: RecordedTransaction[] = [];
    for (;;) {
      const slice = await this.tax.listTransactions(filter);
      found.push(...slice.items);
      const last = slice.items.at(-1);
      if (!slice.hasMore || !last || (limit !== undefined && found.length >= limit)) return found;
      filter.after = { updatedAt: last.updatedAt.toISOString(), id: last.id };
    }
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
      type: query.type === undefined ? undefined : toRecordedDocumentType(query.type),
      referenceCode: query.referenceCode,
      customerCode: query.customerCode,
      dateFrom: query.dateFrom,
      dateTo: query.dateTo,
    });
    return keysetPage(slice, toTransactionResponse);
  }

  /**
   * Voids a committed document; the voided event goes to the outbox in the same transaction.
   * Voiding a voided document answers with it and emits nothing. A sale with returns that are not
   * voided cannot be voided: its returns are voided first.
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
      await this.lockReturnsOf(legalEntity, code);
      const target = await this.tax.getTransaction(legalEntity, code);
      if (target?.type === 'SalesInvoice' && target.status === 'Committed') {
        const shown = 5;
        const returns = await this.committedReturnsOf(legalEntity, code, shown + 1);
        if (returns.length)
          throw new ApiError(
            409,
            TaxErrorCode.HAS_RETURNS,
            `Tax transaction ${code} of ${legalEntity} has returns that are not voided (${returns
              .slice(0, shown)
              .map((r) => r.code)
              .join(
                ', ',
              )}${returns.length > shown ? ', …' : ''}); void the returns first, then the sale.`,
          );
      }
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
