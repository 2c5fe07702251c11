import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { MoneyDecimal, roundMoney } from '@revgate/canonical';
import { ApiError, staleWrite } from '@revgate/platform';
import { applyKeyset, insertRows, TransactionHost } from '@revgate/persistence';
import { TaxErrorCode } from '../../tax-error-code';
import type {
  BatchCommitOutcome,
  CommitModel,
  EstimateModel,
  RecordedTransaction,
  SaleCommitModel,
  Slice,
  TaxedDocument,
  TaxProvider,
  TransactionFilter,
  VoidTransactionModel,
  WriteGuard,
} from '../tax-provider.port';
import { contentHash } from './content-hash';
import { RateTable } from './rate-table';
import { TaxTransactionEntity, TaxTransactionLineEntity } from './sandbox.entities';
import { taxDocument } from './tax-engine';

function toRecorded(
  e: TaxTransactionEntity,
  lines: TaxTransactionLineEntity[],
): RecordedTransaction {
  const money = (amount: string): string => roundMoney(amount, e.currency);
  return {
    id: e.id,
    code: e.code,
    type: e.type,
    ...(e.referenceCode === null ? {} : { referenceCode: e.referenceCode }),
    status: e.status,
    companyCode: e.companyCode,
    date: e.date,
    customerCode: e.customerCode,
    currencyCode: e.currency,
    ...(e.exemptionNo === null ? {} : { exemptionNo: e.exemptionNo }),
    ...(e.businessIdentificationNo === null
      ? {}
      : { businessIdentificationNo: e.businessIdentificationNo }),
    addresses: { shipFrom: e.shipFrom, shipTo: e.shipTo },
    reverseCharge: e.reverseCharge,
    lines: [...lines]
      .sort((a, b) => a.position - b.position)
      .map((l) => ({
        number: l.lineNumber,
        ...(l.itemCode === null ? {} : { itemCode: l.itemCode }),
        taxCode: l.taxCode,
        ...(l.description === null ? {} : { description: l.description }),
        quantity: new MoneyDecimal(l.quantity).toFixed(),
        amount: money(l.amount),
        taxIncluded: l.taxIncluded,
        taxability: l.taxability,
        rate: new MoneyDecimal(l.rate).toFixed(),
        jurisdiction: l.jurisdiction,
        netAmount: money(l.netAmount),
        taxableAmount: money(l.taxableAmount),
        exemptAmount: money(l.exemptAmount),
        tax: money(l.tax),
      })),
    totalAmount: money(e.totalAmount),
    totalTaxable: money(e.totalTaxable),
    totalExempt: money(e.totalExempt),
    totalTax: money(e.totalTax),
    messages: e.messages,
    committedAt: e.committedAt,
    ...(e.voidedAt === null ? {} : { voidedAt: e.voidedAt }),
    ...(e.voidReason === null ? {} : { voidReason: e.voidReason }),
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

const codeKey = (companyCode: string, code: string): string => `${companyCode}\u0000${code}`;

/** A code already recorded answers a retry only with the same content, and never once voided. */
function assertSameContent(existing: TaxTransactionEntity, hash: string): void {
  if (existing.status === 'Cancelled')
    throw new ApiError(
      409,
      TaxErrorCode.TRANSACTION_VOIDED,
      `Tax transaction ${existing.code} of ${existing.companyCode} was voided; a voided document cannot be committed again. Use a new code.`,
    );
  if (existing.contentHash !== hash)
    throw new ApiError(
      409,
      TaxErrorCode.TRANSACTION_CODE_CONFLICT,
      `Tax transaction ${existing.code} of ${existing.companyCode} is already committed with other content; a committed document cannot change. Void it and commit under a new code.`,
    );
}

const notFound = (companyCode: string, code: string): ApiError =>
  new ApiError(
    404,
    TaxErrorCode.TRANSACTION_NOT_FOUND,
    `No tax transaction ${code} exists for legal entity ${companyCode}.`,
  );

/**
 * The sandbox tax provider: AvaTax's transactions simulated in the app's schema, taxed against the
 * rate table kept in the repo, with the refusals AvaTax gives (unknown tax codes, a document code
 * reused for other content, changes to a voided document).
 */
@Injectable()
export class SandboxTaxProvider implements TaxProvider {
  readonly name = 'sandbox';

  constructor(
    private readonly tx: TransactionHost,
    private readonly table: RateTable,
  ) {}

  private get em(): EntityManager {
    return this.tx.manager;
  }

  estimate(model: EstimateModel): Promise<TaxedDocument> {
    // A refusal of the engine becomes a rejection, as it would from a remote provider.
    return new Promise((resolve) => {
      resolve(taxDocument(model, this.table));
    });
  }

  async commit(
    model: CommitModel,
  ): Promise<{ transaction: RecordedTransaction; created: boolean }> {
    return this.tx.run(async () => {
      // One commit per code at a time: the second of two concurrent ones sees the first's result.
      await this.lockCodes([model]);
      const hash = contentHash(model);
      const existing = await this.em.findOneBy(TaxTransactionEntity, {
        companyCode: model.companyCode,
        code: model.code,
      });
      if (existing) {
        assertSameContent(existing, hash);
        return { transaction: await this.load(existing), created: false };
      }
      const { entity, lines } = this.record(model, taxDocument(model, this.table), hash);
      await this.em.insert(TaxTransactionEntity, entity);
      await this.em.insert(TaxTransactionLineEntity, lines);
      return { transaction: toRecorded(entity, lines), created: true };
    });
  }

  /**
   * The batch as set-based SQL in one transaction: the codes locked in one statement (sorted, so
   * two batches never wait on each other in a cycle), the documents already recorded read in one
   * query, the new ones inserted in a few statements. What the engine refuses is that document's
   * outcome; the transaction is not abandoned for it.
   */
  async commitMany(models: readonly SaleCommitModel[]): Promise<BatchCommitOutcome[]> {
    if (models.length === 0) return [];
    return this.tx.run(async () => {
      await this.lockCodes(models);
      const existing = await this.em.findBy(TaxTransactionEntity, {
        companyCode: In([...new Set(models.map((m) => m.companyCode))]),
        code: In(models.map((m) => m.code)),
      });
      const byKey = new Map(existing.map((e) => [codeKey(e.companyCode, e.code), e]));
      const existingLines = existing.length
        ? await this.em.findBy(TaxTransactionLineEntity, {
            transactionId: In(existing.map((e) => e.id)),
          })
        : [];
      const outcomes: BatchCommitOutcome[] = [];
      const entities: TaxTransactionEntity[] = [];
      const lines: TaxTransactionLineEntity[] = [];
      for (const model of models) {
        const hash = contentHash(model);
        const found = byKey.get(codeKey(model.companyCode, model.code));
        try {
          if (found) {
            assertSameContent(found, hash);
            outcomes.push({
              ok: true,
              transaction: toRecorded(
                found,
                existingLines.filter((l) => l.transactionId === found.id),
              ),
              created: false,
            });
            continue;
          }
          const recorded = this.record(model, taxDocument(model, this.table), hash);
          entities.push(recorded.entity);
          lines.push(...recorded.lines);
          outcomes.push({
            ok: true,
            transaction: toRecorded(recorded.entity, recorded.lines),
            created: true,
          });
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          outcomes.push({ ok: false, error: e });
        }
      }
      await insertRows(this.em, TaxTransactionEntity, entities);
      await insertRows(this.em, TaxTransactionLineEntity, lines);
      return outcomes;
    });
  }

  /** Takes the commit lock of each document code, in one statement and a fixed order. */
  private async lockCodes(models: readonly CommitModel[]): Promise<void> {
    const keys = [
      ...new Set(models.map((m) => `revgate:tax:transaction:${m.companyCode}:${m.code}`)),
    ];
    await this.em.query(
      'select count(pg_advisory_xact_lock(hashtext(k))) from (select k from unnest($1::text[]) k order by k offset 0) locks',
      [keys.sort()],
    );
  }

  /** The rows recording a taxed document under its code. */
  private record(
    model: CommitModel,
    document: TaxedDocument,
    hash: string,
  ): { entity: TaxTransactionEntity; lines: TaxTransactionLineEntity[] } {
    const id = randomUUID();
    const now = new Date();
    const entity = this.em.create(TaxTransactionEntity, {
      id,
      companyCode: model.companyCode,
      code: model.code,
      type: model.type,
      referenceCode: model.referenceCode ?? null,
      status: 'Committed',
      customerCode: model.customerCode,
      date: model.date,
      currency: model.currencyCode,
      exemptionNo: model.exemptionNo ?? null,
      businessIdentificationNo: model.businessIdentificationNo ?? null,
      shipFrom: document.addresses.shipFrom,
      shipTo: document.addresses.shipTo,
      reverseCharge: document.reverseCharge,
      totalAmount: document.totalAmount,
      totalTaxable: document.totalTaxable,
      totalExempt: document.totalExempt,
      totalTax: document.totalTax,
      messages: document.messages,
      contentHash: hash,
      version: 1,
      committedAt: now,
      voidedAt: null,
      voidReason: null,
      createdAt: now,
      updatedAt: now,
    });
    const lines = document.lines.map((l, position) =>
      this.em.create(TaxTransactionLineEntity, {
        id: randomUUID(),
        transactionId: id,
        position,
        lineNumber: l.number,
        itemCode: l.itemCode ?? null,
        taxCode: l.taxCode,
        description: l.description ?? null,
        quantity: l.quantity,
        amount: l.amount,
        taxIncluded: l.taxIncluded,
        taxability: l.taxability,
        rate: l.rate,
        jurisdiction: l.jurisdiction,
        netAmount: l.netAmount,
        taxableAmount: l.taxableAmount,
        exemptAmount: l.exemptAmount,
        tax: l.tax,
      }),
    );
    return { entity, lines };
  }

  private async load(entity: TaxTransactionEntity): Promise<RecordedTransaction> {
    const lines = await this.em.findBy(TaxTransactionLineEntity, { transactionId: entity.id });
    return toRecorded(entity, lines);
  }

  async getTransaction(
    companyCode: string,
    code: string,
  ): Promise<RecordedTransaction | undefined> {
    const entity = await this.em.findOneBy(TaxTransactionEntity, { companyCode, code });
    return entity ? this.load(entity) : undefined;
  }

  async listTransactions(filter: TransactionFilter): Promise<Slice<RecordedTransaction>> {
    const qb = applyKeyset(
      this.em.createQueryBuilder(TaxTransactionEntity, 't'),
      filter,
      'companyCode',
    );
    if (filter.companyCode)
      qb.andWhere('t.companyCode = :company', { company: filter.companyCode });
    if (filter.status) qb.andWhere('t.status = :status', { status: filter.status });
    if (filter.customerCode)
      qb.andWhere('t.customerCode = :customer', { customer: filter.customerCode });
    if (filter.type) qb.andWhere('t.type = :type', { type: filter.type });
    if (filter.referenceCode)
      qb.andWhere('t.referenceCode = :reference', { reference: filter.referenceCode });
    if (filter.dateFrom) qb.andWhere('t.date >= :dateFrom', { dateFrom: filter.dateFrom });
    if (filter.dateTo) qb.andWhere('t.date <= :dateTo', { dateTo: filter.dateTo });
    const rows = await qb.getMany();
    const page = rows.slice(0, filter.limit);
    const lines = page.length
      ? await this.em.findBy(TaxTransactionLineEntity, { transactionId: In(page.map((t) => t.id)) })
      : [];
    return {
      items: page.map((t) =>
        toRecorded(
          t,
          lines.filter((l) => l.transactionId === t.id),
        ),
      ),
      hasMore: rows.length > filter.limit,
    };
  }

  async voidTransaction(
    companyCode: string,
    code: string,
    model: VoidTransactionModel,
    guard: WriteGuard,
  ): Promise<{ transaction: RecordedTransaction; changed: boolean }> {
    return this.tx.run(async () => {
      const entity = await this.em.findOne(TaxTransactionEntity, {
        where: { companyCode, code },
        lock: { mode: 'pessimistic_write' },
      });
      if (!entity) throw notFound(companyCode, code);
      // Already voided: the change the caller wants is in place (RFC 9110 §13.1.1), so a retry
      // answers as the first void did, whatever version it was conditioned on.
      if (entity.status === 'Cancelled')
        return { transaction: await this.load(entity), changed: false };
      if (guard.expectedVersion !== undefined && guard.expectedVersion !== entity.version)
        throw staleWrite('tax transaction', entity.version);
      const now = new Date();
      Object.assign(entity, {
        status: 'Cancelled',
        voidedAt: now,
        voidReason: model.reason ?? null,
        version: entity.version + 1,
        updatedAt: now,
      });
      await this.em.update(
        TaxTransactionEntity,
        { id: entity.id },
        {
          status: entity.status,
          voidedAt: entity.voidedAt,
          voidReason: entity.voidReason,
          version: entity.version,
          updatedAt: entity.updatedAt,
        },
      );
      return { transaction: await this.load(entity), changed: true };
    });
  }
}
