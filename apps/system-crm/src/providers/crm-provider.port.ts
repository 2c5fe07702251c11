import type { KeysetWindow, Slice } from '@revgate/platform';

/**
 * The CRM provider port, shaped by Salesforce's model: Account (with ParentId and an external id
 * field), Product2 (ProductCode, Family, IsActive), Opportunity (StageName, CloseDate, CurrencyIsoCode)
 * and OpportunityLineItem (Quantity, UnitPrice, Discount, ServiceDate). Adapters translate; nothing
 * above this port sees a provider's ids, payloads or errors.
 */
export const CRM_PROVIDER = Symbol('CRM_PROVIDER');

export const OPPORTUNITY_STAGES = [
  'prospecting',
  'qualification',
  'proposal',
  'negotiation',
  'closed_won',
  'closed_lost',
] as const;
export type OpportunityStage = (typeof OPPORTUNITY_STAGES)[number];
export const CLOSED_STAGES: readonly OpportunityStage[] = ['closed_won', 'closed_lost'];

export const BILLING_STATUSES = ['not_started', 'pending', 'active', 'failed'] as const;
export type BillingStatusValue = (typeof BILLING_STATUSES)[number];

export interface PostalAddress {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
}

export interface TaxRegistration {
  /** e.g. `VAT`, `GST`, `EIN` */
  scheme: string;
  number: string;
  /** ISO 3166-1 alpha-2 of the registering authority */
  country: string;
}

export interface CrmAccount {
  id: string;
  externalId?: string;
  legalName: string;
  billingAddress: PostalAddress;
  taxRegistration?: TaxRegistration;
  currency: string;
  legalEntity: string;
  parentAccountId?: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CrmProduct {
  id: string;
  externalId?: string;
  sku: string;
  name: string;
  family?: string;
  active: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CrmOpportunityLine {
  id: string;
  productId: string;
  /** decimal string */
  quantity: string;
  /** decimal string, price per unit for the term, in the opportunity's currency */
  unitPrice: string;
  /** decimal string, percent 0–100 */
  discountPercent: string;
  termMonths: number;
  /** ISO date (YYYY-MM-DD) */
  startDate: string;
  /** quantity × unitPrice × (1 − discount/100), rounded to the currency */
  totalPrice: string;
}

export interface CrmBillingStatus {
  status: BillingStatusValue;
  subscriptionId?: string;
  invoiceId?: string;
  erpInvoiceId?: string;
  detail?: string;
  updatedAt?: Date;
}

export interface CrmStageChange {
  stage: OpportunityStage;
  changedAt: Date;
  changedBy: string;
}

export interface CrmOpportunity {
  id: string;
  externalId?: string;
  accountId: string;
  /** Legal entity of the account, copied for filtering and authorization. */
  legalEntity: string;
  name: string;
  stage: OpportunityStage;
  closeDate?: string;
  currency: string;
  amount: string;
  lines: CrmOpportunityLine[];
  billingStatus: CrmBillingStatus;
  stageHistory: CrmStageChange[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type NewAccount = Omit<CrmAccount, 'id' | 'version' | 'createdAt' | 'updatedAt'>;
export type AccountChanges = Partial<Omit<NewAccount, 'externalId'>>;
export type NewProduct = Omit<CrmProduct, 'id' | 'version' | 'createdAt' | 'updatedAt'>;
export type ProductChanges = Partial<Omit<NewProduct, 'externalId' | 'sku'>>;
export type NewOpportunityLine = Omit<CrmOpportunityLine, 'id' | 'totalPrice'>;
export interface NewOpportunity {
  externalId?: string;
  accountId: string;
  name: string;
  closeDate?: string;
  currency?: string;
  lines: NewOpportunityLine[];
}

/** Keyset page request (items ordered by (updatedAt, id)) and the page read. */
export type ListWindow = KeysetWindow;
export type { Slice };

export interface AccountFilter extends ListWindow {
  legalEntity?: string;
  externalId?: string;
}
export interface ProductFilter extends Omit<ListWindow, 'legalEntities'> {
  active?: boolean;
}
export interface OpportunityFilter extends ListWindow {
  stage?: OpportunityStage;
  accountId?: string;
}

/** Guard on a write: the caller's If-Match version, and who is acting. */
export interface WriteGuard {
  expectedVersion?: number;
  actor: string;
  legalEntities?: readonly string[];
}

export interface CrmProvider {
  readonly name: string;

  createAccount(input: NewAccount, callerEntities?: readonly string[]): Promise<CrmAccount>;
  getAccount(id: string, legalEntities?: readonly string[]): Promise<CrmAccount | undefined>;
  listAccounts(filter: AccountFilter): Promise<Slice<CrmAccount>>;
  updateAccount(id: string, changes: AccountChanges, guard: WriteGuard): Promise<CrmAccount>;

  createProduct(input: NewProduct): Promise<CrmProduct>;
  getProduct(id: string): Promise<CrmProduct | undefined>;
  listProducts(filter: ProductFilter): Promise<Slice<CrmProduct>>;
  updateProduct(id: string, changes: ProductChanges, guard: WriteGuard): Promise<CrmProduct>;

  createOpportunity(
    input: NewOpportunity,
    actor: string,
    legalEntities?: readonly string[],
  ): Promise<CrmOpportunity>;
  getOpportunity(
    id: string,
    legalEntities?: readonly string[],
  ): Promise<CrmOpportunity | undefined>;
  listOpportunities(filter: OpportunityFilter): Promise<Slice<CrmOpportunity>>;
  replaceLines(id: string, lines: NewOpportunityLine[], guard: WriteGuard): Promise<CrmOpportunity>;
  changeStage(
    id: string,
    stage: OpportunityStage,
    guard: WriteGuard,
  ): Promise<{ opportunity: CrmOpportunity; changed: boolean }>;
  updateBillingStatus(
    id: string,
    status: Omit<CrmBillingStatus, 'updatedAt'>,
    guard: WriteGuard,
  ): Promise<CrmOpportunity>;
}
