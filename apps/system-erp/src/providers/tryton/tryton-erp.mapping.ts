import {
  type DateRange,
  DIMENSION_CODE,
  type GlAccountType,
  isEuCountry,
  MoneyDecimal,
  PAYMENT_TERM_DAYS,
  type PaymentTerms,
  roundMoney,
} from '@revgate/canonical';
import type { ArLineInput, LedgerLine, TaxRegistration } from '../erp-provider.port';
import { keyOf } from './tryton-ids';
import type {
  TrytonAccountKind,
  TrytonIdentifier,
  TrytonInvoiceTaxInput,
  TrytonMoveLine,
} from './tryton-ledger.types';

/**
 * Pure translations between the ERP port's canonical records and what the Tryton ledger keeps:
 * account types, payment terms, tax identifiers, the line details Tryton has no field for, the
 * analytic dimensions of journal lines, and the ledger lines of a move.
 */

// --- account types ---------------------------------------------------------------------------

/** The kind a canonical account type is in Tryton (the same names; Tryton's payable reads as liability). */
export const kindOf = (type: GlAccountType): TrytonAccountKind => type;

export function typeOf(kind: TrytonAccountKind | undefined): GlAccountType | undefined {
  if (kind === undefined) return undefined;
  return kind === 'payable' ? 'liability' : kind;
}

// --- payment terms ---------------------------------------------------------------------------

export const termDays = (terms: PaymentTerms): number => PAYMENT_TERM_DAYS[terms];

/**
 * The payment terms of a Tryton customer payment term ("Net N", "Due on receipt"): those of its
 * days, or the nearest of the six the API knows for a term made in Tryton (Net 10 → net_15).
 * No term at all: Tryton's invoices are then due on receipt.
 */
export function termsOf(days: number | undefined): PaymentTerms {
  const terms = Object.entries(PAYMENT_TERM_DAYS) as [PaymentTerms, number][];
  if (days === undefined) return 'due_on_receipt';
  return terms.reduce((best, t) =>
    Math.abs(t[1] - days) < Math.abs(best[1] - days) ? t : best,
  )[0];
}

// --- tax registrations -----------------------------------------------------------------------

/**
 * A tax registration as a Tryton party identifier: an EU VAT number is an `eu_vat` and an EIN a
 * `us_ein` (Tryton checks their check digits), any other is an identifier without a type whose code
 * says scheme, country and number ("GST AU 51824753556").
 */
export function identifierOf(registration: TaxRegistration): TrytonIdentifier {
  const { scheme, country, number } = registration;
  if (scheme === 'VAT' && isEuCountry(country)) return { type: 'eu_vat', code: number };
  if (scheme === 'EIN' && country === 'US') return { type: 'us_ein', code: number };
  return { type: null, code: `${scheme} ${country} ${number}` };
}

const FREE_IDENTIFIER = /^([A-Z]{2,10}) ([A-Z]{2}) (\S.*)$/;

export function registrationOf(identifier: TrytonIdentifier): TaxRegistration | undefined {
  const { type, code } = identifier;
  if (type === 'eu_vat') {
    const prefix = code.slice(0, 2).toUpperCase();
    return { scheme: 'VAT', number: code, country: prefix === 'EL' ? 'GR' : prefix };
  }
  if (type === 'us_ein') return { scheme: 'EIN', number: code, country: 'US' };
  if (type !== null) return undefined;
  const match = FREE_IDENTIFIER.exec(code);
  return match ? { scheme: match[1], country: match[2], number: match[3] } : undefined;
}

// --- invoice details Tryton has no field for -------------------------------------------------

/** Per line, what the API takes and Tryton keeps nowhere (an invoice line has quantity × unit price). */
export interface LineDetails {
  quantity: string;
  taxAmount: string;
  taxCode?: string;
  servicePeriod?: DateRange;
}

export interface InvoiceDetails {
  reference?: string;
  lines: LineDetails[];
}

export function writeDetails(input: { reference?: string; lines: readonly ArLineInput[] }): string {
  const details: InvoiceDetails = {
    ...(input.reference === undefined ? {} : { reference: input.reference }),
    lines: input.lines.map((l) => ({
      quantity: new MoneyDecimal(l.quantity).toFixed(),
      taxAmount: new MoneyDecimal(l.taxAmount).toFixed(),
      ...(l.taxCode === undefined ? {} : { taxCode: l.taxCode }),
      ...(l.servicePeriod === undefined
        ? {}
        : { servicePeriod: { start: l.servicePeriod.start, end: l.servicePeriod.end } }),
    })),
  };
  return JSON.stringify(details);
}

const isText = (v: unknown): v is string => typeof v === 'string';

/** The details written by writeDetails, or none when the text is not theirs. */
export function readDetails(text: string | undefined): InvoiceDetails | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const { reference, lines } = parsed as { reference?: unknown; lines?: unknown };
  if (!Array.isArray(lines)) return undefined;
  const read: LineDetails[] = [];
  for (const line of lines as unknown[]) {
    if (line === null || typeof line !== 'object') return undefined;
    const l = line as Record<string, unknown>;
    if (!isText(l.quantity) || !isText(l.taxAmount)) return undefined;
    const period = l.servicePeriod as Record<string, unknown> | undefined;
    read.push({
      quantity: l.quantity,
      taxAmount: l.taxAmount,
      ...(isText(l.taxCode) ? { taxCode: l.taxCode } : {}),
      ...(period && isText(period.start) && isText(period.end)
        ? { servicePeriod: { start: period.start, end: period.end } }
        : {}),
    });
  }
  return { ...(isText(reference) ? { reference } : {}), lines: read };
}

/**
 * The invoice's tax lines: one manual Tryton tax line per product tax code (the lines without one
 * together), on the tax payable account, with the taxed amount as its base — the tax Revgate's tax
 * API computed, as it is.
 */
export function taxLinesOf(
  lines: readonly ArLineInput[],
  taxAccount: string,
): TrytonInvoiceTaxInput[] {
  const groups = new Map<
    string,
    { base: InstanceType<typeof MoneyDecimal>; amount: InstanceType<typeof MoneyDecimal> }
  >();
  for (const line of lines) {
    const tax = new MoneyDecimal(line.taxAmount);
    if (tax.isZero()) continue;
    const key = line.taxCode ?? '';
    const group = groups.get(key) ?? { base: new MoneyDecimal(0), amount: new MoneyDecimal(0) };
    groups.set(key, { base: group.base.plus(line.amount), amount: group.amount.plus(tax) });
  }
  return [...groups].map(([code, g]) => ({
    accountCode: taxAccount,
    description: code ? `Tax ${code}` : 'Tax',
    base: g.base.toFixed(),
    amount: g.amount.toFixed(),
  }));
}

// --- journal line dimensions -----------------------------------------------------------------

const DIMENSION_KEYS = ['productFamily', 'product', 'customer', 'department', 'location'] as const;
const DIMENSIONS = /^(?:([\s\S]*) )?\[revgate: ([^\]]+)\]$/;

/**
 * A journal line's memo and analytic dimensions as one Tryton move line description (Tryton keeps
 * dimensions in analytic accounts, a module the connector does not use): the memo, then
 * "[revgate: customer=ACME; product=PLATFORM]".
 */
export function lineDescription(
  memo: string | undefined,
  dimensions: Record<string, string> | undefined,
): string | undefined {
  const pairs = Object.entries(dimensions ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  if (pairs.length === 0) return memo;
  const tag = `[revgate: ${pairs.join('; ')}]`;
  return memo === undefined ? tag : `${memo} ${tag}`;
}

export function readLineDescription(description: string | undefined): {
  memo?: string;
  dimensions?: Record<string, string>;
} {
  if (description === undefined) return {};
  const match = DIMENSIONS.exec(description);
  if (!match) return { memo: description };
  const dimensions: Record<string, string> = {};
  for (const pair of match[2].split('; ')) {
    const [key = '', value = ''] = pair.split('=');
    if (!(DIMENSION_KEYS as readonly string[]).includes(key) || !DIMENSION_CODE.test(value))
      return { memo: description };
    dimensions[key] = value;
  }
  const memo = match.at(1);
  return { ...(memo === undefined ? {} : { memo }), dimensions };
}

// --- ledger lines ----------------------------------------------------------------------------

/** A move line as the API shows it: zero sides as "0", the customer by its key in the entity. */
export function ledgerLineOf(
  line: TrytonMoveLine,
  legalEntity: string,
  currency: string,
  withDimensions = false,
): LedgerLine {
  const money = (v: string): string =>
    new MoneyDecimal(v).isZero() ? '0' : roundMoney(v, currency);
  const customer = keyOf(legalEntity, line.partyCode);
  const described = withDimensions
    ? readLineDescription(line.description)
    : line.description === undefined
      ? {}
      : { memo: line.description };
  return {
    accountCode: line.accountCode,
    debit: money(line.debit),
    credit: money(line.credit),
    ...(described.memo === undefined ? {} : { memo: described.memo }),
    ...(customer === undefined ? {} : { customerExternalId: customer }),
    ...(described.dimensions === undefined ? {} : { dimensions: described.dimensions }),
  };
}
