import type {
  ArCreditMemoDto,
  ArInvoiceDto,
  CustomerPaymentDto,
  JournalEntryDto,
} from '@revgate/canonical';
import type { AccountResponse } from './accounts/dto/account.dto';
import type { CreditMemoResponse } from './credit-memos/dto/credit-memo.dto';
import type { CustomerResponse } from './customers/dto/customer.dto';
import type { ArDocumentResponse, InvoiceResponse } from './invoices/dto/invoice.dto';
import type { ItemResponse } from './items/dto/item.dto';
import type { JournalEntryResponse } from './journal-entries/dto/journal-entry.dto';
import type { LegalEntityResponse } from './legal-entities/dto/legal-entity.dto';
import type { PaymentResponse } from './payments/dto/payment.dto';
import type { PeriodResponse } from './periods/dto/period.dto';
import type {
  ArDocument,
  ArDocumentInput,
  ArDocumentKind,
  ErpAccount,
  ErpCustomer,
  ErpItem,
  ErpJournalEntry,
  ErpLegalEntity,
  ErpPayment,
  ErpPeriod,
  JournalEntryInput,
  LedgerLine,
  PaymentInput,
} from './providers/erp-provider.port';

const stamps = (r: { id: string; version: number; createdAt: Date; updatedAt: Date }) => ({
  id: r.id,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** The fields of `value` that are set: DTO instances carry the others as undefined. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toLegalEntityResponse(e: ErpLegalEntity): LegalEntityResponse {
  return {
    ...stamps(e),
    code: e.code,
    name: e.name,
    functionalCurrency: e.functionalCurrency,
    allowedCurrencies: [...e.allowedCurrencies],
    taxRegistration: { ...e.taxRegistration },
    country: e.country,
    defaultAccounts: { ...e.defaultAccounts },
  };
}

export function toPeriodResponse(p: ErpPeriod): PeriodResponse {
  return {
    ...stamps(p),
    legalEntity: p.legalEntity,
    period: p.period,
    start: p.start,
    end: p.end,
    status: p.status,
  };
}

export function toAccountResponse(a: ErpAccount): AccountResponse {
  return { ...stamps(a), legalEntity: a.legalEntity, code: a.code, name: a.name, type: a.type };
}

export function toCustomerResponse(c: ErpCustomer): CustomerResponse {
  return {
    ...stamps(c),
    legalEntity: c.legalEntity,
    externalId: c.externalId,
    name: c.name,
    paymentTerms: c.paymentTerms,
    ...(c.currency === undefined ? {} : { currency: c.currency }),
    ...(c.country === undefined ? {} : { country: c.country }),
    ...(c.taxRegistration === undefined ? {} : { taxRegistration: { ...c.taxRegistration } }),
  };
}

export function toItemResponse(i: ErpItem): ItemResponse {
  return {
    ...stamps(i),
    legalEntity: i.legalEntity,
    code: i.code,
    name: i.name,
    revenueAccount: i.revenueAccount,
    ...(i.deferredRevenueAccount === undefined
      ? {}
      : { deferredRevenueAccount: i.deferredRevenueAccount }),
    ...(i.taxCode === undefined ? {} : { taxCode: i.taxCode }),
  };
}

const toLedgerResponse = (lines: readonly LedgerLine[]): LedgerLine[] =>
  lines.map((l) => ({ ...l, ...(l.dimensions ? { dimensions: { ...l.dimensions } } : {}) }));

function toArDocumentResponse(d: ArDocument): ArDocumentResponse {
  return {
    ...stamps(d),
    number: d.number,
    externalId: d.externalId,
    ...(d.reference === undefined ? {} : { reference: d.reference }),
    legalEntity: d.legalEntity,
    customerExternalId: d.customerExternalId,
    date: d.date,
    ...(d.dueDate === undefined ? {} : { dueDate: d.dueDate }),
    period: d.period,
    currency: d.currency,
    ...(d.memo === undefined ? {} : { memo: d.memo }),
    status: d.status,
    lines: d.lines.map((l) => ({
      ...l,
      ...(l.servicePeriod ? { servicePeriod: { ...l.servicePeriod } } : {}),
    })),
    subtotal: d.subtotal,
    taxTotal: d.taxTotal,
    total: d.total,
    ledger: toLedgerResponse(d.ledger),
  };
}

export function toInvoiceResponse(d: ArDocument): InvoiceResponse {
  return {
    ...toArDocumentResponse(d),
    amountCredited: d.amountCredited,
    amountPaid: d.amountPaid,
    amountDue: d.amountDue,
    paymentStatus: d.paymentStatus ?? 'unpaid',
  };
}

export function toCreditMemoResponse(d: ArDocument): CreditMemoResponse {
  return { ...toArDocumentResponse(d), invoiceExternalId: d.invoiceExternalId ?? '' };
}

export function toPaymentResponse(p: ErpPayment): PaymentResponse {
  return {
    ...stamps(p),
    number: p.number,
    externalId: p.externalId,
    legalEntity: p.legalEntity,
    customerExternalId: p.customerExternalId,
    date: p.date,
    period: p.period,
    currency: p.currency,
    amount: p.amount,
    cashAccount: p.cashAccount,
    ...(p.memo === undefined ? {} : { memo: p.memo }),
    applications: p.applications.map((a) => ({ ...a })),
    appliedAmount: p.appliedAmount,
    unappliedAmount: p.unappliedAmount,
    ledger: toLedgerResponse(p.ledger),
  };
}

export function toJournalEntryResponse(j: ErpJournalEntry): JournalEntryResponse {
  return {
    ...stamps(j),
    number: j.number,
    externalId: j.externalId,
    legalEntity: j.legalEntity,
    date: j.date,
    period: j.period,
    currency: j.currency,
    memo: j.memo,
    lines: toLedgerResponse(j.lines),
    totalDebit: j.totalDebit,
    totalCredit: j.totalCredit,
  };
}

/** A canonical invoice or credit memo as the port takes it (an absent tax amount is zero). */
export function toArDocumentInput(
  d: ArInvoiceDto | ArCreditMemoDto,
  kind: ArDocumentKind,
): ArDocumentInput {
  return defined({
    kind,
    legalEntity: d.legalEntity,
    externalId: d.externalId,
    reference: d.reference,
    customerExternalId: d.customerExternalId,
    date: d.date,
    dueDate: d.dueDate,
    currency: d.currency,
    memo: d.memo,
    invoiceExternalId: 'invoiceExternalId' in d ? d.invoiceExternalId : undefined,
    lines: d.lines.map((l) =>
      defined({
        itemCode: l.itemCode,
        description: l.description,
        quantity: l.quantity,
        amount: l.amount,
        taxAmount: l.taxAmount ?? '0',
        taxCode: l.taxCode,
        servicePeriod: l.servicePeriod && {
          start: l.servicePeriod.start,
          end: l.servicePeriod.end,
        },
      }),
    ),
  });
}

export function toPaymentInput(p: CustomerPaymentDto): PaymentInput {
  return defined({
    legalEntity: p.legalEntity,
    externalId: p.externalId,
    customerExternalId: p.customerExternalId,
    date: p.date,
    currency: p.currency,
    amount: p.amount,
    cashAccount: p.cashAccount,
    memo: p.memo,
    applications: p.applications.map((a) => ({
      invoiceExternalId: a.invoiceExternalId,
      amount: a.amount,
    })),
  });
}

export function toJournalEntryInput(
  j: Omit<JournalEntryDto, 'lines'> & Pick<JournalEntryDto, 'lines'>,
): JournalEntryInput {
  return {
    legalEntity: j.legalEntity,
    externalId: j.externalId,
    date: j.date,
    period: j.period,
    currency: j.currency,
    memo: j.memo,
    lines: j.lines.map((l) =>
      defined({
        accountCode: l.accountCode,
        debit: l.debit,
        credit: l.credit,
        memo: l.memo,
        dimensions: l.dimensions && (defined({ ...l.dimensions }) as Record<string, string>),
      }),
    ),
  };
}
