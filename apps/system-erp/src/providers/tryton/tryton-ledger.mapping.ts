import { MoneyDecimal, roundMoney } from '@revgate/canonical';
import Decimal from 'decimal.js';
import { TrytonErpError } from './tryton-erp-errors';
import { TrytonDate, TrytonDateTime } from './tryton-rpc.codec';
import { TrytonRow } from './tryton-rpc.client';
import {
  TrytonAccount,
  TrytonAccountKind,
  TrytonCompany,
  TrytonIdentifier,
  TrytonInvoice,
  TrytonInvoiceInput,
  TrytonInvoiceKind,
  TrytonJournalEntryInput,
  TrytonMove,
  TrytonPayment,
  TrytonPaymentInput,
  TrytonParty,
  TrytonPeriod,
  TrytonStamps,
} from './tryton-ledger.types';

/**
 * Pure pieces of the Tryton ledger: reading Tryton's rows (dotted reads), the texts the connector
 * keeps in Tryton's free fields, how a line's amount becomes quantity × unit price, and the
 * comparisons that tell a retry from other content under the same external id.
 */

/** Tryton keeps unit prices with 4 decimals (product price_decimal). */
const UNIT_PRICE_PLACES = 4;

export const D = (value: Decimal.Value): Decimal => new MoneyDecimal(value);

/** A value Tryton must have given (a record just written, a key just checked). */
export const first = (rows: readonly TrytonRow[]): TrytonRow | undefined => rows.at(0);

export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new TrytonErpError('ERP_PROVIDER_ERROR', `${what} is missing in Tryton`);
  return value;
}
export const ZERO = D(0);

// --- reading rows --------------------------------------------------------------------------------

export const str = (
  row: TrytonRow | Readonly<Record<string, unknown>>,
  field: string,
): string | undefined => {
  const value = row[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
};
export const num = (row: Readonly<Record<string, unknown>>, field: string): number | undefined => {
  const value = row[field];
  return typeof value === 'number' ? value : undefined;
};
export const dec = (row: Readonly<Record<string, unknown>>, field: string): Decimal => {
  const value = row[field];
  if (Decimal.isDecimal(value)) return value;
  if (typeof value === 'number') return D(value);
  return ZERO;
};
export const dateOf = (
  row: Readonly<Record<string, unknown>>,
  field: string,
): string | undefined => {
  const value = row[field];
  return value instanceof TrytonDate ? value.iso : undefined;
};
export const timeOf = (row: Readonly<Record<string, unknown>>, field: string): Date | undefined => {
  const value = row[field];
  return value instanceof TrytonDateTime ? value.toDate() : undefined;
};
/** The fields every record's stamps are read from. */
export const STAMP_FIELDS = ['create_date', 'write_date'] as const;
/**
 * When a record was created, and last written: its own write_date, or that of what it is made of
 * (`parts`: sub-records read with it) when later; a record never written was last written when made.
 */
export function stampsOf(
  row: Readonly<Record<string, unknown>>,
  ...parts: (Readonly<Record<string, unknown>> | undefined)[]
): TrytonStamps {
  const createdAt = timeOf(row, 'create_date') ?? new Date(0);
  let updatedAt = timeOf(row, 'write_date') ?? createdAt;
  for (const part of parts) {
    if (!part) continue;
    const at = timeOf(part, 'write_date') ?? timeOf(part, 'create_date');
    if (at && at > updatedAt) updatedAt = at;
  }
  return { createdAt, updatedAt };
}
/** The `field.` sub-record of a dotted read. */
export const sub = (
  row: Readonly<Record<string, unknown>>,
  field: string,
): Readonly<Record<string, unknown>> | undefined => {
  const value = row[`${field}.`];
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Readonly<Record<string, unknown>>)
    : undefined;
};
/** The `field.` sub-records of a dotted read of a One2Many / Many2Many field, by id. */
export const subs = (row: Readonly<Record<string, unknown>>, field: string): TrytonRow[] => {
  const value = row[`${field}.`];
  return Array.isArray(value)
    ? (value as unknown[])
        .filter(
          (item): item is TrytonRow =>
            item !== null &&
            typeof item === 'object' &&
            typeof (item as { id?: unknown }).id === 'number',
        )
        .sort((a, b) => a.id - b.id)
    : [];
};
export const ids = (row: Readonly<Record<string, unknown>>, field: string): number[] => {
  const value = row[field];
  return Array.isArray(value) ? value.filter((id): id is number => typeof id === 'number') : [];
};
export const money = (value: Decimal, currency: string): string => roundMoney(value, currency);
export const same = (a: Decimal.Value, b: Decimal.Value): boolean => D(a).equals(D(b));

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);
/** Escapes LIKE wildcards (python-sql always sends ESCAPE '\'): "<value> …". */
export const likePrefix = (value: string): string => `${escapeLike(value)} %`;
/** A LIKE pattern for values that start with `value`. */
export const likeStart = (value: string): string => `${escapeLike(value)}%`;
/** A move's description: the external id, then the memo after one space (ids have no spaces). */
export const moveDescription = (externalId: string, memo?: string): string =>
  memo ? `${externalId} ${memo}` : externalId;
export const splitDescription = (
  description: string | undefined,
): { externalId: string; memo?: string } => {
  const text = description ?? '';
  const space = text.indexOf(' ');
  return space < 0
    ? { externalId: text }
    : { externalId: text.slice(0, space), memo: text.slice(space + 1) };
};

/** The metadata the connector keeps in an invoice's comment. */
export interface InvoiceNotes {
  kind?: TrytonInvoiceKind;
  appliesTo?: string;
  fingerprint?: string;
  details?: string;
}
const NOTE_KEYS = {
  kind: 'Revgate kind',
  appliesTo: 'Revgate applies to',
  fingerprint: 'Revgate fingerprint',
  details: 'Revgate details',
} as const;
export function writeNotes(notes: InvoiceNotes): string {
  return (Object.keys(NOTE_KEYS) as (keyof InvoiceNotes)[])
    .filter((key) => notes[key] !== undefined)
    .map((key) => `${NOTE_KEYS[key]}: ${String(notes[key]).replace(/[\r\n]+/g, ' ')}`)
    .join('\n');
}
export function readNotes(comment: string | undefined): InvoiceNotes {
  const notes: InvoiceNotes = {};
  for (const line of (comment ?? '').split('\n')) {
    const match = /^([^:]+): (.*)$/.exec(line);
    if (!match) continue;
    const key = (Object.keys(NOTE_KEYS) as (keyof InvoiceNotes)[]).find(
      (k) => NOTE_KEYS[k] === match[1],
    );
    if (key === 'kind') notes.kind = match[2] === 'credit_note' ? 'credit_note' : 'invoice';
    else if (key) notes[key] = match[2];
  }
  return notes;
}

/**
 * How an invoice line goes to Tryton: quantity × unit price must give exactly the amount Revgate
 * computed, with Tryton's 4-decimal unit prices and whole units (the "u" unit has no decimals).
 * When the amount divides exactly, the quantity is kept; otherwise the line is one unit at the
 * amount (the quantity stays in the description Revgate writes).
 */
export function trytonLineShape(
  quantity: string,
  amount: string,
  currency: string,
): { quantity: Decimal; unitPrice: Decimal } {
  const q = D(quantity);
  const a = D(amount);
  if (q.isInteger() && q.gt(0)) {
    const unitPrice = a.dividedBy(q).toDecimalPlaces(UNIT_PRICE_PLACES, Decimal.ROUND_HALF_UP);
    const product = unitPrice.times(q);
    // Tryton rounds half-even, Revgate half-up: the shape must give the amount either way.
    if (
      D(roundMoney(product, currency, 'half_up')).equals(a) &&
      D(roundMoney(product, currency, 'half_even')).equals(a)
    ) {
      return { quantity: q, unitPrice };
    }
  }
  return { quantity: D(1), unitPrice: a };
}

export function companyOf(row: TrytonRow): TrytonCompany | undefined {
  const code = str(sub(row, 'party') ?? {}, 'code');
  const currency = str(sub(row, 'currency') ?? {}, 'code');
  if (!code || !currency) return undefined;
  return { id: row.id, code, name: str(sub(row, 'party') ?? {}, 'name') ?? code, currency };
}

export function accountOf(row: TrytonRow): TrytonAccount {
  const stamps = stampsOf(row);
  const type = sub(row, 'type') ?? {};
  const typeName = str(type, 'name');
  let kind: TrytonAccountKind | undefined;
  if (type.receivable === true || type.receivable === 1) kind = 'receivable';
  else if (type.payable === true || type.payable === 1) kind = 'payable';
  else if (typeName === 'Cash') kind = 'cash';
  else if (typeName === 'Tax') kind = 'tax_payable';
  else if (typeName === 'Deferred Revenue') kind = 'deferred_revenue';
  else if (typeName === 'Equity') kind = 'equity';
  else if (type.revenue === true || type.revenue === 1) kind = 'revenue';
  else if (type.expense === true || type.expense === 1) kind = 'expense';
  else if (typeName !== undefined)
    kind = type.assets === true || type.assets === 1 ? 'asset' : 'liability';
  return {
    ...stamps,
    id: row.id,
    code: str(row, 'code') ?? '',
    name: str(row, 'name') ?? '',
    kind,
    closed: row.closed === true || row.closed === 1,
    partyRequired: row.party_required === true || row.party_required === 1,
  };
}

export function periodOf(row: TrytonRow): TrytonPeriod {
  const start = dateOf(row, 'start_date') ?? '';
  const state = str(row, 'state');
  return {
    ...stampsOf(row),
    id: row.id,
    period: start.slice(0, 7),
    start,
    end: dateOf(row, 'end_date') ?? '',
    state: state === 'close' || state === 'locked' ? state : 'open',
    fiscalYear: num(row, 'fiscalyear') ?? 0,
  };
}

export function paymentTermDaysOf(name: string): number | undefined {
  if (name === 'Due on receipt') return 0;
  const match = /^Net (\d+)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

export function sameIdentifiers(
  a: readonly TrytonIdentifier[],
  b: readonly TrytonIdentifier[],
): boolean {
  const key = (list: readonly TrytonIdentifier[]): string =>
    list
      .map((i) => `${i.type ?? ''}\u0000${i.code}`)
      .sort()
      .join('\u0001');
  return key(a) === key(b);
}

/** What differs between a posted invoice and a request for the same reference (undefined: nothing). */
export function invoiceDifference(
  found: TrytonInvoice,
  input: TrytonInvoiceInput,
): string | undefined {
  if (found.partyCode !== input.partyCode) return 'customer';
  if (found.currency !== input.currency) return 'currency';
  if (found.date !== input.date) return 'date';
  if ((found.description ?? undefined) !== (input.description || undefined)) return 'description';
  if (found.fingerprint !== input.fingerprint) return 'fingerprint';
  if (found.appliesTo !== input.appliesTo) return 'credited invoice';
  if (input.dueDate !== undefined && found.dueDate !== undefined && found.dueDate !== input.dueDate)
    return 'due date';
  if (found.lines.length !== input.lines.length) return 'number of lines';
  for (const [i, line] of input.lines.entries()) {
    const posted = found.lines.at(i);
    if (!posted) return 'number of lines';
    const shape = trytonLineShape(line.quantity, line.amount, input.currency);
    if (
      posted.accountCode !== line.accountCode ||
      posted.productCode !== line.productCode ||
      (posted.description ?? undefined) !== (line.description || undefined) ||
      !same(posted.amount, line.amount) ||
      !same(posted.quantity, shape.quantity) ||
      !same(posted.unitPrice, shape.unitPrice)
    ) {
      return `line ${String(i + 1)}`;
    }
  }
  const taxKey = (t: {
    accountCode: string;
    description: string;
    base: string;
    amount: string;
  }): string =>
    `${t.accountCode}\u0000${t.description}\u0000${D(t.base).toFixed()}\u0000${D(t.amount).toFixed()}`;
  const postedTaxes = found.taxes.map(taxKey).sort().join('\u0001');
  const askedTaxes = (input.taxes ?? []).map(taxKey).sort().join('\u0001');
  if (postedTaxes !== askedTaxes) return 'taxes';
  return undefined;
}

export function moveDifference(
  found: TrytonMove,
  input: TrytonJournalEntryInput,
  currency: string,
  partyRequired: ReadonlySet<string>,
): string | undefined {
  if (found.date !== input.date) return 'date';
  if (input.currency !== currency) return 'currency';
  if ((found.memo ?? undefined) !== (input.memo || undefined)) return 'memo';
  const key = (line: {
    accountCode: string;
    debit?: string;
    credit?: string;
    description?: string;
    partyCode?: string;
  }): string =>
    [
      line.accountCode,
      D(line.debit ?? 0).toFixed(),
      D(line.credit ?? 0).toFixed(),
      line.description ?? '',
      line.partyCode ?? '',
    ].join('\u0000');
  const posted = found.lines.map(key).sort().join('\u0001');
  // Tryton keeps a party only on accounts that need one: compare what it could keep.
  const asked = input.lines
    .map((line) =>
      key({ ...line, partyCode: partyRequired.has(line.accountCode) ? line.partyCode : undefined }),
    )
    .sort()
    .join('\u0001');
  return posted === asked ? undefined : 'lines';
}

export function paymentDifference(
  found: TrytonPayment,
  input: TrytonPaymentInput,
  cashAccount: string,
): string | undefined {
  if (found.date !== input.date) return 'date';
  if (found.partyCode !== input.partyCode) return 'customer';
  if (found.currency !== input.currency) return 'currency';
  if (!same(found.amount, input.amount)) return 'amount';
  if (found.cashAccount !== cashAccount) return 'cash account';
  if ((found.memo ?? undefined) !== (input.memo || undefined)) return 'memo';
  const key = (a: { invoiceReference: string; amount: string }): string =>
    `${a.invoiceReference}\u0000${D(a.amount).toFixed()}`;
  const posted = found.applications.map(key).sort().join('\u0001');
  const asked = input.applications.map(key).sort().join('\u0001');
  return posted === asked ? undefined : 'applications';
}

/** Parent of the party categories that carry a customer's currency (a party has no currency field). */
export const CURRENCY_TAG_PARENT = 'Revgate currency';

/** What a customer (party) is read with: one dotted read gives its relations too. */
export const PARTY_FIELDS = [
  'code',
  'name',
  'addresses.street',
  'addresses.city',
  'addresses.postal_code',
  'addresses.country.code',
  'identifiers.type',
  'identifiers.code',
  'contact_mechanisms.type',
  'contact_mechanisms.value',
  'customer_payment_term.name',
  'categories.name',
  'categories.parent.name',
  ...STAMP_FIELDS,
] as const;

export function partyOf(row: TrytonRow, code: string): TrytonParty {
  const address = subs(row, 'addresses').at(0);
  const term = str(sub(row, 'customer_payment_term') ?? {}, 'name');
  const currency = subs(row, 'categories').find(
    (tag) => str(sub(tag, 'parent') ?? {}, 'name') === CURRENCY_TAG_PARENT,
  );
  return {
    ...stampsOf(row),
    id: row.id,
    code: str(row, 'code') ?? code,
    name: str(row, 'name') ?? '',
    address: address && {
      id: address.id,
      street: str(address, 'street'),
      city: str(address, 'city'),
      postalCode: str(address, 'postal_code'),
      country: str(sub(address, 'country') ?? {}, 'code'),
    },
    identifiers: subs(row, 'identifiers').map((identifier) => ({
      type: str(identifier, 'type') ?? null,
      code: str(identifier, 'code') ?? '',
    })),
    email: str(subs(row, 'contact_mechanisms').find((m) => m.type === 'email') ?? {}, 'value'),
    paymentTermDays: term === undefined ? undefined : paymentTermDaysOf(term),
    currency: currency && str(currency, 'name'),
  };
}

/**
 * Records written or made at or after `since` (a superset of those whose stamps say so): on the
 * record itself and, for records made of others, on those (`parts`: dotted prefixes such as
 * 'template.').
 */
export function sinceDomain(since: Date | undefined, parts: readonly string[] = ['']): unknown[] {
  if (!since) return [];
  const at = TrytonDateTime.of(since);
  return [
    [
      'OR',
      ...parts.flatMap((part) => [
        [`${part}write_date`, '>=', at],
        [`${part}create_date`, '>=', at],
      ]),
    ],
  ];
}
