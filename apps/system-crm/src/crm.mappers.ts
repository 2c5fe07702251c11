import { decodeCursor, encodeCursor, invalidCursor, Page } from '@revgate/platform';
import { AccountResponse } from './accounts/dto/account.dto';
import { OpportunityResponse } from './opportunities/dto/opportunity.dto';
import { ProductResponse } from './products/dto/product.dto';
import {
  CrmAccount,
  CrmOpportunity,
  CrmProduct,
  ListWindow,
  Slice,
} from './providers/crm-provider.port';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toAccountResponse(a: CrmAccount): AccountResponse {
  return {
    id: a.id,
    externalId: a.externalId,
    legalName: a.legalName,
    billingAddress: { ...a.billingAddress },
    taxRegistration: a.taxRegistration ? { ...a.taxRegistration } : undefined,
    currency: a.currency,
    legalEntity: a.legalEntity,
    parentAccountId: a.parentAccountId,
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

export function toProductResponse(p: CrmProduct): ProductResponse {
  return {
    id: p.id,
    externalId: p.externalId,
    sku: p.sku,
    name: p.name,
    family: p.family,
    active: p.active,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function toOpportunityResponse(o: CrmOpportunity): OpportunityResponse {
  return {
    id: o.id,
    externalId: o.externalId,
    accountId: o.accountId,
    legalEntity: o.legalEntity,
    name: o.name,
    stage: o.stage,
    closeDate: o.closeDate,
    currency: o.currency,
    amount: o.amount,
    lines: o.lines.map((l) => ({ ...l })),
    billingStatus: { ...o.billingStatus, updatedAt: o.billingStatus.updatedAt?.toISOString() },
    stageHistory: o.stageHistory.map((c) => ({
      stage: c.stage,
      changedAt: c.changedAt.toISOString(),
      changedBy: c.changedBy,
    })),
    version: o.version,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

/** True only for the exact form toISOString() writes, which is all a cursor of ours can hold. */
function isIsoInstant(value: string): boolean {
  const time = Date.parse(value);
  return ISO_INSTANT.test(value) && !Number.isNaN(time) && new Date(time).toISOString() === value;
}

/** Turns a page request's cursor and filters into the provider's keyset window. */
export function listWindow(
  query: { limit: number; cursor?: string; updatedSince?: string },
  legalEntities?: readonly string[],
): ListWindow {
  let after: ListWindow['after'];
  if (query.cursor) {
    const [updatedAt = '', id = ''] = decodeCursor(query.cursor, 2);
    if (!isIsoInstant(updatedAt) || !UUID.test(id)) throw invalidCursor();
    after = { updatedAt, id };
  }
  return {
    limit: query.limit,
    after,
    updatedSince: query.updatedSince ? new Date(query.updatedSince) : undefined,
    legalEntities,
  };
}

export function toPage<T extends { id: string; updatedAt: Date }, R>(
  slice: Slice<T>,
  map: (item: T) => R,
): Page<R> {
  const last = slice.items.at(-1);
  return {
    data: slice.items.map(map),
    nextCursor:
      slice.hasMore && last ? encodeCursor([last.updatedAt.toISOString(), last.id]) : null,
  };
}
