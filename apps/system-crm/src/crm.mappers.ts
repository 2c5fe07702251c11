import { AccountResponse } from './accounts/dto/account.dto';
import { OpportunityResponse } from './opportunities/dto/opportunity.dto';
import { ProductResponse } from './products/dto/product.dto';
import { CrmAccount, CrmOpportunity, CrmProduct } from './providers/crm-provider.port';

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
