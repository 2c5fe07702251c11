/**
 * The billing provider port, shaped by Stripe's object model so that the Stripe connector plugs in
 * without changing it:
 * - Customer (address, currency, tax exemption and tax ids, invoice_settings days_until_due; the
 *   legal entity and external id in metadata) — POST /v1/customers;
 * - Product (tax_code, active) and Price (currency, type one_time | recurring {interval, usage_type
 *   licensed | metered, meter}, billing_scheme per_unit | tiered, tiers_mode graduated | volume,
 *   tiers[{up_to, unit_amount_decimal, flat_amount_decimal}], transform_quantity) — the definition
 *   is the pricing engine's PriceDefinition, which is Stripe's Price with a flat scheme and an
 *   included quantity added;
 * - Subscription with items (price, quantity), billing_cycle_anchor, cancel_at_period_end,
 *   canceled_at, status active | past_due | canceled. Revgate computes prorations itself (day-based,
 *   see proration.engine.ts), so changes reach the provider with proration_behavior=none and the
 *   prorated amounts as explicit invoice items;
 * - InvoiceItem (pending lines: amount, period, price, quantity, proration flag) and Invoice (draft →
 *   POST /v1/invoices/{id}/finalize → open, then paid | void | uncollectible), with tax amounts given
 *   per line (Revgate's tax API computes them, as Stripe's manual tax rates would carry them);
 * - CreditNote (lines, amount, applied to the invoice's amount remaining, the rest to the customer's
 *   credit balance), PaymentIntent outcomes (succeeded | payment_failed, refunds) and Billing Meter
 *   events (a usage line, deduplicated by its identifier).
 * Adapters translate; nothing above this port sees a provider's ids, payloads or errors.
 */
import type {
  AmendmentOutcome,
  AmendmentTypeValue,
  BillingInterval,
  CreditMemoLineType,
  CreditMemoReason,
  CreditMemoTaxStatus,
  InvoiceLineType,
  InvoiceStatus,
  InvoiceTaxStatus,
  LineSourceKind,
  LineTaxStatus,
  OneTimeRecognition,
  PaymentMethod,
  PaymentOutcome,
  PaymentStatus,
  PaymentTerms,
  PriceType,
  ProrationBehavior,
  SubscriptionStatus,
  Taxability,
  UsageType,
} from '@revgate/canonical';
import type { KeysetWindow, Slice } from '@revgate/platform';
import type { PriceDefinition } from '../pricing';
import type { TaxDocument } from './tax.port';

export const BILLING_PROVIDER = Symbol('BILLING_PROVIDER');

export interface PostalAddress {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
}

/** Days `from` (inclusive) to `to` (exclusive), YYYY-MM-DD. */
export interface DateSpan {
  from: string;
  to: string;
}

export interface BillingCustomer {
  id: string;
  externalId?: string;
  name: string;
  email?: string;
  billTo: PostalAddress;
  currency: string;
  legalEntity: string;
  paymentTerms: PaymentTerms;
  taxExemptionNumber?: string;
  vatId?: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface BillingProduct {
  id: string;
  externalId?: string;
  sku?: string;
  name: string;
  description?: string;
  taxCode: string;
  family: string;
  oneTimeRecognition: OneTimeRecognition;
  active: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface BillingPrice {
  id: string;
  productId: string;
  externalId?: string;
  nickname?: string;
  currency: string;
  type: PriceType;
  interval?: BillingInterval;
  usageType?: UsageType;
  meter?: string;
  /** What the pricing engine prices (validated with validatePrice before it is stored). */
  definition: PriceDefinition;
  active: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface BillingSubscriptionItem {
  id: string;
  priceId: string;
  productId: string;
  usageType: UsageType;
  /** Licensed items: decimal string. Metered items: undefined. */
  quantity?: string;
  meter?: string;
  /** The item bills on its current terms from this day (its last change). */
  effectiveFrom: string;
}

export interface BillingSubscription {
  id: string;
  externalId?: string;
  customerId: string;
  legalEntity: string;
  currency: string;
  billingInterval: BillingInterval;
  billingAnchorDate: string;
  startDate: string;
  endDate?: string;
  status: SubscriptionStatus;
  cancelAtPeriodEnd: boolean;
  canceledAt?: Date;
  /** Recurring charges are invoiced up to this day, exclusive. */
  billedThrough: string;
  items: BillingSubscriptionItem[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface LineSource {
  kind: LineSourceKind;
  id?: string;
  reference?: string;
}

/** Usage pricing kept with a usage line: how the running total of its period was priced. */
export interface UsagePricing {
  meter: string;
  periodQuantity: string;
  periodAmount: string;
  breakdown: {
    kind: 'flat' | 'unit' | 'package' | 'tier';
    tierIndex: number | null;
    quantity: string;
    unitAmount: string;
    flatAmount: string;
    subtotal: string;
  }[];
}

/** An invoice line (Stripe: an invoice line item, or a pending InvoiceItem before it is invoiced). */
export interface BillingInvoiceLine {
  id: string;
  /** Undefined while the line waits for the next invoice. */
  invoiceId?: string;
  customerId: string;
  subscriptionId?: string;
  type: InvoiceLineType;
  description: string;
  productId?: string;
  priceId?: string;
  subscriptionItemId?: string;
  quantity?: string;
  unitAmount?: string;
  /** Rounded to the currency; negative for discounts and credits. */
  amount: string;
  servicePeriod?: DateSpan;
  proration: boolean;
  source: LineSource;
  appliesToLineId?: string;
  taxCode?: string;
  taxStatus?: LineTaxStatus;
  taxRate?: string;
  taxability?: Taxability;
  jurisdiction?: { country: string; region?: string; name: string; taxName: string };
  usage?: UsagePricing;
  createdAt: Date;
}

export type NewInvoiceLine = Omit<BillingInvoiceLine, 'createdAt'>;

export interface BillingInvoice {
  id: string;
  number?: string;
  status: InvoiceStatus;
  customerId: string;
  subscriptionId?: string;
  legalEntity: string;
  currency: string;
  paymentTerms: PaymentTerms;
  issueDate?: string;
  dueDate?: string;
  memo?: string;
  /** In order. */
  lines: BillingInvoiceLine[];
  subtotal: string;
  totalTax: string;
  total: string;
  amountPaid: string;
  amountCredited: string;
  taxStatus: InvoiceTaxStatus;
  taxTransactionCode?: string;
  taxNotes: string[];
  finalizedAt?: Date;
  paidAt?: Date;
  voidedAt?: Date;
  voidReason?: string;
  markedUncollectibleAt?: Date;
  /** On a draft whose finalization began and did not finish (see PendingFinalization). */
  pendingFinalization?: PendingFinalization;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * What a finalization commits, fixed at its first attempt: the issue date and the tax document
 * (none when no line is taxable). The tax system is called between two database transactions, so
 * a crash or an outage after the tax commit leaves the draft with this; the next attempt commits
 * the same document under the same code, which the tax system answers with the transaction it
 * recorded, and the invoice is issued on the day its finalization began.
 */
export interface PendingFinalization {
  issueDate: string;
  taxDocument?: TaxDocument;
}

/** A draft to store: its own lines, and the pending lines it takes (they keep their ids). */
export interface NewInvoice {
  id: string;
  customerId: string;
  subscriptionId?: string;
  legalEntity: string;
  currency: string;
  paymentTerms: PaymentTerms;
  memo?: string;
  lines: NewInvoiceLine[];
  pendingLineIds: string[];
  subtotal: string;
  totalTax: string;
  total: string;
  taxStatus: InvoiceTaxStatus;
  taxNotes: string[];
}

/** What finalization fixes: dates, the committed tax (lines replaced), totals. */
export interface InvoiceFinalization {
  issueDate: string;
  dueDate: string;
  /** The invoice's lines with the committed tax (tax lines replaced, charge lines' tax status). */
  lines: NewInvoiceLine[];
  subtotal: string;
  totalTax: string;
  total: string;
  taxStatus: InvoiceTaxStatus;
  taxTransactionCode?: string;
  taxNotes: string[];
}

export interface BillingCreditMemoLine {
  id: string;
  type: CreditMemoLineType;
  description: string;
  invoiceLineId?: string;
  servicePeriod?: DateSpan;
  amount: string;
  taxRate?: string;
}

export interface CreditMemoApplication {
  invoiceId: string;
  amount: string;
  appliedAt: Date;
}

export interface BillingCreditMemo {
  id: string;
  number: string;
  invoiceId?: string;
  customerId: string;
  subscriptionId?: string;
  amendmentId?: string;
  legalEntity: string;
  currency: string;
  reason: CreditMemoReason;
  memo?: string;
  lines: BillingCreditMemoLine[];
  subtotal: string;
  totalTax: string;
  total: string;
  applications: CreditMemoApplication[];
  taxStatus: CreditMemoTaxStatus;
  taxTransactionCode?: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewCreditMemo {
  invoiceId?: string;
  customerId: string;
  subscriptionId?: string;
  amendmentId?: string;
  legalEntity: string;
  currency: string;
  reason: CreditMemoReason;
  memo?: string;
  lines: Omit<BillingCreditMemoLine, 'id'>[];
  subtotal: string;
  totalTax: string;
  total: string;
  /** Issue date: the year of the number. */
  issueDate: string;
  taxStatus: Exclude<CreditMemoTaxStatus, 'committed'>;
}

export interface BillingPayment {
  id: string;
  invoiceId: string;
  customerId: string;
  legalEntity: string;
  currency: string;
  amount: string;
  status: PaymentStatus;
  reference: string;
  method?: PaymentMethod;
  failureReason?: string;
  refundReason?: string;
  settledAt?: Date;
  failedAt?: Date;
  refundedAt?: Date;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewPayment {
  invoiceId: string;
  status: PaymentOutcome;
  amount: string;
  reference: string;
  method?: PaymentMethod;
  failureReason?: string;
}

export interface AmendmentRecord {
  id: string;
  subscriptionId: string;
  type: AmendmentTypeValue;
  effectiveDate: string;
  prorationBehavior: ProrationBehavior;
  currency: string;
  lines: AmendmentLine[];
  total: string;
  outcome: AmendmentOutcome;
  creditMemoId?: string;
  createdBy: string;
  createdAt: Date;
}

export interface AmendmentLine {
  kind: 'credit' | 'charge';
  description: string;
  subscriptionItemId: string;
  priceId: string;
  productId: string;
  servicePeriod: DateSpan;
  quantity?: string;
  periodAmount: string;
  days: number;
  periodDays: number;
  amount: string;
}

/** Keyset page request (items ordered by (updatedAt, id)) and the page read. */
export type ListWindow = KeysetWindow;
export type { Slice };

export interface CustomerFilter extends ListWindow {
  legalEntity?: string;
  externalId?: string;
}
export interface ProductFilter extends Omit<ListWindow, 'legalEntities'> {
  active?: boolean;
  externalId?: string;
}
export interface PriceFilter extends Omit<ListWindow, 'legalEntities'> {
  productId?: string;
  currency?: string;
  active?: boolean;
}
export interface SubscriptionFilter extends ListWindow {
  customerId?: string;
  status?: SubscriptionStatus;
  externalId?: string;
}
export interface InvoiceFilter extends ListWindow {
  customerId?: string;
  subscriptionId?: string;
  status?: InvoiceStatus;
}
export interface CreditMemoFilter extends ListWindow {
  customerId?: string;
  invoiceId?: string;
}
export interface PaymentFilter extends ListWindow {
  invoiceId?: string;
  customerId?: string;
  status?: PaymentStatus;
}

/** How a read is made: which legal entities the caller sees, and whether to hold the record. */
export interface ReadOptions {
  legalEntities?: readonly string[];
  /**
   * Hold the record until the current unit of work ends (the sandbox locks its row); the caller
   * reads, decides and writes without another writer in between. A remote provider serializes on
   * its own side and ignores it.
   */
  lock?: boolean;
}

/** Guard on a write: the caller's If-Match version. */
export interface WriteGuard {
  expectedVersion?: number;
}

export type NewCustomer = Omit<BillingCustomer, 'id' | 'version' | 'createdAt' | 'updatedAt'>;
export type NewProduct = Omit<BillingProduct, 'id' | 'version' | 'createdAt' | 'updatedAt'>;
export type NewPrice = Omit<BillingPrice, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

/**
 * A change to a customer (Stripe: POST /v1/customers/{id}); undefined keeps a field, null removes
 * an optional one. The currency and the legal entity are fixed once set.
 */
export interface CustomerChanges {
  externalId?: string;
  name?: string;
  email?: string | null;
  billTo?: PostalAddress;
  paymentTerms?: PaymentTerms;
  taxExemptionNumber?: string | null;
  vatId?: string | null;
}
/** A change to a product (Stripe: POST /v1/products/{id}). */
export interface ProductChanges {
  externalId?: string;
  sku?: string | null;
  name?: string;
  description?: string | null;
  taxCode?: string;
  family?: string;
  oneTimeRecognition?: OneTimeRecognition;
  active?: boolean;
}
/** A change to a price (Stripe: POST /v1/prices/{id}): its terms are fixed, only these change. */
export interface PriceChanges {
  externalId?: string;
  nickname?: string | null;
  active?: boolean;
}
/** Guard on a customer write: the If-Match version and the legal entities the caller sees. */
export type CustomerWriteGuard = WriteGuard & Pick<ReadOptions, 'legalEntities'>;
export interface NewSubscription {
  externalId?: string;
  customerId: string;
  legalEntity: string;
  currency: string;
  billingInterval: BillingInterval;
  billingAnchorDate: string;
  startDate: string;
  endDate?: string;
  items: Omit<BillingSubscriptionItem, 'id'>[];
}

/** A change to a subscription (Stripe: POST /v1/subscriptions/{id}, proration_behavior=none). */
export interface SubscriptionChanges {
  /** The whole item list after the change (new items have no id yet). */
  items?: (Omit<BillingSubscriptionItem, 'id'> & { id?: string })[];
  status?: SubscriptionStatus;
  endDate?: string | null;
  cancelAtPeriodEnd?: boolean;
  canceledAt?: Date;
  billedThrough?: string;
}

export interface BillingProvider {
  readonly name: string;

  createCustomer(input: NewCustomer): Promise<BillingCustomer>;
  getCustomer(id: string, options?: ReadOptions): Promise<BillingCustomer | undefined>;
  /** The customers of these ids that exist (Stripe: a list filtered by id, or one read each). */
  getCustomers(ids: readonly string[]): Promise<BillingCustomer[]>;
  listCustomers(filter: CustomerFilter): Promise<Slice<BillingCustomer>>;
  /** A customer outside the guard's legal entities is not found. */
  updateCustomer(
    id: string,
    changes: CustomerChanges,
    guard: CustomerWriteGuard,
  ): Promise<BillingCustomer>;

  createProduct(input: NewProduct): Promise<BillingProduct>;
  getProduct(id: string): Promise<BillingProduct | undefined>;
  getProducts(ids: readonly string[]): Promise<BillingProduct[]>;
  listProducts(filter: ProductFilter): Promise<Slice<BillingProduct>>;
  updateProduct(id: string, changes: ProductChanges, guard: WriteGuard): Promise<BillingProduct>;

  createPrice(input: NewPrice): Promise<BillingPrice>;
  getPrice(id: string): Promise<BillingPrice | undefined>;
  getPrices(ids: readonly string[]): Promise<BillingPrice[]>;
  listPrices(filter: PriceFilter): Promise<Slice<BillingPrice>>;
  updatePrice(id: string, changes: PriceChanges, guard: WriteGuard): Promise<BillingPrice>;

  createSubscription(input: NewSubscription): Promise<BillingSubscription>;
  getSubscription(id: string, options?: ReadOptions): Promise<BillingSubscription | undefined>;
  listSubscriptions(filter: SubscriptionFilter): Promise<Slice<BillingSubscription>>;
  updateSubscription(
    id: string,
    changes: SubscriptionChanges,
    guard: WriteGuard,
  ): Promise<BillingSubscription>;
  recordAmendment(amendment: AmendmentRecord): Promise<void>;
  listAmendments(subscriptionId: string): Promise<AmendmentRecord[]>;

  /** Lines that wait for the next invoice (Stripe: POST /v1/invoiceitems). */
  addPendingLines(lines: NewInvoiceLine[]): Promise<BillingInvoiceLine[]>;
  pendingLines(subscriptionId: string): Promise<BillingInvoiceLine[]>;
  /** Usage lines of a subscription item for one service period, oldest first. */
  usageLines(subscriptionItemId: string, period: DateSpan): Promise<BillingInvoiceLine[]>;
  findUsageLine(subscriptionId: string, sourceRef: string): Promise<BillingInvoiceLine | undefined>;

  createInvoice(input: NewInvoice): Promise<BillingInvoice>;
  getInvoice(id: string, options?: ReadOptions): Promise<BillingInvoice | undefined>;
  listInvoices(filter: InvoiceFilter): Promise<Slice<BillingInvoice>>;
  /** draft → finalized, numbered gap-free per legal entity and year (POST /v1/invoices/{id}/finalize). */
  finalizeInvoice(
    id: string,
    finalization: InvoiceFinalization,
    guard: WriteGuard,
  ): Promise<BillingInvoice>;
  /** Records on a draft the finalization it began (the draft is otherwise unchanged). */
  beginFinalization(id: string, pending: PendingFinalization): Promise<void>;
  /**
   * The invoices of these ids that exist and that the options' legal entities show, ordered by id;
   * with `lock`, each is held as getInvoice holds one, taken in that order.
   */
  getInvoices(ids: readonly string[], options?: ReadOptions): Promise<BillingInvoice[]>;
  /** beginFinalization for several drafts at once. */
  beginFinalizations(
    drafts: readonly { id: string; pending: PendingFinalization }[],
  ): Promise<void>;
  /**
   * draft → finalized for several drafts at once, numbered gap-free per legal entity and year in
   * the order given. Stripe has no batch finalization: its adapter finalizes them one by one, a
   * few at a time under its rate budget.
   */
  finalizeInvoices(
    drafts: readonly { id: string; finalization: InvoiceFinalization }[],
  ): Promise<BillingInvoice[]>;
  voidInvoice(id: string, reason: string | undefined, guard: WriteGuard): Promise<BillingInvoice>;
  markUncollectible(id: string, guard: WriteGuard): Promise<BillingInvoice>;
  /** Open invoices of a subscription that had a payment fail and are not paid. */
  countDelinquentInvoices(subscriptionId: string): Promise<number>;

  /** Issues a credit memo, numbered gap-free per legal entity and year; applies nothing. */
  createCreditMemo(input: NewCreditMemo): Promise<BillingCreditMemo>;
  /** Records that the memo's return document is committed in the tax system under `code`. */
  markCreditMemoTaxCommitted(id: string, code: string): Promise<BillingCreditMemo>;
  /** Applies part of a credit memo to a finalized invoice: lowers what is left to pay on it. */
  applyCreditMemo(creditMemoId: string, invoiceId: string, amount: string): Promise<void>;
  getCreditMemo(id: string, options?: ReadOptions): Promise<BillingCreditMemo | undefined>;
  listCreditMemos(filter: CreditMemoFilter): Promise<Slice<BillingCreditMemo>>;
  /** Credit memos of the customer with something left to apply, oldest first. */
  unappliedCreditMemos(customerId: string, currency: string): Promise<BillingCreditMemo[]>;
  /** Of these customers, the ones with a credit memo that has something left to apply. */
  customersWithUnappliedCredit(customerIds: readonly string[]): Promise<Set<string>>;

  recordPayment(input: NewPayment): Promise<BillingPayment>;
  findPaymentByReference(reference: string): Promise<BillingPayment | undefined>;
  getPayment(id: string, options?: ReadOptions): Promise<BillingPayment | undefined>;
  listPayments(filter: PaymentFilter): Promise<Slice<BillingPayment>>;
  refundPayment(id: string, reason: string | undefined): Promise<BillingPayment>;
}
