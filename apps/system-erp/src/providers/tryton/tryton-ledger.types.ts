/**
 * The Tryton connector's operations speak Revgate's keys (legal entity code = company party code,
 * account codes, customer and item codes, external ids), ISO dates and decimal strings. Credit
 * notes are given and returned with positive amounts: the ledger negates them for Tryton, whose
 * credit notes are out invoices with negative quantities.
 */

/** When Tryton created a record and last wrote it (its create_date / write_date, or create_date). */
export interface TrytonStamps {
  readonly createdAt: Date;
  /** The last write of the record (or of what it is made of: an item's template and category). */
  readonly updatedAt: Date;
}

export interface TrytonCompany {
  readonly id: number;
  /** The legal entity code (the company party's code). */
  readonly code: string;
  readonly name: string;
  /** Functional currency (ISO 4217). */
  readonly currency: string;
}

/** Account kinds, as the canonical GL account types name them. */
export const TRYTON_ACCOUNT_KINDS = [
  'receivable',
  'revenue',
  'deferred_revenue',
  'tax_payable',
  'cash',
  'asset',
  'liability',
  'equity',
  'expense',
  'payable',
] as const;
export type TrytonAccountKind = (typeof TRYTON_ACCOUNT_KINDS)[number];

export interface TrytonAccount extends TrytonStamps {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  /** From the account's type in the company's chart (undefined: a type the mapping does not know). */
  readonly kind?: TrytonAccountKind;
  readonly closed: boolean;
  /** Lines on it need a party (receivable, payable). */
  readonly partyRequired: boolean;
}

export interface TrytonPeriod extends TrytonStamps {
  readonly id: number;
  /** YYYY-MM */
  readonly period: string;
  /** First day, YYYY-MM-DD */
  readonly start: string;
  /** Last day (inclusive, as Tryton has it), YYYY-MM-DD */
  readonly end: string;
  /** Tryton's state; `locked` is closed for good. */
  readonly state: 'open' | 'close' | 'locked';
  readonly fiscalYear: number;
}

export interface TrytonAddress {
  readonly street?: string;
  readonly city?: string;
  readonly postalCode?: string;
  /** ISO 3166-1 alpha-2 */
  readonly country?: string;
}

export interface TrytonIdentifier {
  /** A Tryton identifier type (eu_vat, us_ein, …: validated by Tryton) or null for a free one. */
  readonly type: string | null;
  readonly code: string;
}

export interface TrytonPartyInput {
  /** The unique key: party.party.code. */
  readonly code: string;
  readonly name: string;
  readonly address?: TrytonAddress;
  readonly identifiers?: readonly TrytonIdentifier[];
  readonly email?: string;
  /** Days from invoice date to due date: the customer payment term "Net N" ("Due on receipt" for 0). */
  readonly paymentTermDays?: number;
  /**
   * The customer's currency (ISO 4217), kept as a party category "<code>" under "Revgate currency"
   * (a party has no currency field): null removes it, undefined leaves it as it is.
   */
  readonly currency?: string | null;
}

export interface TrytonParty extends TrytonStamps {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly address?: TrytonAddress & { readonly id: number };
  readonly identifiers: readonly TrytonIdentifier[];
  readonly email?: string;
  /** In the company asked for. */
  readonly paymentTermDays?: number;
  readonly currency?: string;
}

export interface TrytonProductInput {
  /** The unique key: product.product.suffix_code (the template has no code prefix). */
  readonly code: string;
  readonly name: string;
  /** Per company: the revenue account (of the product's own account category). */
  readonly revenueAccount: string;
  /** Per company (a tag category "<company> <account>" under "Revgate deferred revenue account"). */
  readonly deferredRevenueAccount?: string;
  /** Per company (a tag category "<company> <code>" under "Revgate tax code"). */
  readonly taxCode?: string;
}

export interface TrytonProduct extends TrytonStamps {
  readonly id: number;
  readonly templateId: number;
  readonly code: string;
  readonly name: string;
  readonly revenueAccount: string;
  readonly deferredRevenueAccount?: string;
  readonly taxCode?: string;
}

export type TrytonInvoiceKind = 'invoice' | 'credit_note';

export interface TrytonInvoiceLineInput {
  /** A revenue account: Tryton takes no other on a customer invoice line. */
  readonly accountCode: string;
  /**
   * A balance-sheet account the line's revenue is deferred to: after the post, a deferral move of
   * the invoice (journal REV, origin the invoice) moves it from `accountCode` there, as Tryton's
   * account_invoice_defer module does, without its monthly releases (Revgate journals those).
   */
  readonly deferredAccountCode?: string;
  readonly productCode?: string;
  readonly description?: string;
  /** decimal string, positive */
  readonly quantity: string;
  /** decimal string, the line's net amount in the document currency, positive */
  readonly amount: string;
}

/**
 * A tax amount computed by Revgate's tax API, posted as it is: a manual invoice tax line
 * (account.invoice.tax, manual) on the tax payable account; Tryton computes nothing.
 */
export interface TrytonInvoiceTaxInput {
  readonly accountCode: string;
  readonly description: string;
  /** decimal string: the taxed amount */
  readonly base: string;
  /** decimal string */
  readonly amount: string;
}

export interface TrytonInvoiceInput {
  /** The external id: account.invoice.reference. */
  readonly reference: string;
  readonly kind: TrytonInvoiceKind;
  readonly partyCode: string;
  readonly currency: string;
  /** Invoice (and accounting) date, YYYY-MM-DD: its period must be open. */
  readonly date: string;
  /** When given, the receivable falls due then; otherwise the party's payment term decides. */
  readonly dueDate?: string;
  readonly description?: string;
  /**
   * An opaque fingerprint of the caller's whole request, kept in the invoice's comment: content that
   * Tryton does not store (service periods, tax codes) still tells a retry from other content.
   */
  readonly fingerprint?: string;
  /**
   * Opaque text the caller keeps with the invoice (in its comment, one line): what Tryton has no
   * field for, such as the caller's own line details. Not compared on a retry: give a fingerprint.
   */
  readonly details?: string;
  readonly lines: readonly TrytonInvoiceLineInput[];
  readonly taxes?: readonly TrytonInvoiceTaxInput[];
  /** Credit notes: the reference of the invoice it is applied to (its amount to pay goes down). */
  readonly appliesTo?: string;
}

export interface TrytonInvoiceLine {
  readonly id: number;
  readonly accountCode: string;
  /** Where its deferral move took the line's revenue (posted deferral moves only). */
  readonly deferredAccountCode?: string;
  readonly productCode?: string;
  readonly description?: string;
  readonly quantity: string;
  readonly unitPrice: string;
  readonly amount: string;
}

export interface TrytonInvoiceTax {
  readonly accountCode: string;
  readonly description: string;
  readonly base: string;
  readonly amount: string;
}

export interface TrytonInvoice extends TrytonStamps {
  readonly id: number;
  readonly reference: string;
  readonly kind: TrytonInvoiceKind;
  /** Tryton's number (INV-…, CRN-…): set when posted. */
  readonly number?: string;
  readonly state: 'draft' | 'validated' | 'posted' | 'paid' | 'cancelled';
  readonly partyCode: string;
  readonly currency: string;
  readonly date: string;
  /** YYYY-MM of the move */
  readonly period?: string;
  readonly description?: string;
  readonly fingerprint?: string;
  readonly appliesTo?: string;
  readonly details?: string;
  /** Positive for credit notes too. */
  readonly untaxedAmount: string;
  readonly taxAmount: string;
  readonly totalAmount: string;
  /** What is left to pay (invoice) or to apply (credit note), positive. */
  readonly amountToPay: string;
  readonly dueDate?: string;
  readonly moveId?: number;
  readonly lines: readonly TrytonInvoiceLine[];
  readonly taxes: readonly TrytonInvoiceTax[];
  /** The lines of the move the invoice posted (none while it is a draft). */
  readonly moveLines: readonly TrytonMoveLine[];
  /** Invoices: what credit notes took off it (their lines among its payment lines), positive. */
  readonly credited: string;
  /** Invoices: what payments took off it (other payment lines), positive. */
  readonly paid: string;
}

export interface TrytonMoveLineInput {
  readonly accountCode: string;
  /** decimal string; "0" or absent on a credit line */
  readonly debit?: string;
  /** decimal string; "0" or absent on a debit line */
  readonly credit?: string;
  readonly description?: string;
  /** Needed on receivable and payable accounts. */
  readonly partyCode?: string;
}

export interface TrytonJournalEntryInput {
  /** The external id: the move's description starts with it. */
  readonly externalId: string;
  readonly date: string;
  /** Must be the company's currency. */
  readonly currency: string;
  readonly memo?: string;
  readonly lines: readonly TrytonMoveLineInput[];
}

export interface TrytonMoveLine {
  readonly accountCode: string;
  readonly debit: string;
  readonly credit: string;
  readonly description?: string;
  readonly partyCode?: string;
  /** The invoice line it was made from (its origin), for an invoice's move lines. */
  readonly invoiceLine?: number;
}

export interface TrytonMove extends TrytonStamps {
  readonly id: number;
  readonly externalId: string;
  readonly memo?: string;
  /** The post number (MOV-…): set when posted. */
  readonly number?: string;
  readonly state: 'draft' | 'posted';
  readonly date: string;
  readonly period: string;
  readonly journal: string;
  readonly lines: readonly TrytonMoveLine[];
}

export interface TrytonPaymentApplicationInput {
  /** The invoice's reference (external id). */
  readonly invoiceReference: string;
  /** decimal string, positive */
  readonly amount: string;
}

export interface TrytonPaymentInput {
  readonly externalId: string;
  readonly partyCode: string;
  readonly date: string;
  /** Must be the company's currency and each invoice's. */
  readonly currency: string;
  /** decimal string: the cash received */
  readonly amount: string;
  /** The account debited (default 1000). */
  readonly cashAccount?: string;
  readonly memo?: string;
  readonly applications: readonly TrytonPaymentApplicationInput[];
}

export interface TrytonPaymentApplication {
  readonly invoiceReference: string;
  readonly amount: string;
  /** The invoice's amount left to pay after every payment and credit so far. */
  readonly invoiceAmountToPay: string;
  readonly invoiceState: TrytonInvoice['state'];
}

export interface TrytonPayment extends TrytonStamps {
  readonly moveId: number;
  readonly externalId: string;
  readonly memo?: string;
  readonly number?: string;
  readonly date: string;
  readonly period: string;
  readonly partyCode: string;
  readonly currency: string;
  readonly amount: string;
  readonly cashAccount: string;
  readonly applications: readonly TrytonPaymentApplication[];
  /** Received but not applied to an invoice (kept on the customer's receivable). */
  readonly unapplied: string;
  /** The lines of its move. */
  readonly lines: readonly TrytonMoveLine[];
}

export interface TrytonTrialBalanceRow {
  readonly accountCode: string;
  readonly name: string;
  readonly kind?: TrytonAccountKind;
  /** Debit positive: the balance before the period (within the fiscal year and what was carried in). */
  readonly opening: string;
  readonly debit: string;
  readonly credit: string;
  /** opening + debit − credit */
  readonly closing: string;
}

export interface TrytonTrialBalance {
  readonly company: string;
  readonly period: string;
  readonly currency: string;
  readonly rows: readonly TrytonTrialBalanceRow[];
  readonly totalDebit: string;
  readonly totalCredit: string;
  readonly totalOpening: string;
  readonly totalClosing: string;
}

/** A find-or-create's result: the record, and whether this call made it. */
export interface TrytonPosted<T> {
  readonly record: T;
  readonly created: boolean;
}
