/**
 * How billing obtains tax: a port onto the tax system API (/tax/v1), which is a separate app. Billing
 * sends the document the way the tax API models it (AvaTax's CreateTransactionModel: seller and
 * buyer addresses, lines with amount, quantity and product tax code, exemption certificate, VAT id)
 * and takes back each line's tax. A draft is quoted (nothing recorded); a finalized invoice is
 * committed under a document code; a voided invoice's transaction is voided.
 *
 * Adapters: `tax_api` (HTTP to TAX_API_URL) and `not_calculated` (no tax system configured: every
 * line's tax is 0 and the invoice says that tax was not calculated).
 */
import type { Taxability } from '@revgate/canonical';
import type { ApiError } from '@revgate/platform';
import type { PostalAddress } from './billing-provider.port';

export const TAX_PORT = Symbol('TAX_PORT');

export interface TaxableLine {
  /** Unique in the document; the result comes back under it. */
  number: string;
  /** The line's net amount: not negative, no more decimals than the currency. */
  amount: string;
  /** Positive. */
  quantity: string;
  taxCode: string;
  itemCode?: string;
  description?: string;
  /** On a return only: the tax recorded for the line, exactly (AvaTax's TaxOverride TaxAmount). */
  taxAmount?: string;
}

export interface TaxDocument {
  legalEntity: string;
  customerCode: string;
  /** The tax date: the rates in effect on it apply. */
  date: string;
  currency: string;
  shipFrom: PostalAddress;
  shipTo: PostalAddress;
  exemptionNo?: string;
  customerVatId?: string;
  lines: TaxableLine[];
  /** Makes the document a return (a credit memo) against the committed sale of this code. */
  returnOf?: string;
}

export interface LineTax {
  number: string;
  /** Rounded to the currency, on the line. */
  tax: string;
  /** Decimal fraction applied ("0" when none). */
  rate: string;
  taxability: Taxability;
  jurisdiction: { country: string; region?: string; name: string; taxName: string };
}

export interface TaxOutcome {
  /** False when no tax system is configured: the lines' tax is 0 and was not calculated. */
  calculated: boolean;
  lines: LineTax[];
  /** The exact sum of the lines' tax. */
  totalTax: string;
  /** Mentions to print on the document (reverse charge, exemption, tax not calculated). */
  notes: string[];
}

/** A document to commit under its code. */
export interface DocumentToCommit {
  code: string;
  document: TaxDocument;
}

/** One document's fate in a batch: its committed tax, or the refusal of that document alone. */
export type CommitResult = { ok: true; outcome: TaxOutcome } | { ok: false; error: ApiError };

export interface TaxPort {
  readonly mode: 'tax_api' | 'not_calculated';
  /** The tax of a document, recording nothing (the tax API's POST /quotes). */
  quote(document: TaxDocument): Promise<TaxOutcome>;
  /**
   * Records and commits the document under `code` (POST /transactions). Committing the same code
   * with the same content again answers the recorded transaction, so a retry is safe.
   */
  commit(document: TaxDocument, code: string): Promise<TaxOutcome>;
  /**
   * Commits several sales, each as `commit` would, answering each one's fate in order. A refusal
   * of one document (422 BILLING_TAX_REFUSED) is its result; a tax system that cannot be reached
   * rejects the whole call (503 BILLING_TAX_UNAVAILABLE), and a retry is safe, as with `commit`.
   */
  commitMany(documents: readonly DocumentToCommit[]): Promise<CommitResult[]>;
  /** Voids the committed transaction `code` of the legal entity; an unknown code is nothing to void. */
  void(legalEntity: string, code: string, reason?: string): Promise<void>;
}
