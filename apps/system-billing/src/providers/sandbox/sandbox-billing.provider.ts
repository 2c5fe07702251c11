import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager, In, IsNull, type EntityTarget, type FindOptionsWhere } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { MoneyDecimal, roundMoney } from '@revgate/canonical';
import { ApiError, PlatformErrorCode, staleWrite } from '@revgate/platform';
import {
  applyKeyset,
  insertRows,
  isUniqueViolation,
  toSlice,
  TransactionHost,
} from '@revgate/persistence';
import { BillingErrorCode } from '../../billing-error-code';
import type { SubscriptionStatus } from '@revgate/canonical';
import type {
  AmendmentRecord,
  BillingCreditMemo,
  BillingCustomer,
  BillingInvoice,
  BillingInvoiceLine,
  BillingPayment,
  BillingPrice,
  BillingProduct,
  BillingProvider,
  BillingSubscription,
  CreditMemoFilter,
  CustomerChanges,
  CustomerFilter,
  CustomerWriteGuard,
  DateSpan,
  InvoiceFilter,
  InvoiceFinalization,
  PendingFinalization,
  NewCreditMemo,
  NewCustomer,
  NewInvoice,
  NewInvoiceLine,
  NewPayment,
  NewPrice,
  NewProduct,
  NewSubscription,
  PaymentFilter,
  PriceChanges,
  PriceFilter,
  ProductChanges,
  ProductFilter,
  ReadOptions,
  Slice,
  SubscriptionChanges,
  SubscriptionFilter,
  WriteGuard,
} from '../billing-provider.port';
import {
  AmendmentEntity,
  CreditMemoApplicationEntity,
  CreditMemoEntity,
  CreditMemoLineEntity,
  CustomerEntity,
  DocumentSequenceEntity,
  InvoiceEntity,
  InvoiceLineEntity,
  PaymentEntity,
  PriceEntity,
  ProductEntity,
  SubscriptionEntity,
  SubscriptionItemEntity,
} from './sandbox.entities';

const normalize = (d: string): string => new MoneyDecimal(d).toFixed();
const OPEN: readonly string[] = ['finalized', 'uncollectible'];

function visible(entity: string, legalEntities?: readonly string[]): boolean {
  return legalEntities === undefined || legalEntities.includes(entity);
}

const opt = <T>(value: T | null): T | undefined => value ?? undefined;

/** The fields a change sets (null included: it clears an optional column). */
function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(changes).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

function toCustomer(e: CustomerEntity): BillingCustomer {
  return {
    id: e.id,
    externalId: opt(e.externalId),
    name: e.name,
    email: opt(e.email),
    billTo: e.billTo,
    currency: e.currency,
    legalEntity: e.legalEntity,
    paymentTerms: e.paymentTerms,
    taxExemptionNumber: opt(e.taxExemptionNumber),
    vatId: opt(e.vatId),
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

function toProduct(e: ProductEntity): BillingProduct {
  return {
    id: e.id,
    externalId: opt(e.externalId),
    sku: opt(e.sku),
    name: e.name,
    description: opt(e.description),
    taxCode: e.taxCode,
    family: e.family,
    oneTimeRecognition: e.oneTimeRecognition,
    active: e.active,
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

function toPrice(e: PriceEntity): BillingPrice {
  return {
    id: e.id,
    productId: e.productId,
    externalId: opt(e.externalId),
    nickname: opt(e.nickname),
    currency: e.currency,
    type: e.type,
    interval: opt(e.interval),
    usageType: opt(e.usageType),
    meter: opt(e.meter),
    definition: e.definition,
    active: e.active,
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

/** Today in UTC: the sandbox's clock, as Stripe's, ends a subscription on its end date. */
const today = (): string => new Date().toISOString().slice(0, 10);

/** The status as of today: a subscription whose end date has come is canceled. */
function statusOf(e: SubscriptionEntity): SubscriptionStatus {
  return e.status !== 'canceled' && e.endDate !== null && e.endDate <= today()
    ? 'canceled'
    : e.status;
}

function toSubscription(
  e: SubscriptionEntity,
  items: SubscriptionItemEntity[],
): BillingSubscription {
  return {
    id: e.id,
    externalId: opt(e.externalId),
    customerId: e.customerId,
    legalEntity: e.legalEntity,
    currency: e.currency,
    billingInterval: e.billingInterval,
    billingAnchorDate: e.anchorDate,
    startDate: e.startDate,
    endDate: opt(e.endDate),
    status: statusOf(e),
    cancelAtPeriodEnd: e.cancelAtPeriodEnd,
    canceledAt: opt(e.canceledAt),
    billedThrough: e.billedThrough,
    items: [...items]
      .sort((a, b) => a.position - b.position)
      .map((i) => ({
        id: i.id,
        priceId: i.priceId,
        productId: i.productId,
        usageType: i.usageType,
        quantity: i.quantity === null ? undefined : normalize(i.quantity),
        meter: opt(i.meter),
        effectiveFrom: i.effectiveFrom,
      })),
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

function toLine(e: InvoiceLineEntity, currency: string): BillingInvoiceLine {
  return {
    id: e.id,
    invoiceId: opt(e.invoiceId),
    customerId: e.customerId,
    subscriptionId: opt(e.subscriptionId),
    type: e.type,
    description: e.description,
    productId: opt(e.productId),
    priceId: opt(e.priceId),
    subscriptionItemId: opt(e.subscriptionItemId),
    quantity: e.quantity === null ? undefined : normalize(e.quantity),
    unitAmount: e.unitAmount === null ? undefined : normalize(e.unitAmount),
    amount: roundMoney(e.amount, currency),
    servicePeriod:
      e.periodFrom !== null && e.periodTo !== null
        ? { from: e.periodFrom, to: e.periodTo }
        : undefined,
    proration: e.proration,
    source: {
      kind: e.sourceKind,
      ...(e.sourceId === null ? {} : { id: e.sourceId }),
      ...(e.sourceRef === null ? {} : { reference: e.sourceRef }),
    },
    appliesToLineId: opt(e.appliesToLineId),
    taxCode: opt(e.taxCode),
    taxStatus: opt(e.taxStatus),
    taxRate: e.taxRate === null ? undefined : normalize(e.taxRate),
    taxability: opt(e.taxability),
    jurisdiction: opt(e.jurisdiction),
    usage: opt(e.usage),
    createdAt: e.createdAt,
  };
}

function lineEntity(
  em: EntityManager,
  line: NewInvoiceLine,
  invoiceId: string | null,
  position: number | null,
  createdAt: Date,
): InvoiceLineEntity {
  return em.create(InvoiceLineEntity, {
    id: line.id,
    invoiceId,
    position,
    customerId: line.customerId,
    subscriptionId: line.subscriptionId ?? null,
    type: line.type,
    description: line.description,
    productId: line.productId ?? null,
    priceId: line.priceId ?? null,
    subscriptionItemId: line.subscriptionItemId ?? null,
    quantity: line.quantity ?? null,
    unitAmount: line.unitAmount ?? null,
    amount: line.amount,
    periodFrom: line.servicePeriod?.from ?? null,
    periodTo: line.servicePeriod?.to ?? null,
    proration: line.proration,
    sourceKind: line.source.kind,
    sourceId: line.source.id ?? null,
    sourceRef: line.source.reference ?? null,
    appliesToLineId: line.appliesToLineId ?? null,
    taxCode: line.taxCode ?? null,
    taxStatus: line.taxStatus ?? null,
    taxRate: line.taxRate ?? null,
    taxability: line.taxability ?? null,
    jurisdiction: line.jurisdiction ?? null,
    usage: line.usage ?? null,
    createdAt,
  });
}

function toInvoice(e: InvoiceEntity, lines: InvoiceLineEntity[]): BillingInvoice {
  const money = (v: string): string => roundMoney(v, e.currency);
  return {
    id: e.id,
    number: opt(e.number),
    status: e.status,
    customerId: e.customerId,
    subscriptionId: opt(e.subscriptionId),
    legalEntity: e.legalEntity,
    currency: e.currency,
    paymentTerms: e.paymentTerms,
    issueDate: opt(e.issueDate),
    dueDate: opt(e.dueDate),
    memo: opt(e.memo),
    lines: [...lines]
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
      .map((l) => toLine(l, e.currency)),
    subtotal: money(e.subtotal),
    totalTax: money(e.totalTax),
    total: money(e.total),
    amountPaid: money(e.amountPaid),
    amountCredited: money(e.amountCredited),
    taxStatus: e.taxStatus,
    taxTransactionCode: opt(e.taxTransactionCode),
    taxNotes: e.taxNotes,
    finalizedAt: opt(e.finalizedAt),
    paidAt: opt(e.paidAt),
    voidedAt: opt(e.voidedAt),
    voidReason: opt(e.voidReason),
    markedUncollectibleAt: opt(e.uncollectibleAt),
    pendingFinalization: opt(e.pendingFinalization),
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

function toCreditMemo(
  e: CreditMemoEntity,
  lines: CreditMemoLineEntity[],
  applications: CreditMemoApplicationEntity[],
): BillingCreditMemo {
  const money = (v: string): string => roundMoney(v, e.currency);
  return {
    id: e.id,
    number: e.number,
    invoiceId: opt(e.invoiceId),
    customerId: e.customerId,
    subscriptionId: opt(e.subscriptionId),
    amendmentId: opt(e.amendmentId),
    legalEntity: e.legalEntity,
    currency: e.currency,
    reason: e.reason,
    memo: opt(e.memo),
    lines: [...lines]
      .sort((a, b) => a.position - b.position)
      .map((l) => ({
        id: l.id,
        type: l.type,
        description: l.description,
        invoiceLineId: opt(l.invoiceLineId),
        servicePeriod:
          l.periodFrom !== null && l.periodTo !== null
            ? { from: l.periodFrom, to: l.periodTo }
            : undefined,
        amount: money(l.amount),
        taxRate: l.taxRate === null ? undefined : normalize(l.taxRate),
      })),
    subtotal: money(e.subtotal),
    totalTax: money(e.totalTax),
    total: money(e.total),
    applications: [...applications]
      .sort((a, b) => a.appliedAt.getTime() - b.appliedAt.getTime() || a.id.localeCompare(b.id))
      .map((a) => ({ invoiceId: a.invoiceId, amount: money(a.amount), appliedAt: a.appliedAt })),
    taxStatus: e.taxStatus,
    taxTransactionCode: opt(e.taxTransactionCode),
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

function toPayment(e: PaymentEntity): BillingPayment {
  return {
    id: e.id,
    invoiceId: e.invoiceId,
    customerId: e.customerId,
    legalEntity: e.legalEntity,
    currency: e.currency,
    amount: roundMoney(e.amount, e.currency),
    status: e.status,
    reference: e.reference,
    method: opt(e.method),
    failureReason: opt(e.failureReason),
    refundReason: opt(e.refundReason),
    settledAt: opt(e.settledAt),
    failedAt: opt(e.failedAt),
    refundedAt: opt(e.refundedAt),
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

function toAmendment(e: AmendmentEntity): AmendmentRecord {
  return {
    id: e.id,
    subscriptionId: e.subscriptionId,
    type: e.type,
    effectiveDate: e.effectiveDate,
    prorationBehavior: e.prorationBehavior,
    currency: e.currency,
    lines: e.lines,
    total: roundMoney(e.total, e.currency),
    outcome: e.outcome,
    creditMemoId: opt(e.creditMemoId),
    createdBy: e.createdBy,
    createdAt: e.createdAt,
  };
}

/** total − paid − credited, exact. */
function remaining(e: InvoiceEntity): InstanceType<typeof MoneyDecimal> {
  return new MoneyDecimal(e.total).minus(e.amountPaid).minus(e.amountCredited);
}

/**
 * The sandbox billing system: Stripe's objects simulated in the app's schema, with the refusals
 * Stripe gives (finalizing an invoice that is not a draft, paying more than is due, voiding a paid
 * invoice, a payment reference used twice) and Stripe's numbering (per legal entity, gap-free).
 */
@Injectable()
export class SandboxBillingProvider implements BillingProvider {
  readonly name = 'sandbox';

  constructor(private readonly tx: TransactionHost) {}

  private get em(): EntityManager {
    return this.tx.manager;
  }

  // ---- customers ----------------------------------------------------------------------------

  async createCustomer(input: NewCustomer): Promise<BillingCustomer> {
    const now = new Date();
    const entity = this.em.create(CustomerEntity, {
      id: randomUUID(),
      externalId: input.externalId ?? null,
      name: input.name,
      email: input.email ?? null,
      billTo: input.billTo,
      currency: input.currency,
      legalEntity: input.legalEntity,
      paymentTerms: input.paymentTerms,
      taxExemptionNumber: input.taxExemptionNumber ?? null,
      vatId: input.vatId ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.tx.run(() => this.em.insert(CustomerEntity, entity));
    } catch (e) {
      if (isUniqueViolation(e, 'uq_customers_external_id'))
        throw new ApiError(
          409,
          BillingErrorCode.EXTERNAL_ID_TAKEN,
          `A customer with externalId ${input.externalId ?? ''} already exists.`,
        );
      throw e;
    }
    return toCustomer(entity);
  }

  async getCustomer(id: string, options: ReadOptions = {}): Promise<BillingCustomer | undefined> {
    const entity = await this.em.findOne(CustomerEntity, {
      where: { id },
      ...(options.lock ? { lock: { mode: 'pessimistic_read' as const } } : {}),
    });
    return entity && visible(entity.legalEntity, options.legalEntities)
      ? toCustomer(entity)
      : undefined;
  }

  async getCustomers(ids: readonly string[]): Promise<BillingCustomer[]> {
    if (ids.length === 0) return [];
    return (await this.em.findBy(CustomerEntity, { id: In([...ids]) })).map(toCustomer);
  }

  async listCustomers(filter: CustomerFilter): Promise<Slice<BillingCustomer>> {
    const qb = applyKeyset(this.em.createQueryBuilder(CustomerEntity, 'c'), filter, 'legalEntity');
    if (filter.legalEntity) qb.andWhere('c.legalEntity = :le', { le: filter.legalEntity });
    if (filter.externalId) qb.andWhere('c.externalId = :ext', { ext: filter.externalId });
    return toSlice(await qb.getMany(), filter.limit, toCustomer);
  }

  async updateCustomer(
    id: string,
    changes: CustomerChanges,
    guard: CustomerWriteGuard,
  ): Promise<BillingCustomer> {
    try {
      return await this.tx.run(async () => {
        const entity = await this.updateVersioned(
          CustomerEntity,
          id,
          changes,
          guard,
          (e) =>
            e && visible(e.legalEntity, guard.legalEntities)
              ? undefined
              : new ApiError(
                  404,
                  BillingErrorCode.CUSTOMER_NOT_FOUND,
                  `Customer ${id} does not exist.`,
                ),
          'customer',
        );
        return toCustomer(entity);
      });
    } catch (e) {
      if (isUniqueViolation(e, 'uq_customers_external_id'))
        throw new ApiError(
          409,
          BillingErrorCode.EXTERNAL_ID_TAKEN,
          `A customer with externalId ${changes.externalId ?? ''} already exists.`,
        );
      throw e;
    }
  }

  // ---- catalog ------------------------------------------------------------------------------

  async createProduct(input: NewProduct): Promise<BillingProduct> {
    const now = new Date();
    const entity = this.em.create(ProductEntity, {
      id: randomUUID(),
      externalId: input.externalId ?? null,
      sku: input.sku ?? null,
      name: input.name,
      description: input.description ?? null,
      taxCode: input.taxCode,
      family: input.family,
      oneTimeRecognition: input.oneTimeRecognition,
      active: input.active,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.tx.run(() => this.em.insert(ProductEntity, entity));
    } catch (e) {
      if (isUniqueViolation(e, 'uq_products_sku'))
        throw new ApiError(
          409,
          BillingErrorCode.SKU_TAKEN,
          `A product with sku ${input.sku ?? ''} already exists.`,
        );
      if (isUniqueViolation(e, 'uq_products_external_id'))
        throw new ApiError(
          409,
          BillingErrorCode.EXTERNAL_ID_TAKEN,
          `A product with externalId ${input.externalId ?? ''} already exists.`,
        );
      throw e;
    }
    return toProduct(entity);
  }

  async getProduct(id: string): Promise<BillingProduct | undefined> {
    const entity = await this.em.findOneBy(ProductEntity, { id });
    return entity ? toProduct(entity) : undefined;
  }

  async getProducts(ids: readonly string[]): Promise<BillingProduct[]> {
    if (ids.length === 0) return [];
    return (await this.em.findBy(ProductEntity, { id: In([...ids]) })).map(toProduct);
  }

  async listProducts(filter: ProductFilter): Promise<Slice<BillingProduct>> {
    const qb = applyKeyset(this.em.createQueryBuilder(ProductEntity, 'p'), filter);
    if (filter.active !== undefined) qb.andWhere('p.active = :active', { active: filter.active });
    if (filter.externalId) qb.andWhere('p.externalId = :ext', { ext: filter.externalId });
    return toSlice(await qb.getMany(), filter.limit, toProduct);
  }

  async updateProduct(
    id: string,
    changes: ProductChanges,
    guard: WriteGuard,
  ): Promise<BillingProduct> {
    try {
      return await this.tx.run(async () => {
        // Exclusive: waits for prices being added to the product (they share-lock it).
        const entity = await this.updateVersioned(
          ProductEntity,
          id,
          changes,
          guard,
          (e) =>
            e
              ? undefined
              : new ApiError(
                  404,
                  BillingErrorCode.PRODUCT_NOT_FOUND,
                  `Product ${id} does not exist.`,
                ),
          'product',
        );
        return toProduct(entity);
      });
    } catch (e) {
      if (isUniqueViolation(e, 'uq_products_sku'))
        throw new ApiError(
          409,
          BillingErrorCode.SKU_TAKEN,
          `A product with sku ${changes.sku ?? ''} already exists.`,
        );
      if (isUniqueViolation(e, 'uq_products_external_id'))
        throw new ApiError(
          409,
          BillingErrorCode.EXTERNAL_ID_TAKEN,
          `A product with externalId ${changes.externalId ?? ''} already exists.`,
        );
      throw e;
    }
  }

  async createPrice(input: NewPrice): Promise<BillingPrice> {
    const now = new Date();
    const entity = this.em.create(PriceEntity, {
      id: randomUUID(),
      externalId: input.externalId ?? null,
      productId: input.productId,
      nickname: input.nickname ?? null,
      currency: input.currency,
      type: input.type,
      interval: input.interval ?? null,
      usageType: input.usageType ?? null,
      meter: input.meter ?? null,
      definition: input.definition,
      active: input.active,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.tx.run(async () => {
        // Share-locked: the product cannot change while a price is added to it.
        const product = await this.em.findOne(ProductEntity, {
          where: { id: input.productId },
          lock: { mode: 'pessimistic_read' },
        });
        if (!product)
          throw new ApiError(
            422,
            BillingErrorCode.PRODUCT_NOT_FOUND,
            `Product ${input.productId} does not exist.`,
          );
        await this.em.insert(PriceEntity, entity);
      });
    } catch (e) {
      if (isUniqueViolation(e, 'uq_prices_external_id'))
        throw new ApiError(
          409,
          BillingErrorCode.EXTERNAL_ID_TAKEN,
          `A price with externalId ${input.externalId ?? ''} already exists.`,
        );
      throw e;
    }
    return toPrice(entity);
  }

  async getPrice(id: string): Promise<BillingPrice | undefined> {
    const entity = await this.em.findOneBy(PriceEntity, { id });
    return entity ? toPrice(entity) : undefined;
  }

  async getPrices(ids: readonly string[]): Promise<BillingPrice[]> {
    if (ids.length === 0) return [];
    return (await this.em.findBy(PriceEntity, { id: In([...ids]) })).map(toPrice);
  }

  async listPrices(filter: PriceFilter): Promise<Slice<BillingPrice>> {
    const qb = applyKeyset(this.em.createQueryBuilder(PriceEntity, 'p'), filter);
    if (filter.productId) qb.andWhere('p.productId = :pid', { pid: filter.productId });
    if (filter.currency) qb.andWhere('p.currency = :cur', { cur: filter.currency });
    if (filter.active !== undefined) qb.andWhere('p.active = :active', { active: filter.active });
    return toSlice(await qb.getMany(), filter.limit, toPrice);
  }

  async updatePrice(id: string, changes: PriceChanges, guard: WriteGuard): Promise<BillingPrice> {
    try {
      return await this.tx.run(async () => {
        const entity = await this.updateVersioned(
          PriceEntity,
          id,
          changes,
          guard,
          (e) =>
            e
              ? undefined
              : new ApiError(404, BillingErrorCode.PRICE_NOT_FOUND, `Price ${id} does not exist.`),
          'price',
        );
        return toPrice(entity);
      });
    } catch (e) {
      if (isUniqueViolation(e, 'uq_prices_external_id'))
        throw new ApiError(
          409,
          BillingErrorCode.EXTERNAL_ID_TAKEN,
          `A price with externalId ${changes.externalId ?? ''} already exists.`,
        );
      throw e;
    }
  }

  /**
   * Locks a row, refuses it when `refusal` names a reason (missing, not visible) or the caller's
   * version is stale, and writes the defined changes with the next version.
   */
  private async updateVersioned<E extends { id: string; version: number; updatedAt: Date }>(
    target: EntityTarget<E>,
    id: string,
    changes: object,
    guard: WriteGuard,
    refusal: (entity: E | null) => ApiError | undefined,
    noun: string,
  ): Promise<E> {
    const entity = await this.em.findOne(target, {
      where: { id } as FindOptionsWhere<E>,
      lock: { mode: 'pessimistic_write' },
    });
    const refused = refusal(entity);
    if (refused || !entity) throw refused ?? new Error(`${noun} ${id} is missing`);
    if (guard.expectedVersion !== undefined && guard.expectedVersion !== entity.version)
      throw staleWrite(noun, entity.version);
    const columns = { ...definedOnly(changes), version: entity.version + 1, updatedAt: new Date() };
    // The changes are the entity's own columns (the port's change types name them).
    await this.em.update(target, id, columns as unknown as QueryDeepPartialEntity<E>);
    return Object.assign(entity, columns);
  }

  // ---- subscriptions ------------------------------------------------------------------------

  async createSubscription(input: NewSubscription): Promise<BillingSubscription> {
    const now = new Date();
    const id = randomUUID();
    const entity = this.em.create(SubscriptionEntity, {
      id,
      externalId: input.externalId ?? null,
      customerId: input.customerId,
      legalEntity: input.legalEntity,
      currency: input.currency,
      billingInterval: input.billingInterval,
      anchorDate: input.billingAnchorDate,
      startDate: input.startDate,
      endDate: input.endDate ?? null,
      status: 'active',
      cancelAtPeriodEnd: false,
      canceledAt: null,
      billedThrough: input.startDate,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    const items = input.items.map((item, position) =>
      this.em.create(SubscriptionItemEntity, {
        id: randomUUID(),
        subscriptionId: id,
        position,
        priceId: item.priceId,
        productId: item.productId,
        usageType: item.usageType,
        quantity: item.quantity ?? null,
        meter: item.meter ?? null,
        effectiveFrom: item.effectiveFrom,
      }),
    );
    try {
      await this.tx.run(async () => {
        await this.em.insert(SubscriptionEntity, entity);
        await this.em.insert(SubscriptionItemEntity, items);
      });
    } catch (e) {
      if (isUniqueViolation(e, 'uq_subscriptions_external_id'))
        throw new ApiError(
          409,
          BillingErrorCode.EXTERNAL_ID_TAKEN,
          `A subscription with externalId ${input.externalId ?? ''} already exists.`,
        );
      throw e;
    }
    return toSubscription(entity, items);
  }

  async getSubscription(
    id: string,
    options: ReadOptions = {},
  ): Promise<BillingSubscription | undefined> {
    const entity = await this.em.findOne(SubscriptionEntity, {
      where: { id },
      ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!entity || !visible(entity.legalEntity, options.legalEntities)) return undefined;
    const items = await this.em.findBy(SubscriptionItemEntity, { subscriptionId: id });
    return toSubscription(entity, items);
  }

  async listSubscriptions(filter: SubscriptionFilter): Promise<Slice<BillingSubscription>> {
    return this.tx.run(async () => {
      const qb = applyKeyset(
        this.em.createQueryBuilder(SubscriptionEntity, 's'),
        filter,
        'legalEntity',
      );
      if (filter.customerId) qb.andWhere('s.customerId = :cid', { cid: filter.customerId });
      if (filter.status === 'canceled')
        qb.andWhere("(s.status = 'canceled' OR s.endDate <= :today)", { today: today() });
      else if (filter.status)
        qb.andWhere('s.status = :st AND (s.endDate IS NULL OR s.endDate > :today)', {
          st: filter.status,
          today: today(),
        });
      if (filter.externalId) qb.andWhere('s.externalId = :ext', { ext: filter.externalId });
      const rows = await qb.getMany();
      const ids = rows.map((r) => r.id);
      const items = ids.length
        ? await this.em.findBy(SubscriptionItemEntity, { subscriptionId: In(ids) })
        : [];
      return toSlice(rows, filter.limit, (s) =>
        toSubscription(
          s,
          items.filter((i) => i.subscriptionId === s.id),
        ),
      );
    }, 'REPEATABLE READ');
  }

  async updateSubscription(
    id: string,
    changes: SubscriptionChanges,
    guard: WriteGuard,
  ): Promise<BillingSubscription> {
    return this.tx.run(async () => {
      const entity = await this.em.findOne(SubscriptionEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!entity)
        throw new ApiError(
          404,
          BillingErrorCode.SUBSCRIPTION_NOT_FOUND,
          `Subscription ${id} does not exist.`,
        );
      if (guard.expectedVersion !== undefined && guard.expectedVersion !== entity.version)
        throw staleWrite('subscription', entity.version);
      if (changes.items) {
        const existing = await this.em.findBy(SubscriptionItemEntity, { subscriptionId: id });
        const kept = new Set(changes.items.flatMap((i) => (i.id ? [i.id] : [])));
        const removed = existing.filter((e) => !kept.has(e.id)).map((e) => e.id);
        if (removed.length) await this.em.delete(SubscriptionItemEntity, { id: In(removed) });
        for (const [position, item] of changes.items.entries()) {
          const columns = {
            position,
            priceId: item.priceId,
            productId: item.productId,
            usageType: item.usageType,
            quantity: item.quantity ?? null,
            meter: item.meter ?? null,
            effectiveFrom: item.effectiveFrom,
          };
          if (item.id) await this.em.update(SubscriptionItemEntity, { id: item.id }, columns);
          else
            await this.em.insert(SubscriptionItemEntity, {
              id: randomUUID(),
              subscriptionId: id,
              ...columns,
            });
        }
      }
      if (changes.status !== undefined) entity.status = changes.status;
      if (changes.endDate !== undefined) entity.endDate = changes.endDate;
      if (changes.cancelAtPeriodEnd !== undefined)
        entity.cancelAtPeriodEnd = changes.cancelAtPeriodEnd;
      if (changes.canceledAt !== undefined) entity.canceledAt = changes.canceledAt;
      if (changes.billedThrough !== undefined) entity.billedThrough = changes.billedThrough;
      entity.version += 1;
      entity.updatedAt = new Date();
      const { items: _items, customer: _customer, ...columns } = entity;
      await this.em.update(SubscriptionEntity, { id }, columns);
      const items = await this.em.findBy(SubscriptionItemEntity, { subscriptionId: id });
      return toSubscription(entity, items);
    });
  }

  async recordAmendment(amendment: AmendmentRecord): Promise<void> {
    await this.em.insert(AmendmentEntity, {
      id: amendment.id,
      subscriptionId: amendment.subscriptionId,
      type: amendment.type,
      effectiveDate: amendment.effectiveDate,
      prorationBehavior: amendment.prorationBehavior,
      currency: amendment.currency,
      lines: amendment.lines,
      total: amendment.total,
      outcome: amendment.outcome,
      creditMemoId: amendment.creditMemoId ?? null,
      createdBy: amendment.createdBy,
      createdAt: amendment.createdAt,
    });
  }

  async listAmendments(subscriptionId: string): Promise<AmendmentRecord[]> {
    const rows = await this.em.find(AmendmentEntity, {
      where: { subscriptionId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map(toAmendment);
  }

  // ---- pending lines and usage --------------------------------------------------------------

  private async currencyOf(customerId: string): Promise<string> {
    const customer = await this.em.findOneByOrFail(CustomerEntity, { id: customerId });
    return customer.currency;
  }

  async addPendingLines(lines: NewInvoiceLine[]): Promise<BillingInvoiceLine[]> {
    if (lines.length === 0) return [];
    const now = new Date();
    // Pending lines keep the order they were added in (position within the batch) until invoiced.
    const entities = lines.map((l, i) => lineEntity(this.em, l, null, i, now));
    try {
      await this.tx.run(() => this.em.insert(InvoiceLineEntity, entities));
    } catch (e) {
      if (isUniqueViolation(e, 'uq_invoice_lines_usage_ref'))
        throw new ApiError(
          409,
          BillingErrorCode.USAGE_REFERENCE_CONFLICT,
          'A usage line with this sourceRef was recorded at the same moment; send it again to get it.',
        );
      throw e;
    }
    const currency = await this.currencyOf(lines[0]?.customerId ?? '');
    return entities.map((e) => toLine(e, currency));
  }

  async pendingLines(subscriptionId: string): Promise<BillingInvoiceLine[]> {
    const rows = await this.em.find(InvoiceLineEntity, {
      where: { subscriptionId, invoiceId: IsNull() },
      order: { createdAt: 'ASC', position: 'ASC', id: 'ASC' },
    });
    if (rows.length === 0) return [];
    const currency = await this.currencyOf(rows[0]?.customerId ?? '');
    return rows.map((r) => toLine(r, currency));
  }

  async usageLines(subscriptionItemId: string, period: DateSpan): Promise<BillingInvoiceLine[]> {
    const rows = await this.em.find(InvoiceLineEntity, {
      where: {
        subscriptionItemId,
        sourceKind: 'usage',
        periodFrom: period.from,
        periodTo: period.to,
      },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    if (rows.length === 0) return [];
    const currency = await this.currencyOf(rows[0]?.customerId ?? '');
    return rows.map((r) => toLine(r, currency));
  }

  async findUsageLine(
    subscriptionId: string,
    sourceRef: string,
  ): Promise<BillingInvoiceLine | undefined> {
    const row = await this.em.findOneBy(InvoiceLineEntity, {
      subscriptionId,
      sourceKind: 'usage',
      sourceRef,
    });
    return row ? toLine(row, await this.currencyOf(row.customerId)) : undefined;
  }

  // ---- invoices -----------------------------------------------------------------------------

  private async loadInvoice(id: string): Promise<BillingInvoice> {
    const entity = await this.em.findOneByOrFail(InvoiceEntity, { id });
    const lines = await this.em.findBy(InvoiceLineEntity, { invoiceId: id });
    return toInvoice(entity, lines);
  }

  private async lockInvoice(id: string, guard: WriteGuard = {}): Promise<InvoiceEntity> {
    const entity = await this.em.findOne(InvoiceEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!entity)
      throw new ApiError(404, BillingErrorCode.INVOICE_NOT_FOUND, `Invoice ${id} does not exist.`);
    if (guard.expectedVersion !== undefined && guard.expectedVersion !== entity.version)
      throw staleWrite('invoice', entity.version);
    return entity;
  }

  private async touchInvoice(entity: InvoiceEntity, now = new Date()): Promise<void> {
    entity.version += 1;
    entity.updatedAt = now;
    const { lines: _lines, customer: _customer, subscription: _subscription, ...columns } = entity;
    await this.em.update(InvoiceEntity, { id: entity.id }, columns);
  }

  /** The next number of a series, under the sequence row's lock until the transaction ends. */
  private async nextNumber(
    legalEntity: string,
    series: 'INV' | 'CM',
    year: number,
  ): Promise<number> {
    return this.takeNumbers(legalEntity, series, year, 1);
  }

  /**
   * Takes `count` consecutive numbers of a series under the sequence row's lock (held until the
   * transaction ends, so a rollback returns them and the series stays gap-free); answers the first.
   */
  private async takeNumbers(
    legalEntity: string,
    series: 'INV' | 'CM',
    year: number,
    count: number,
  ): Promise<number> {
    const table = this.em.getRepository(DocumentSequenceEntity).metadata.tablePath;
    const rows: { last_number: number }[] = await this.em.query(
      `insert into ${table} (legal_entity, series, year, last_number) values ($1, $2, $3, $4)
       on conflict (legal_entity, series, year) do update set last_number = ${table}.last_number + $4
       returning last_number`,
      [legalEntity, series, year, count],
    );
    const row = rows.at(0);
    if (!row) throw new Error('document sequence returned no number');
    return row.last_number - count + 1;
  }

  async createInvoice(input: NewInvoice): Promise<BillingInvoice> {
    return this.tx.run(async () => {
      const now = new Date();
      await this.em.insert(InvoiceEntity, {
        id: input.id,
        number: null,
        status: 'draft',
        customerId: input.customerId,
        subscriptionId: input.subscriptionId ?? null,
        legalEntity: input.legalEntity,
        currency: input.currency,
        paymentTerms: input.paymentTerms,
        issueDate: null,
        dueDate: null,
        memo: input.memo ?? null,
        subtotal: input.subtotal,
        totalTax: input.totalTax,
        total: input.total,
        amountPaid: '0',
        amountCredited: '0',
        taxStatus: input.taxStatus,
        taxTransactionCode: null,
        taxNotes: input.taxNotes,
        finalizedAt: null,
        paidAt: null,
        voidedAt: null,
        voidReason: null,
        uncollectibleAt: null,
        pendingFinalization: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      const pending = new Set(input.pendingLineIds);
      const fresh: InvoiceLineEntity[] = [];
      for (const [position, line] of input.lines.entries()) {
        if (pending.has(line.id)) {
          // A pending line joins the invoice once: another invoice that took it first wins.
          const taken = await this.em.update(
            InvoiceLineEntity,
            { id: line.id, invoiceId: IsNull() },
            {
              invoiceId: input.id,
              position,
              taxStatus: line.taxStatus ?? null,
              taxCode: line.taxCode ?? null,
              taxRate: line.taxRate ?? null,
              taxability: line.taxability ?? null,
              jurisdiction: line.jurisdiction ?? null,
            },
          );
          if (taken.affected !== 1)
            throw new ApiError(
              409,
              PlatformErrorCode.CONCURRENT_UPDATE,
              'Another invoice took lines of this subscription at the same moment; retry.',
              {},
              { 'retry-after': '1' },
            );
        } else {
          fresh.push(lineEntity(this.em, line, input.id, position, now));
        }
      }
      if (fresh.length) await this.em.insert(InvoiceLineEntity, fresh);
      return this.loadInvoice(input.id);
    });
  }

  async getInvoice(id: string, options: ReadOptions = {}): Promise<BillingInvoice | undefined> {
    const entity = await this.em.findOne(InvoiceEntity, {
      where: { id },
      ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!entity || !visible(entity.legalEntity, options.legalEntities)) return undefined;
    const lines = await this.em.findBy(InvoiceLineEntity, { invoiceId: id });
    return toInvoice(entity, lines);
  }

  async listInvoices(filter: InvoiceFilter): Promise<Slice<BillingInvoice>> {
    return this.tx.run(async () => {
      const qb = applyKeyset(this.em.createQueryBuilder(InvoiceEntity, 'i'), filter, 'legalEntity');
      if (filter.customerId) qb.andWhere('i.customerId = :cid', { cid: filter.customerId });
      if (filter.subscriptionId)
        qb.andWhere('i.subscriptionId = :sid', { sid: filter.subscriptionId });
      if (filter.status) qb.andWhere('i.status = :st', { st: filter.status });
      const rows = await qb.getMany();
      const ids = rows.map((r) => r.id);
      const lines = ids.length
        ? await this.em.findBy(InvoiceLineEntity, { invoiceId: In(ids) })
        : [];
      return toSlice(rows, filter.limit, (i) =>
        toInvoice(
          i,
          lines.filter((l) => l.invoiceId === i.id),
        ),
      );
    }, 'REPEATABLE READ');
  }

  async finalizeInvoice(
    id: string,
    finalization: InvoiceFinalization,
    guard: WriteGuard,
  ): Promise<BillingInvoice> {
    return this.tx.run(async () => {
      const entity = await this.lockInvoice(id, guard);
      if (entity.status !== 'draft')
        throw new ApiError(
          409,
          BillingErrorCode.INVOICE_NOT_DRAFT,
          `Invoice ${entity.number ?? id} is ${entity.status}; only a draft can be finalized.`,
        );
      const year = Number(finalization.issueDate.slice(0, 4));
      const now = new Date();
      await this.em.delete(InvoiceLineEntity, { invoiceId: id });
      await this.em.insert(
        InvoiceLineEntity,
        finalization.lines.map((l, position) => lineEntity(this.em, l, id, position, now)),
      );
      // The number is taken last: its row lock serializes the legal entity's finalizations until
      // the transaction ends, so as little as possible runs while it is held.
      const sequence = await this.nextNumber(entity.legalEntity, 'INV', year);
      Object.assign(entity, {
        number: `${entity.legalEntity}-${year}-${String(sequence).padStart(6, '0')}`,
        status: 'finalized',
        issueDate: finalization.issueDate,
        dueDate: finalization.dueDate,
        subtotal: finalization.subtotal,
        totalTax: finalization.totalTax,
        total: finalization.total,
        taxStatus: finalization.taxStatus,
        taxTransactionCode: finalization.taxTransactionCode ?? null,
        taxNotes: finalization.taxNotes,
        finalizedAt: now,
        pendingFinalization: null,
      });
      if (remaining(entity).lte(0)) Object.assign(entity, { status: 'paid', paidAt: now });
      await this.touchInvoice(entity, now);
      return this.loadInvoice(id);
    });
  }

  async getInvoices(ids: readonly string[], options: ReadOptions = {}): Promise<BillingInvoice[]> {
    if (ids.length === 0) return [];
    const qb = this.em
      .createQueryBuilder(InvoiceEntity, 'i')
      .where('i.id IN (:...ids)', { ids: [...new Set(ids)] })
      .orderBy('i.id', 'ASC');
    if (options.lock) qb.setLock('pessimistic_write');
    const rows = (await qb.getMany()).filter((e) => visible(e.legalEntity, options.legalEntities));
    if (rows.length === 0) return [];
    const lines = new Map<string, InvoiceLineEntity[]>();
    for (const line of await this.em.findBy(InvoiceLineEntity, {
      invoiceId: In(rows.map((r) => r.id)),
    })) {
      const key = line.invoiceId ?? '';
      const list = lines.get(key);
      if (list) list.push(line);
      else lines.set(key, [line]);
    }
    return rows.map((e) => toInvoice(e, lines.get(e.id) ?? []));
  }

  async beginFinalizations(
    drafts: readonly { id: string; pending: PendingFinalization }[],
  ): Promise<void> {
    if (drafts.length === 0) return;
    const table = this.em.getRepository(InvoiceEntity).metadata.tablePath;
    const [{ n }]: { n: number }[] = await this.em.query(
      `with updated as (
         update ${table} i set pending_finalization = v.pending
         from jsonb_to_recordset($1::jsonb) as v(id uuid, pending jsonb)
         where i.id = v.id and i.status = 'draft' and i.pending_finalization is null
         returning i.id)
       select count(*)::int as n from updated`,
      [JSON.stringify(drafts)],
    );
    if (n !== drafts.length)
      throw new Error(
        `${drafts.length - n} of ${drafts.length} invoices are not drafts without a finalization begun`,
      );
  }

  /**
   * The batch as set-based SQL: the drafts locked in id order, their lines replaced in a few
   * INSERTs, one range of numbers per legal entity and year (the sequence rows taken last, in a
   * fixed order, so that they are held as briefly as possible), one UPDATE for every invoice.
   */
  async finalizeInvoices(
    drafts: readonly { id: string; finalization: InvoiceFinalization }[],
  ): Promise<BillingInvoice[]> {
    if (drafts.length === 0) return [];
    return this.tx.run(async () => {
      const ids = drafts.map((d) => d.id);
      const locked = await this.em
        .createQueryBuilder(InvoiceEntity, 'i')
        .where('i.id IN (:...ids)', { ids })
        .orderBy('i.id', 'ASC')
        .setLock('pessimistic_write')
        .getMany();
      const byId = new Map(locked.map((e) => [e.id, e]));
      for (const { id } of drafts) {
        const entity = byId.get(id);
        if (!entity)
          throw new ApiError(
            404,
            BillingErrorCode.INVOICE_NOT_FOUND,
            `Invoice ${id} does not exist.`,
          );
        if (entity.status !== 'draft')
          throw new ApiError(
            409,
            BillingErrorCode.INVOICE_NOT_DRAFT,
            `Invoice ${entity.number ?? id} is ${entity.status}; only a draft can be finalized.`,
          );
      }
      const now = new Date();
      await this.em.delete(InvoiceLineEntity, { invoiceId: In(ids) });
      const lines = drafts.map(({ id, finalization }) =>
        finalization.lines.map((l, position) => lineEntity(this.em, l, id, position, now)),
      );
      await insertRows(this.em, InvoiceLineEntity, lines.flat());
      const series = new Map<string, { legalEntity: string; year: number; ids: string[] }>();
      for (const { id, finalization } of drafts) {
        const legalEntity = byId.get(id)?.legalEntity ?? '';
        const year = Number(finalization.issueDate.slice(0, 4));
        const key = `${legalEntity}/${year}`;
        const group = series.get(key) ?? { legalEntity, year, ids: [] };
        group.ids.push(id);
        series.set(key, group);
      }
      const numbers = new Map<string, string>();
      for (const key of [...series.keys()].sort()) {
        const group = series.get(key);
        if (!group) continue;
        const first = await this.takeNumbers(
          group.legalEntity,
          'INV',
          group.year,
          group.ids.length,
        );
        group.ids.forEach((id, i) =>
          numbers.set(
            id,
            `${group.legalEntity}-${group.year}-${String(first + i).padStart(6, '0')}`,
          ),
        );
      }
      const finalized = drafts.map(({ id, finalization: f }) => {
        const entity = byId.get(id);
        if (!entity) throw new Error(`invoice ${id} was not held`);
        const paid = new MoneyDecimal(f.total)
          .minus(entity.amountPaid)
          .minus(entity.amountCredited)
          .lte(0);
        return Object.assign(entity, {
          number: numbers.get(id) ?? null,
          status: paid ? 'paid' : 'finalized',
          issueDate: f.issueDate,
          dueDate: f.dueDate,
          subtotal: f.subtotal,
          totalTax: f.totalTax,
          total: f.total,
          taxStatus: f.taxStatus,
          taxTransactionCode: f.taxTransactionCode ?? null,
          taxNotes: f.taxNotes,
          finalizedAt: now,
          paidAt: paid ? now : null,
          pendingFinalization: null,
          version: entity.version + 1,
          updatedAt: now,
        });
      });
      const table = this.em.getRepository(InvoiceEntity).metadata.tablePath;
      const [{ n }]: { n: number }[] = await this.em.query(
        `with updated as (
         update ${table} i set number = v.number, status = v.status, issue_date = v.issue_date,
           due_date = v.due_date, subtotal = v.subtotal, total_tax = v.total_tax, total = v.total,
           tax_status = v.tax_status, tax_transaction_code = v.tax_transaction_code,
           tax_notes = v.tax_notes, finalized_at = v.finalized_at, paid_at = v.paid_at,
           pending_finalization = null, version = v.version, updated_at = v.updated_at
         from jsonb_populate_recordset(null::${table}, $1::jsonb) as v
         where i.id = v.id and i.status = 'draft'
         returning i.id)
         select count(*)::int as n from updated`,
        [
          JSON.stringify(
            finalized.map((e) => ({
              id: e.id,
              number: e.number,
              status: e.status,
              issue_date: e.issueDate,
              due_date: e.dueDate,
              subtotal: e.subtotal,
              total_tax: e.totalTax,
              total: e.total,
              tax_status: e.taxStatus,
              tax_transaction_code: e.taxTransactionCode,
              tax_notes: e.taxNotes,
              finalized_at: now,
              paid_at: e.paidAt,
              version: e.version,
              updated_at: now,
            })),
          ),
        ],
      );
      if (n !== finalized.length)
        throw new Error(`${finalized.length - n} drafts changed while they were held`);
      return finalized.map((entity, i) => toInvoice(entity, lines[i] ?? []));
    });
  }

  async beginFinalization(id: string, pending: PendingFinalization): Promise<void> {
    // Not a change the caller made: the version stays, so the If-Match they sent still holds.
    const result = await this.em.update(
      InvoiceEntity,
      { id, status: 'draft', pendingFinalization: IsNull() },
      { pendingFinalization: pending },
    );
    if (result.affected !== 1)
      throw new Error(`invoice ${id} is not a draft without a finalization begun`);
  }

  async voidInvoice(
    id: string,
    reason: string | undefined,
    guard: WriteGuard,
  ): Promise<BillingInvoice> {
    return this.tx.run(async () => {
      const entity = await this.lockInvoice(id, guard);
      if (!OPEN.includes(entity.status))
        throw new ApiError(
          409,
          BillingErrorCode.INVOICE_NOT_OPEN,
          `Invoice ${entity.number ?? id} is ${entity.status}; only a finalized or uncollectible invoice can be voided.`,
        );
      if (
        !new MoneyDecimal(entity.amountPaid).isZero() ||
        !new MoneyDecimal(entity.amountCredited).isZero()
      )
        throw new ApiError(
          409,
          BillingErrorCode.INVOICE_HAS_PAYMENTS,
          `Invoice ${entity.number ?? id} has payments or credits applied; refund or credit it instead of voiding it.`,
        );
      const now = new Date();
      Object.assign(entity, {
        status: 'void',
        voidedAt: now,
        voidReason: reason ?? null,
        taxStatus: entity.taxStatus === 'committed' ? 'voided' : entity.taxStatus,
      });
      await this.touchInvoice(entity, now);
      return this.loadInvoice(id);
    });
  }

  async markUncollectible(id: string, guard: WriteGuard): Promise<BillingInvoice> {
    return this.tx.run(async () => {
      const entity = await this.lockInvoice(id, guard);
      if (entity.status !== 'finalized')
        throw new ApiError(
          409,
          BillingErrorCode.INVOICE_NOT_OPEN,
          `Invoice ${entity.number ?? id} is ${entity.status}; only a finalized invoice can be marked uncollectible.`,
        );
      const now = new Date();
      Object.assign(entity, { status: 'uncollectible', uncollectibleAt: now });
      await this.touchInvoice(entity, now);
      return this.loadInvoice(id);
    });
  }

  async countDelinquentInvoices(subscriptionId: string): Promise<number> {
    return this.em
      .createQueryBuilder(InvoiceEntity, 'i')
      .where('i.subscriptionId = :sid AND i.status = :st', { sid: subscriptionId, st: 'finalized' })
      .andWhere(
        `EXISTS (SELECT 1 FROM ${this.em.getRepository(PaymentEntity).metadata.tablePath} p WHERE p.invoice_id = i.id AND p.status = 'failed')`,
      )
      .getCount();
  }

  // ---- credit memos -------------------------------------------------------------------------

  private async loadCreditMemo(id: string): Promise<BillingCreditMemo> {
    const entity = await this.em.findOneByOrFail(CreditMemoEntity, { id });
    const [lines, applications] = await Promise.all([
      this.em.findBy(CreditMemoLineEntity, { creditMemoId: id }),
      this.em.findBy(CreditMemoApplicationEntity, { creditMemoId: id }),
    ]);
    return toCreditMemo(entity, lines, applications);
  }

  async createCreditMemo(input: NewCreditMemo): Promise<BillingCreditMemo> {
    return this.tx.run(async () => {
      const year = Number(input.issueDate.slice(0, 4));
      const sequence = await this.nextNumber(input.legalEntity, 'CM', year);
      const id = randomUUID();
      const now = new Date();
      await this.em.insert(CreditMemoEntity, {
        id,
        number: `${input.legalEntity}-CM-${year}-${String(sequence).padStart(6, '0')}`,
        invoiceId: input.invoiceId ?? null,
        customerId: input.customerId,
        subscriptionId: input.subscriptionId ?? null,
        amendmentId: input.amendmentId ?? null,
        legalEntity: input.legalEntity,
        currency: input.currency,
        reason: input.reason,
        memo: input.memo ?? null,
        subtotal: input.subtotal,
        totalTax: input.totalTax,
        total: input.total,
        appliedAmount: '0',
        taxStatus: input.taxStatus,
        taxTransactionCode: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.em.insert(
        CreditMemoLineEntity,
        input.lines.map((l, position) => ({
          id: randomUUID(),
          creditMemoId: id,
          position,
          type: l.type,
          description: l.description,
          invoiceLineId: l.invoiceLineId ?? null,
          periodFrom: l.servicePeriod?.from ?? null,
          periodTo: l.servicePeriod?.to ?? null,
          amount: l.amount,
          taxRate: l.taxRate ?? null,
        })),
      );
      return this.loadCreditMemo(id);
    });
  }

  async markCreditMemoTaxCommitted(id: string, code: string): Promise<BillingCreditMemo> {
    return this.tx.run(async () => {
      const memo = await this.em.findOne(CreditMemoEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!memo) throw new Error(`credit memo ${id} does not exist`);
      if (memo.taxStatus !== 'committed') {
        Object.assign(memo, {
          taxStatus: 'committed',
          taxTransactionCode: code,
          version: memo.version + 1,
          updatedAt: new Date(),
        });
        await this.em.save(memo);
      }
      const found = await this.getCreditMemo(id);
      if (!found) throw new Error(`credit memo ${id} does not exist`);
      return found;
    });
  }

  async applyCreditMemo(creditMemoId: string, invoiceId: string, amount: string): Promise<void> {
    await this.tx.run(async () => {
      const memo = await this.em.findOne(CreditMemoEntity, {
        where: { id: creditMemoId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!memo)
        throw new ApiError(
          404,
          BillingErrorCode.CREDIT_MEMO_NOT_FOUND,
          `Credit memo ${creditMemoId} does not exist.`,
        );
      const invoice = await this.lockInvoice(invoiceId);
      if (!OPEN.includes(invoice.status))
        throw new ApiError(
          409,
          BillingErrorCode.INVOICE_NOT_OPEN,
          `Invoice ${invoice.number ?? invoiceId} is ${invoice.status}; credit applies to finalized invoices only.`,
        );
      const value = new MoneyDecimal(amount);
      const unapplied = new MoneyDecimal(memo.total).minus(memo.appliedAmount);
      if (value.lte(0) || value.gt(unapplied) || value.gt(remaining(invoice)))
        throw new ApiError(
          422,
          BillingErrorCode.CREDIT_EXCEEDS_REMAINING,
          `${roundMoney(value, invoice.currency)} ${invoice.currency} is more than is left on invoice ${invoice.number ?? invoiceId} (${roundMoney(remaining(invoice), invoice.currency)}) or on credit memo ${memo.number} (${roundMoney(unapplied, memo.currency)}).`,
        );
      const now = new Date();
      await this.em.insert(CreditMemoApplicationEntity, {
        id: randomUUID(),
        creditMemoId,
        invoiceId,
        amount: value.toFixed(),
        appliedAt: now,
      });
      memo.appliedAmount = new MoneyDecimal(memo.appliedAmount).plus(value).toFixed();
      memo.version += 1;
      memo.updatedAt = now;
      const { lines: _l, applications: _a, customer: _c, ...memoColumns } = memo;
      await this.em.update(CreditMemoEntity, { id: memo.id }, memoColumns);
      invoice.amountCredited = new MoneyDecimal(invoice.amountCredited).plus(value).toFixed();
      if (remaining(invoice).lte(0)) Object.assign(invoice, { status: 'paid', paidAt: now });
      await this.touchInvoice(invoice, now);
    });
  }

  async getCreditMemo(
    id: string,
    options: ReadOptions = {},
  ): Promise<BillingCreditMemo | undefined> {
    const entity = await this.em.findOneBy(CreditMemoEntity, { id });
    if (!entity || !visible(entity.legalEntity, options.legalEntities)) return undefined;
    return this.loadCreditMemo(id);
  }

  async listCreditMemos(filter: CreditMemoFilter): Promise<Slice<BillingCreditMemo>> {
    return this.tx.run(async () => {
      const qb = applyKeyset(
        this.em.createQueryBuilder(CreditMemoEntity, 'm'),
        filter,
        'legalEntity',
      );
      if (filter.customerId) qb.andWhere('m.customerId = :cid', { cid: filter.customerId });
      if (filter.invoiceId) qb.andWhere('m.invoiceId = :iid', { iid: filter.invoiceId });
      const rows = await qb.getMany();
      const ids = rows.map((r) => r.id);
      const [lines, applications] = ids.length
        ? await Promise.all([
            this.em.findBy(CreditMemoLineEntity, { creditMemoId: In(ids) }),
            this.em.findBy(CreditMemoApplicationEntity, { creditMemoId: In(ids) }),
          ])
        : [[], []];
      return toSlice(rows, filter.limit, (m) =>
        toCreditMemo(
          m,
          lines.filter((l) => l.creditMemoId === m.id),
          applications.filter((a) => a.creditMemoId === m.id),
        ),
      );
    }, 'REPEATABLE READ');
  }

  async unappliedCreditMemos(customerId: string, currency: string): Promise<BillingCreditMemo[]> {
    const rows = await this.em
      .createQueryBuilder(CreditMemoEntity, 'm')
      .where('m.customerId = :cid AND m.currency = :cur AND m.appliedAmount < m.total', {
        cid: customerId,
        cur: currency,
      })
      .orderBy('m.createdAt', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .getMany();
    const memos: BillingCreditMemo[] = [];
    for (const row of rows) memos.push(await this.loadCreditMemo(row.id));
    return memos;
  }

  async customersWithUnappliedCredit(customerIds: readonly string[]): Promise<Set<string>> {
    if (customerIds.length === 0) return new Set();
    const rows = await this.em
      .createQueryBuilder(CreditMemoEntity, 'm')
      .select('DISTINCT m.customerId', 'customerId')
      .where('m.customerId IN (:...ids) AND m.appliedAmount < m.total', { ids: [...customerIds] })
      .getRawMany<{ customerId: string }>();
    return new Set(rows.map((r) => r.customerId));
  }

  // ---- payments -----------------------------------------------------------------------------

  async recordPayment(input: NewPayment): Promise<BillingPayment> {
    return this.tx.run(async () => {
      const invoice = await this.lockInvoice(input.invoiceId);
      if (!OPEN.includes(invoice.status))
        throw new ApiError(
          409,
          BillingErrorCode.INVOICE_NOT_OPEN,
          `Invoice ${invoice.number ?? invoice.id} is ${invoice.status}; payments apply to finalized or uncollectible invoices only.`,
        );
      const value = new MoneyDecimal(input.amount);
      if (input.status === 'settled' && value.gt(remaining(invoice)))
        throw new ApiError(
          422,
          BillingErrorCode.PAYMENT_EXCEEDS_REMAINING,
          `${roundMoney(value, invoice.currency)} ${invoice.currency} is more than is left to pay on invoice ${invoice.number ?? invoice.id} (${roundMoney(remaining(invoice), invoice.currency)}).`,
        );
      const now = new Date();
      const entity = this.em.create(PaymentEntity, {
        id: randomUUID(),
        invoiceId: invoice.id,
        customerId: invoice.customerId,
        legalEntity: invoice.legalEntity,
        currency: invoice.currency,
        amount: value.toFixed(),
        status: input.status,
        reference: input.reference,
        method: input.method ?? null,
        failureReason: input.failureReason ?? null,
        refundReason: null,
        settledAt: input.status === 'settled' ? now : null,
        failedAt: input.status === 'failed' ? now : null,
        refundedAt: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await this.em.insert(PaymentEntity, entity);
      } catch (e) {
        if (isUniqueViolation(e, 'uq_payments_reference'))
          throw new ApiError(
            409,
            BillingErrorCode.PAYMENT_REFERENCE_CONFLICT,
            `A payment with reference ${input.reference} is already recorded.`,
          );
        throw e;
      }
      if (input.status === 'settled') {
        invoice.amountPaid = new MoneyDecimal(invoice.amountPaid).plus(value).toFixed();
        if (remaining(invoice).lte(0)) Object.assign(invoice, { status: 'paid', paidAt: now });
        await this.touchInvoice(invoice, now);
      }
      return toPayment(entity);
    });
  }

  async findPaymentByReference(reference: string): Promise<BillingPayment | undefined> {
    const entity = await this.em.findOneBy(PaymentEntity, { reference });
    return entity ? toPayment(entity) : undefined;
  }

  async getPayment(id: string, options: ReadOptions = {}): Promise<BillingPayment | undefined> {
    const entity = await this.em.findOne(PaymentEntity, {
      where: { id },
      ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    return entity && visible(entity.legalEntity, options.legalEntities)
      ? toPayment(entity)
      : undefined;
  }

  async listPayments(filter: PaymentFilter): Promise<Slice<BillingPayment>> {
    const qb = applyKeyset(this.em.createQueryBuilder(PaymentEntity, 'p'), filter, 'legalEntity');
    if (filter.invoiceId) qb.andWhere('p.invoiceId = :iid', { iid: filter.invoiceId });
    if (filter.customerId) qb.andWhere('p.customerId = :cid', { cid: filter.customerId });
    if (filter.status) qb.andWhere('p.status = :st', { st: filter.status });
    return toSlice(await qb.getMany(), filter.limit, toPayment);
  }

  async refundPayment(id: string, reason: string | undefined): Promise<BillingPayment> {
    return this.tx.run(async () => {
      const payment = await this.em.findOne(PaymentEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!payment)
        throw new ApiError(
          404,
          BillingErrorCode.PAYMENT_NOT_FOUND,
          `Payment ${id} does not exist.`,
        );
      if (payment.status !== 'settled')
        throw new ApiError(
          409,
          BillingErrorCode.PAYMENT_NOT_SETTLED,
          `Payment ${id} is ${payment.status}; only a settled payment can be refunded.`,
        );
      const invoice = await this.lockInvoice(payment.invoiceId);
      const now = new Date();
      Object.assign(payment, {
        status: 'refunded',
        refundedAt: now,
        refundReason: reason ?? null,
        version: payment.version + 1,
        updatedAt: now,
      });
      const { invoice: _invoice, ...columns } = payment;
      await this.em.update(PaymentEntity, { id }, columns);
      invoice.amountPaid = new MoneyDecimal(invoice.amountPaid).minus(payment.amount).toFixed();
      if (invoice.status === 'paid' && remaining(invoice).gt(0))
        Object.assign(invoice, { status: 'finalized', paidAt: null });
      await this.touchInvoice(invoice, now);
      return toPayment(payment);
    });
  }
}
