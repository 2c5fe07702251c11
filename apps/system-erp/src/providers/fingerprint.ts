import { createHash } from 'node:crypto';
import { MoneyDecimal } from '@revgate/canonical';
import type { ArDocumentInput, JournalEntryInput, PaymentInput } from './erp-provider.port';

const decimal = (value: string | undefined): string | null =>
  value === undefined ? null : new MoneyDecimal(value).toFixed();
const hash = (content: unknown[]): string =>
  createHash('sha256').update(JSON.stringify(content)).digest('hex');

/**
 * The fingerprint of what a posting says, to tell a retry from other content under the same
 * external id. Decimals compare by value ("10" = "10.00"); an absent tax amount is zero. Every
 * adapter uses it: the sandbox keeps it in a column, a connector where the vendor lets it (a
 * Tryton description, a NetSuite custom field).
 */
export function arDocumentFingerprint(d: ArDocumentInput): string {
  return hash([
    'ar.v1',
    d.kind,
    d.legalEntity,
    d.externalId,
    d.reference ?? null,
    d.customerExternalId,
    d.date,
    d.dueDate ?? null,
    d.currency,
    d.memo ?? null,
    d.invoiceExternalId ?? null,
    d.lines.map((l) => [
      l.itemCode,
      l.description ?? null,
      decimal(l.quantity),
      decimal(l.amount),
      decimal(l.taxAmount),
      l.taxCode ?? null,
      l.servicePeriod ? [l.servicePeriod.start, l.servicePeriod.end] : null,
    ]),
  ]);
}

export function paymentFingerprint(p: PaymentInput): string {
  return hash([
    'payment.v1',
    p.legalEntity,
    p.externalId,
    p.customerExternalId,
    p.date,
    p.currency,
    decimal(p.amount),
    p.cashAccount ?? null,
    p.memo ?? null,
    p.applications.map((a) => [a.invoiceExternalId, decimal(a.amount)]),
  ]);
}

export function journalEntryFingerprint(j: JournalEntryInput): string {
  return hash([
    'journal.v1',
    j.legalEntity,
    j.externalId,
    j.date,
    j.period,
    j.currency,
    j.memo,
    j.lines.map((l) => [
      l.accountCode,
      decimal(l.debit ?? '0'),
      decimal(l.credit ?? '0'),
      l.memo ?? null,
      l.dimensions ? Object.entries(l.dimensions).sort(([a], [b]) => a.localeCompare(b)) : null,
    ]),
  ]);
}
