/**
 * The ERP provider port: the financial system of record as Revgate needs it, shaped by what both
 * Tryton 6.0 (JSON-RPC, verified in scripts/tryton/NOTES.md) and NetSuite SuiteTalk REST can do, so
 * that each connector only translates. Neither vendor honours an idempotency key on these records,
 * so every create is a find-or-create on Revgate's external id, done by the adapter inside the one
 * port call: a retry after a timeout finds the first record instead of making a second.
 *
 * | operation                    | Tryton 6.0 (JSON-RPC, company in every context)                                                                                           | NetSuite SuiteTalk REST                                                                                   |
 * | ---------------------------- | ----------------------------------------------------------------------------------------------------------------------------------------- | --------------------------------------------------------------------------------------------------------- |
 * | upsertLegalEntity / get/list | maps a company.company (party code = entity code; name, currency; receivable in account.configuration); never creates one (NOT_SUPPORTED) | subsidiary (currency, fiscal calendar); may answer ERP_NOT_SUPPORTED for creates                          |
 * | openPeriod / setPeriodStatus | account.period made in its account.fiscalyear (made when missing); `close` / `reopen` (state open / close; `locked` reads as closed)     | accountingPeriod via SuiteQL; close/reopen through period-close tasks, or ERP_NOT_SUPPORTED               |
 * | upsertAccount / get/list     | account.account searched by code (or name) and company; type from its account.account.type flags                                         | account (acctNumber, acctType), externalId upsert `PUT /account/eid:X`                                   |
 * | upsertCustomer / get/list    | party.party found by `code` (unique) = `<entity>:<external id>`, then create or write; tax identifier, customer_payment_term              | `PUT /customer/eid:X` (upsert), subsidiary, terms, currency, vatRegNumber                                 |
 * | upsertItem / get/list        | product.template + product.product found by `suffix_code` = `<entity>:<code>`; revenue account through its account category               | serviceSaleItem `PUT …/eid:X`, incomeAccount, deferredRevenueAccount, taxSchedule                         |
 * | postArDocument (invoice)     | account.invoice type out searched by `reference` = external id (not unique in Tryton: the adapter enforces it), else create then `post` | `GET /invoice/eid:X`, else `POST /invoice` with externalId; lines by item; AR account; SuiteQL for GL impact |
 * | postArDocument (credit_memo) | account.invoice type out with negated lines (a credit note), posted, reconciled with the invoice's receivable line                        | `POST /invoice/{id}/!transform/creditMemo` or `POST /creditMemo` with `apply` to the invoice            |
 * | postPayment                  | account.move in the cash journal (Dr cash, Cr receivable with party), reconciled with each invoice's receivable line                    | `POST /customerPayment` with externalId, `apply.items[{doc, amount}]`                                     |
 * | postJournalEntry             | account.move with lines, searched by `description` = external id (moves have no reference field in 6.0), then `post`                   | `GET /journalEntry/eid:X`, else `POST /journalEntry` with externalId and lines                            |
 * | trialBalance                 | account.move.line grouped by account for the entity's period (search_read with period / date domains)                                   | SuiteQL over TransactionAccountingLine grouped by account for the posting period                          |
 *
 * Tryton takes only revenue accounts on customer invoice lines: a line the posting rule defers is
 * invoiced to its item's revenue account, and a deferral move of the invoice (as Tryton's
 * account_invoice_defer makes) takes it to deferred revenue; the document's ledger shows both moves
 * composed.
 *
 * Idempotency by external id: posting an external id again with the same content (compare with
 * the fingerprints of fingerprint.ts, kept where the vendor lets you: a Tryton `description` or
 * `comment`, a NetSuite memo or custom field) returns the first posting with `created: false`; other content under it is
 * refused with ERP_EXTERNAL_ID_CONFLICT. Refusals are ErpError with a canonical code (period closed
 * or unknown, unknown customer / item / account, currency not allowed, unbalanced journal, amount
 * due exceeded), and nothing is posted when one is raised: a connector checks what it can before
 * it creates (Tryton reports a closed period as a missing one, so look the period up first), and
 * cancels or deletes its draft when the vendor refuses the post. Vendor text never crosses the port.
 * Throttling (NetSuite 429, Tryton 429 on logins) is ERP_RATE_LIMITED / ERP_CONCURRENCY_LIMITED with
 * Retry-After; the ERP down is ERP_UNAVAILABLE.
 *
 * Which account a line's revenue goes to is decided by posting-rules.ts (revenueAccountFor), the
 * same for every adapter: the item's revenue account, or deferred revenue when the line's service
 * period runs past its posting period.
 *
 * Ids: `id` is the ERP's own id of a record (a string: Tryton and NetSuite ids are numbers, the
 * sandbox's are UUIDs); Revgate finds records by their natural keys (codes, external ids). Lists
 * are keyset pages ordered by (updatedAt, id), as every Revgate list; the platform's cursors hold
 * a UUID, so an adapter with numeric ids answers lists with UUID-shaped ids derived from them
 * (Tryton: tryton/tryton-ids.ts, a version 8 UUID of the model and the Tryton id).
 *
 * What an ERP cannot do is refused with ERP_NOT_SUPPORTED and said where the adapter is described
 * (the Tryton connector's limits: README, "Connecting a real ERP"), never imitated.
 */
import type {
  AccountingPeriodStatus,
  DateRange,
  GlAccountType,
  PaymentTerms,
} from '@revgate/canonical';
import type { KeysetWindow, Slice } from '@revgate/platform';

export const ERP_PROVIDER = Symbol('ERP_PROVIDER');

/** The record and whether this call created it (false: found, and left or brought up to date). */
export interface Upserted<T> {
  record: T;
  created: boolean;
}

/** The posting and whether this call posted it (false: the external id was posted before with this content). */
export interface Posted<T> {
  record: T;
  created: boolean;
}

/** Guard on a write: the caller's If-Match version. */
export interface WriteGuard {
  expectedVersion?: number;
}

interface Versioned {
  id: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface TaxRegistration {
  scheme: string;
  number: string;
  country: string;
}

/** The accounts postings use when the request does not name one. */
export interface DefaultAccounts {
  receivable?: string;
  taxPayable?: string;
  cash?: string;
  deferredRevenue?: string;
}
export const DEFAULT_ACCOUNT_ROLES: Readonly<Record<keyof DefaultAccounts, GlAccountType>> = {
  receivable: 'receivable',
  taxPayable: 'tax_payable',
  cash: 'cash',
  deferredRevenue: 'deferred_revenue',
};

export interface LegalEntityInput {
  code: string;
  name: string;
  functionalCurrency: string;
  allowedCurrencies: string[];
  taxRegistration: TaxRegistration;
  country: string;
  defaultAccounts: DefaultAccounts;
}
export type ErpLegalEntity = LegalEntityInput & Versioned;

export interface ErpPeriod extends Versioned {
  legalEntity: string;
  /** YYYY-MM */
  period: string;
  start: string;
  end: string;
  status: AccountingPeriodStatus;
}

export interface AccountInput {
  legalEntity: string;
  code: string;
  name: string;
  type: GlAccountType;
}
export type ErpAccount = AccountInput & Versioned;

export interface CustomerInput {
  legalEntity: string;
  externalId: string;
  name: string;
  paymentTerms: PaymentTerms;
  currency?: string;
  country?: string;
  taxRegistration?: TaxRegistration;
}
export type ErpCustomer = CustomerInput & Versioned;

export interface ItemInput {
  legalEntity: string;
  code: string;
  name: string;
  revenueAccount: string;
  deferredRevenueAccount?: string;
  taxCode?: string;
}
export type ErpItem = ItemInput & Versioned;

export type ArDocumentKind = 'invoice' | 'credit_memo';

export interface ArLineInput {
  itemCode: string;
  description?: string;
  /** decimal string */
  quantity: string;
  /** decimal string, rounded to the currency */
  amount: string;
  /** decimal string, rounded to the currency */
  taxAmount: string;
  taxCode?: string;
  servicePeriod?: DateRange;
}

export interface ArDocumentInput {
  kind: ArDocumentKind;
  legalEntity: string;
  externalId: string;
  reference?: string;
  customerExternalId: string;
  /** YYYY-MM-DD: the posting date */
  date: string;
  dueDate?: string;
  currency: string;
  memo?: string;
  /** credit memos: the invoice credited */
  invoiceExternalId?: string;
  lines: ArLineInput[];
}

/** One line of the general ledger: an account and a debit or a credit. */
export interface LedgerLine {
  accountCode: string;
  /** decimal string; "0" on a credit line */
  debit: string;
  /** decimal string; "0" on a debit line */
  credit: string;
  memo?: string;
  customerExternalId?: string;
  dimensions?: Record<string, string>;
}

export interface ArLine extends ArLineInput {
  /** The account the line's revenue went to (credited on an invoice, debited on a credit memo). */
  accountCode: string;
  /** True when accountCode is deferred revenue (see revenueAccountFor). */
  deferred: boolean;
}

export type PaymentStatus = 'unpaid' | 'partially_paid' | 'paid';

export interface ArDocument extends ArDocumentInput, Versioned {
  lines: ArLine[];
  /** The ERP's document number. */
  number: string;
  /** YYYY-MM: the period posted to */
  period: string;
  status: 'posted';
  subtotal: string;
  taxTotal: string;
  total: string;
  /** invoices: credited by credit memos */
  amountCredited: string;
  /** invoices: paid by payments */
  amountPaid: string;
  /** invoices: total − credited − paid; credit memos: 0 (a memo is applied whole to its invoice) */
  amountDue: string;
  /** invoices */
  paymentStatus?: PaymentStatus;
  /** The entry the posting made, balanced. */
  ledger: LedgerLine[];
}

export interface PaymentApplication {
  invoiceExternalId: string;
  amount: string;
}

export interface PaymentInput {
  legalEntity: string;
  externalId: string;
  customerExternalId: string;
  date: string;
  currency: string;
  amount: string;
  cashAccount?: string;
  memo?: string;
  applications: PaymentApplication[];
}

export interface ErpPayment extends PaymentInput, Versioned {
  number: string;
  period: string;
  /** The cash account debited. */
  cashAccount: string;
  appliedAmount: string;
  unappliedAmount: string;
  ledger: LedgerLine[];
}

export interface JournalLineInput {
  accountCode: string;
  debit?: string;
  credit?: string;
  memo?: string;
  dimensions?: Record<string, string>;
}

export interface JournalEntryInput {
  legalEntity: string;
  externalId: string;
  date: string;
  period: string;
  currency: string;
  memo: string;
  lines: JournalLineInput[];
}

export interface ErpJournalEntry extends Omit<JournalEntryInput, 'lines'>, Versioned {
  number: string;
  lines: LedgerLine[];
  totalDebit: string;
  totalCredit: string;
}

export interface TrialBalanceRow {
  accountCode: string;
  name: string;
  type: GlAccountType;
  /** Balance before the period, debit positive. */
  openingBalance: string;
  debit: string;
  credit: string;
  /** opening + debit − credit */
  closingBalance: string;
}

/** The trial balance of one currency: the ledger keeps each posting in its own currency. */
export interface TrialBalanceSection {
  currency: string;
  rows: TrialBalanceRow[];
  totalDebit: string;
  totalCredit: string;
  totalOpeningBalance: string;
  totalClosingBalance: string;
}

export interface TrialBalance {
  legalEntity: string;
  period: string;
  sections: TrialBalanceSection[];
}

/** Keyset page request (items ordered by (updatedAt, id)) and the page read. */
export type ListWindow = KeysetWindow;
export type { Slice };

export interface EntityScopedFilter extends ListWindow {
  legalEntity?: string;
}
export interface PeriodFilter extends EntityScopedFilter {
  status?: AccountingPeriodStatus;
}
export interface AccountFilter extends EntityScopedFilter {
  type?: GlAccountType;
}
export interface ArDocumentFilter extends EntityScopedFilter {
  kind: ArDocumentKind;
  customerExternalId?: string;
  period?: string;
  paymentStatus?: PaymentStatus;
}
export interface DocumentFilter extends EntityScopedFilter {
  customerExternalId?: string;
  period?: string;
}

export interface ErpProvider {
  readonly name: string;

  upsertLegalEntity(input: LegalEntityInput, guard: WriteGuard): Promise<Upserted<ErpLegalEntity>>;
  getLegalEntity(code: string): Promise<ErpLegalEntity | undefined>;
  listLegalEntities(filter: ListWindow): Promise<Slice<ErpLegalEntity>>;

  /** Opens a period that does not exist yet; an existing one is returned as it is. */
  openPeriod(legalEntity: string, period: string): Promise<Upserted<ErpPeriod>>;
  getPeriod(legalEntity: string, period: string): Promise<ErpPeriod | undefined>;
  listPeriods(filter: PeriodFilter): Promise<Slice<ErpPeriod>>;
  /** Closes or reopens a period; one already in that status is returned with `changed: false`. */
  setPeriodStatus(
    legalEntity: string,
    period: string,
    status: AccountingPeriodStatus,
    guard: WriteGuard,
  ): Promise<{ record: ErpPeriod; changed: boolean }>;

  upsertAccount(input: AccountInput, guard: WriteGuard): Promise<Upserted<ErpAccount>>;
  getAccount(legalEntity: string, code: string): Promise<ErpAccount | undefined>;
  listAccounts(filter: AccountFilter): Promise<Slice<ErpAccount>>;

  upsertCustomer(input: CustomerInput, guard: WriteGuard): Promise<Upserted<ErpCustomer>>;
  getCustomer(legalEntity: string, externalId: string): Promise<ErpCustomer | undefined>;
  listCustomers(filter: EntityScopedFilter): Promise<Slice<ErpCustomer>>;

  upsertItem(input: ItemInput, guard: WriteGuard): Promise<Upserted<ErpItem>>;
  getItem(legalEntity: string, code: string): Promise<ErpItem | undefined>;
  listItems(filter: EntityScopedFilter): Promise<Slice<ErpItem>>;

  /** Posts an AR invoice or credit memo (find-or-create on kind + external id). */
  postArDocument(input: ArDocumentInput): Promise<Posted<ArDocument>>;
  getArDocument(
    legalEntity: string,
    kind: ArDocumentKind,
    externalId: string,
  ): Promise<ArDocument | undefined>;
  listArDocuments(filter: ArDocumentFilter): Promise<Slice<ArDocument>>;

  /** Posts a customer payment and applies it to invoices (find-or-create on the external id). */
  postPayment(input: PaymentInput): Promise<Posted<ErpPayment>>;
  getPayment(legalEntity: string, externalId: string): Promise<ErpPayment | undefined>;
  listPayments(filter: DocumentFilter): Promise<Slice<ErpPayment>>;

  /** Posts a balanced journal entry (find-or-create on the external id). */
  postJournalEntry(input: JournalEntryInput): Promise<Posted<ErpJournalEntry>>;
  getJournalEntry(legalEntity: string, externalId: string): Promise<ErpJournalEntry | undefined>;
  listJournalEntries(filter: DocumentFilter): Promise<Slice<ErpJournalEntry>>;

  /** Every account with postings up to the period's end: opening balance, the period's debits and credits, closing balance. */
  trialBalance(legalEntity: string, period: string): Promise<TrialBalance>;
}
