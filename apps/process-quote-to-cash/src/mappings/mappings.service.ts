import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { Principal } from '@revgate/auth';
import { applyKeyset, isUniqueViolation, toSlice, TransactionHost } from '@revgate/persistence';
import {
  ApiError,
  expectedVersion,
  keysetPage,
  keysetWindow,
  staleWrite,
  type Page,
} from '@revgate/platform';
import { UpstreamUnavailableError } from '@revgate/resilience';
import { AuditLog } from '../audit/audit-log';
import { Q2cErrorCode } from '../q2c-error-code';
import { SystemApis, type SystemName } from '../system-apis';
import {
  CreateProductMappingRequest,
  ListProductMappingsQuery,
  ProductMappingResponse,
  UpdateProductMappingRequest,
} from './dto/mapping.dto';
import { ProductMappingEntity } from './product-mapping.entity';

const notFound = (id: string): ApiError =>
  new ApiError(404, Q2cErrorCode.MAPPING_NOT_FOUND, `Product mapping ${id} does not exist.`);

export function toMappingResponse(e: ProductMappingEntity): ProductMappingResponse {
  return {
    id: e.id,
    crmProductId: e.crmProductId,
    currency: e.currency,
    billingPriceId: e.billingPriceId,
    erpItemCode: e.erpItemCode,
    ...(e.note === null ? {} : { note: e.note }),
    version: e.version,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/**
 * The cross-reference table (DESIGN §2): CRM product ↔ billing price ↔ ERP item, per currency.
 * Changes are audited. Orders read it when they map their products; an order parked for an
 * unmapped product goes on once the mapping exists and it is retried.
 */
@Injectable()
export class MappingsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
    private readonly apis: SystemApis,
  ) {}

  async create(
    caller: Principal,
    request: CreateProductMappingRequest,
  ): Promise<ProductMappingResponse> {
    assertCatalogAccess(caller);
    await this.assertCrmProduct(request.crmProductId);
    await this.assertBillingPrice(request.billingPriceId, request.currency, '/billingPriceId');
    return this.tx.run(async () => {
      const now = new Date();
      const row: ProductMappingEntity = {
        id: randomUUID(),
        crmProductId: request.crmProductId,
        currency: request.currency,
        billingPriceId: request.billingPriceId,
        erpItemCode: request.erpItemCode,
        note: request.note ?? null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.tx.manager.insert(ProductMappingEntity, row);
      } catch (e) {
        if (isUniqueViolation(e, 'uq_product_mappings_product_currency'))
          throw new ApiError(
            409,
            Q2cErrorCode.MAPPING_EXISTS,
            `CRM product ${request.crmProductId} is already mapped for ${request.currency}; change that mapping instead.`,
          );
        throw e;
      }
      await this.audit.record({
        actor: caller.subject,
        action: 'product_mapping.created',
        targetType: 'product_mapping',
        targetId: row.id,
        detail: { ...toMappingResponse(row) },
      });
      return toMappingResponse(row);
    });
  }

  async get(id: string): Promise<ProductMappingResponse> {
    const row = await this.tx.manager.findOneBy(ProductMappingEntity, { id });
    if (!row) throw notFound(id);
    return toMappingResponse(row);
  }

  async list(query: ListProductMappingsQuery): Promise<Page<ProductMappingResponse>> {
    const window = keysetWindow(query);
    const qb = applyKeyset(this.tx.manager.createQueryBuilder(ProductMappingEntity, 'm'), window);
    if (query.crmProductId) qb.andWhere('m.crmProductId = :p', { p: query.crmProductId });
    if (query.currency) qb.andWhere('m.currency = :c', { c: query.currency });
    const rows = await qb.getMany();
    return keysetPage(
      toSlice(rows, window.limit, (r) => r),
      toMappingResponse,
    );
  }

  async update(
    caller: Principal,
    id: string,
    request: UpdateProductMappingRequest,
    ifMatch?: string,
  ): Promise<ProductMappingResponse> {
    assertCatalogAccess(caller);
    const expected = expectedVersion(ifMatch);
    if (request.billingPriceId !== undefined) {
      const current = await this.tx.manager.findOneBy(ProductMappingEntity, { id });
      if (!current) throw notFound(id);
      await this.assertBillingPrice(request.billingPriceId, current.currency, '/billingPriceId');
    }
    return this.tx.run(async () => {
      const row = await this.tx.manager.findOne(ProductMappingEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row) throw notFound(id);
      if (expected !== undefined && expected !== row.version)
        throw staleWrite('product mapping', row.version);
      const before = toMappingResponse(row);
      if (request.billingPriceId !== undefined) row.billingPriceId = request.billingPriceId;
      if (request.erpItemCode !== undefined) row.erpItemCode = request.erpItemCode;
      if (request.note !== undefined) row.note = request.note;
      row.version += 1;
      row.updatedAt = new Date();
      await this.tx.manager.save(ProductMappingEntity, row);
      const after = toMappingResponse(row);
      await this.audit.record({
        actor: caller.subject,
        action: 'product_mapping.updated',
        targetType: 'product_mapping',
        targetId: id,
        detail: { before, after },
      });
      return after;
    });
  }

  async remove(caller: Principal, id: string, ifMatch?: string): Promise<void> {
    assertCatalogAccess(caller);
    const expected = expectedVersion(ifMatch);
    await this.tx.run(async () => {
      const row = await this.tx.manager.findOne(ProductMappingEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row) throw notFound(id);
      if (expected !== undefined && expected !== row.version)
        throw staleWrite('product mapping', row.version);
      await this.tx.manager.delete(ProductMappingEntity, { id });
      await this.audit.record({
        actor: caller.subject,
        action: 'product_mapping.deleted',
        targetType: 'product_mapping',
        targetId: id,
        detail: { ...toMappingResponse(row) },
      });
    });
  }

  private async assertCrmProduct(id: string): Promise<void> {
    const answer = await reach('crm', () =>
      this.apis.crm.GET('/crm/v1/products/{id}', { params: { path: { id } } }),
    );
    if (answer.response.status === 404)
      throw new ApiError(422, Q2cErrorCode.CRM_PRODUCT_UNKNOWN, `The CRM has no product ${id}.`, {
        errors: [{ pointer: '/crmProductId', detail: 'no such CRM product' }],
      });
    if (!answer.data) throw unavailable('crm', `it answered HTTP ${answer.response.status}`);
  }

  /** The price must exist, be recurring and licensed, in the mapping's currency. */
  private async assertBillingPrice(id: string, currency: string, pointer: string): Promise<void> {
    const answer = await reach('billing', () =>
      this.apis.billing.GET('/billing/v1/prices/{id}', { params: { path: { id } } }),
    );
    if (answer.response.status === 404)
      throw new ApiError(422, Q2cErrorCode.BILLING_PRICE_UNKNOWN, `Billing has no price ${id}.`, {
        errors: [{ pointer, detail: 'no such billing price' }],
      });
    const price = answer.data;
    if (!price) throw unavailable('billing', `it answered HTTP ${answer.response.status}`);
    const problems = [
      ...(price.currency === currency ? [] : [`it is in ${price.currency}, not ${currency}`]),
      ...(price.type === 'recurring' ? [] : ['it is not recurring']),
      ...(price.usageType === 'metered'
        ? ['it is metered (usage is billed by usage-to-revenue)']
        : []),
    ];
    if (problems.length)
      throw new ApiError(
        422,
        Q2cErrorCode.BILLING_PRICE_UNSUITABLE,
        `Billing price ${id} cannot serve this mapping: ${problems.join('; ')}.`,
        { errors: [{ pointer, detail: problems.join('; ') }] },
      );
  }

  /** The mappings of these CRM products in a currency, by CRM product id. */
  async forProducts(
    crmProductIds: readonly string[],
    currency: string,
  ): Promise<Map<string, ProductMappingEntity>> {
    if (crmProductIds.length === 0) return new Map();
    const rows = await this.tx.manager.findBy(ProductMappingEntity, {
      crmProductId: In([...crmProductIds]),
      currency,
    });
    return new Map(rows.map((r) => [r.crmProductId, r]));
  }
}

/** The catalog is shared by every legal entity: only a caller without an entity limit maps it. */
function assertCatalogAccess(caller: Principal): void {
  if (caller.legalEntities !== undefined)
    throw new ApiError(
      403,
      Q2cErrorCode.CATALOG_FORBIDDEN,
      'Product mappings serve every legal entity: only a token without a legal-entity limit may change them.',
    );
}

function unavailable(system: SystemName, why: string, retryAfter = 5): ApiError {
  return new ApiError(
    503,
    Q2cErrorCode.SYSTEM_UNAVAILABLE,
    `The ${system} system API cannot check the mapping right now (${why}); nothing was changed, retry later.`,
    {},
    { 'retry-after': String(retryAfter) },
  );
}

async function reach<T>(system: SystemName, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof UpstreamUnavailableError)
      throw unavailable(system, e.message, e.retryAfterSeconds);
    throw e;
  }
}
