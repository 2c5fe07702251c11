import type { ApiError, KeysetWindow, Slice } from '@revgate/platform';
/**
 * The tax provider port, shaped by Avalara AvaTax v2: a document goes in as a CreateTransactionModel
 * (POST /api/v2/transactions/create) — type SalesOrder (or ReturnOrder) to estimate without
 * recording, SalesInvoice or ReturnInvoice with commit=true to record — and is read and voided by
 * company and code (GET /companies/{companyCode}/transactions/{code}, POST …/{code}/void). Adapters
 * translate; nothing above this port sees a provider's ids, payloads or errors.
 *
 * Returns (ReturnOrder, ReturnInvoice) carry POSITIVE amounts on this port: the amount credited, and
 * its tax as a positive number. AvaTax wants a return's line amounts (and TaxAmount overrides)
 * negative, and answers with negative amounts and tax: a real AvaTax adapter negates them on the way
 * out and back. A return names the sale it reverses in referenceCode and is taxed at the sale's tax
 * date through a document TaxOverride of type TaxDate (reason "Return"); a line may fix its tax
 * exactly with a TaxOverride of type TaxAmount.
 */
export const TAX_PROVIDER = Symbol('TAX_PROVIDER');

export type DocumentType = 'SalesOrder' | 'ReturnOrder' | 'SalesInvoice' | 'ReturnInvoice';
/** The recorded document types. */
export type RecordedDocumentType = 'SalesInvoice' | 'ReturnInvoice';
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

/**
 * AvaTax TaxOverrideModel on a document, type TaxDate: the rates of `taxDate` apply instead of those
 * of the document date (how a return is taxed as its original sale was).
 */
export interface DocumentTaxOverride {
  type: 'TaxDate';
  /** ISO date (YYYY-MM-DD) */
  taxDate: string;
  reason: string;
}

/**
 * AvaTax TaxOverrideModel on a line, type TaxAmount: the line's tax is exactly `taxAmount` (a decimal
 * string rounded to the currency; positive on a return here, negative on the AvaTax wire).
 */
export interface LineTaxOverride {
  type: 'TaxAmount';
  taxAmount: string;
  reason: string;
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
  taxOverride?: LineTaxOverride;
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
  /** A return: the code of the sale it reverses (AvaTax referenceCode) */
  referenceCode?: string;
  taxOverride?: DocumentTaxOverride;
}

/** An estimate: AvaTax records nothing for a SalesOrder or a ReturnOrder. */
export type EstimateModel = CreateTransactionModel & {
  type: 'SalesOrder' | 'ReturnOrder';
  commit: false;
};
/** A document recorded and committed under its code. */
export type CommitModel = CreateTransactionModel & {
  type: RecordedDocumentType;
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
  /** as sent (positive on a return) */
  amount: string;
  taxIncluded: boolean;
  taxability: Taxability;
  /** decimal fraction applied; "0" when no tax applies */
  rate: string;
  jurisdiction: Jurisdiction;
  netAmount: string;
  taxableAmount: string;
  exemptAmount: string;
  /** the computed tax, or exactly the line's TaxAmount override */
  tax: string;
}

/** A document with its tax computed. */
export interface TaxedDocument {
  type: DocumentType;
  companyCode: string;
  /** The document date; the rates applied are those of taxOverride.taxDate when there is one */
  date: string;
  referenceCode?: string;
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
  type: RecordedDocumentType;
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
  type?: RecordedDocumentType;
  /** Returns of this sale (AvaTax referenceCode) */
  referenceCode?: string;
  /** Tax dates from and to, inclusive (YYYY-MM-DD) */
  dateFrom?: string;
  dateTo?: string;
}

/** A sale to commit in a batch (returns are checked against their sale one at a time). */
export type SaleCommitModel = CommitModel & { type: 'SalesInvoice' };

/** One document's fate in a batch commit: recorded (now or before), or refused on its own. */
export type BatchCommitOutcome =
  { ok: true; transaction: RecordedTransaction; created: boolean } | { ok: false; error: ApiError };

/** Guard on a write: the caller's If-Match version. */
export interface WriteGuard {
  expectedVersion?: number;
}

export interface TaxProvider {
  readonly name: string;

  /** Computes the tax of a SalesOrder or a ReturnOrder. Nothing is recorded. */
  estimate(model: EstimateModel): Promise<TaxedDocument>;

  /**
   * Records and commits a document under its code. The same code with the same content again
   * returns the recorded transaction (`created: false`); with other content, or once voided, it is
   * refused.
   */
  commit(model: CommitModel): Promise<{ transaction: RecordedTransaction; created: boolean }>;

  /**
   * Commits several sales, each exactly as `commit` would, answering each one's fate in order: a
   * document refused (unknown tax code, other content under its code, voided) leaves the others
   * committed. AvaTax has no synchronous batch: its adapter sends CreateTransaction per document,
   * a few at a time under its rate budget (or files a transaction batch and polls it).
   */
  commitMany(models: readonly SaleCommitModel[]): Promise<BatchCommitOutcome[]>;

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
