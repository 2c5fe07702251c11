import type { KeysetWindow, Slice } from '@revgate/platform';
/**
 * The tax provider port, shaped by Avalara AvaTax v2: a document goes in as a CreateTransactionModel
 * (POST /api/v2/transactions/create) — type SalesOrder to estimate without recording, SalesInvoice
 * or ReturnInvoice with commit=true to record — and is read and voided by company and code
 * (GET /companies/{companyCode}/transactions/{code}, POST …/{code}/void). Adapters translate;
 * nothing above this port sees a provider's ids, payloads or errors.
 */
export const TAX_PROVIDER = Symbol('TAX_PROVIDER');

export type DocumentType = 'SalesOrder' | 'SalesInvoice' | 'ReturnInvoice';
/** AvaTax document statuses the port uses: Committed, and Cancelled once voided. */
export type DocumentStatus = 'Committed' | 'Cancelled';
/** AvaTax VoidTransactionModel.code. */
export type VoidReasonCode = 'DocVoided' | 'DocDeleted' | 'AdjustmentCancelled' | 'Unspecified';
export type Taxability = 'taxable' | 'non_taxable' | 'exempt' | 'reverse_charge';

/** AvaTax AddressLocationInfo. */
export interface AddressInfo {
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
}

/** AvaTax LineItemModel. Decimals are strings. */
export interface LineItemModel {
  number: string;
  /** decimal string */
  quantity: string;
  /** decimal string: the line's total in the document's currency (gross when taxIncluded) */
  amount: string;
  taxCode: string;
  itemCode?: string;
  description?: string;
  taxIncluded: boolean;
}

/** AvaTax CreateTransactionModel (the fields Revgate uses). */
export interface CreateTransactionModel {
  type: DocumentType;
  code?: string;
  companyCode: string;
  /** ISO date (YYYY-MM-DD): the tax date */
  date: string;
  customerCode: string;
  commit: boolean;
  currencyCode: string;
  exemptionNo?: string;
  /** The buyer's VAT identification number */
  businessIdentificationNo?: string;
  addresses: { shipFrom: AddressInfo; shipTo: AddressInfo };
  lines: LineItemModel[];
}

/** An estimate: AvaTax records nothing for a SalesOrder. */
export type EstimateModel = CreateTransactionModel & { type: 'SalesOrder'; commit: false };
/** A document recorded and committed under its code. */
export type CommitModel = CreateTransactionModel & {
  type: 'SalesInvoice' | 'ReturnInvoice';
  code: string;
  commit: true;
};

export interface Jurisdiction {
  country: string;
  region?: string;
  name: string;
  taxName: string;
}

/** A taxed line. Amounts are decimal strings rounded to the currency. */
export interface TaxedLine {
  number: string;
  itemCode?: string;
  taxCode: string;
  description?: string;
  quantity: string;
  /** as sent */
  amount: string;
  taxIncluded: boolean;
  taxability: Taxability;
  /** decimal fraction applied; "0" when no tax applies */
  rate: string;
  jurisdiction: Jurisdiction;
  netAmount: string;
  taxableAmount: string;
  exemptAmount: string;
  tax: string;
}

/** A document with its tax computed. */
export interface TaxedDocument {
  type: DocumentType;
  companyCode: string;
  date: string;
  customerCode: string;
  currencyCode: string;
  exemptionNo?: string;
  businessIdentificationNo?: string;
  addresses: { shipFrom: AddressInfo; shipTo: AddressInfo };
  reverseCharge: boolean;
  lines: TaxedLine[];
  totalAmount: string;
  totalTaxable: string;
  totalExempt: string;
  totalTax: string;
  /** Legal mentions for the invoice */
  messages: string[];
}

/** A recorded document (AvaTax TransactionModel). */
export interface RecordedTransaction extends TaxedDocument {
  id: string;
  code: string;
  status: DocumentStatus;
  committedAt: Date;
  voidedAt?: Date;
  voidReason?: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface VoidTransactionModel {
  code: VoidReasonCode;
  /** Free text kept with the voided document */
  reason?: string;
}

/** Keyset page request (items ordered by (updatedAt, id)) and the page read. */
export type ListWindow = KeysetWindow;
export type { Slice };

export interface TransactionFilter extends ListWindow {
  companyCode?: string;
  status?: DocumentStatus;
  customerCode?: string;
  /** Tax dates from and to, inclusive (YYYY-MM-DD) */
  dateFrom?: string;
  dateTo?: string;
}

/** Guard on a write: the caller's If-Match version. */
export interface WriteGuard {
  expectedVersion?: number;
}

export interface TaxProvider {
  readonly name: string;

  /** Computes the tax of a SalesOrder. Nothing is recorded. */
  estimate(model: EstimateModel): Promise<TaxedDocument>;

  /**
   * Records and commits a document under its code. The same code with the same content again
   * returns the recorded transaction (`created: false`); with other content, or once voided, it is
   * refused.
   */
  commit(model: CommitModel): Promise<{ transaction: RecordedTransaction; created: boolean }>;

  getTransaction(companyCode: string, code: string): Promise<RecordedTransaction | undefined>;

  listTransactions(filter: TransactionFilter): Promise<Slice<RecordedTransaction>>;

  /** Voids a committed document; voiding a voided one changes nothing (`changed: false`). */
  voidTransaction(
    companyCode: string,
    code: string,
    model: VoidTransactionModel,
    guard: WriteGuard,
  ): Promise<{ transaction: RecordedTransaction; changed: boolean }>;
}
