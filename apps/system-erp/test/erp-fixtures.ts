import type { CreditMemoResponse } from '../src/credit-memos/dto/credit-memo.dto';
import type { InvoiceResponse } from '../src/invoices/dto/invoice.dto';
import type { JournalEntryResponse } from '../src/journal-entries/dto/journal-entry.dto';
import type { PaymentResponse } from '../src/payments/dto/payment.dto';
import type { TrialBalanceResponse } from '../src/trial-balance/dto/trial-balance.dto';
import {
  countRows,
  expectStatus,
  type Harness,
  type HttpFn,
  type HttpResponse,
  pointers,
  unique,
} from '../../../test/support/api-fixtures';
import { expectProblem } from '../../../test/support/test-app';

export * from '../../../test/support/api-fixtures';

/**
 * Shared set-up for the ERP e2e specs and the contract suite: request bodies, quick calls and
 * "nothing was written" checks. The specs hand in the harness (test/support/test-app), which only
 * test files may import.
 */

export const ERP_TABLES = [
  'legal_entities',
  'periods',
  'accounts',
  'customers',
  'items',
  'moves',
  'move_lines',
  'ar_documents',
  'ar_document_lines',
  'payments',
  'payment_applications',
  'idempotency_keys',
  'outbox_events',
] as const;
export type ErpTable = (typeof ERP_TABLES)[number];
export type RowCounts = Record<ErpTable, number>;

/** The chart the specs give a sandbox legal entity, by role. */
export const CHART = {
  cash: { code: '1000', name: 'Cash at bank', type: 'cash' },
  receivable: { code: '1200', name: 'Accounts receivable', type: 'receivable' },
  taxPayable: { code: '2200', name: 'Tax payable', type: 'tax_payable' },
  deferredRevenue: { code: '2400', name: 'Deferred revenue', type: 'deferred_revenue' },
  revenue: { code: '4000', name: 'Subscription revenue', type: 'revenue' },
  usageRevenue: { code: '4100', name: 'Usage revenue', type: 'revenue' },
  expense: { code: '6000', name: 'Operating expenses', type: 'expense' },
} as const;

export function legalEntityBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Revgate Inc.',
    functionalCurrency: 'USD',
    allowedCurrencies: ['USD', 'EUR'],
    taxRegistration: { scheme: 'EIN', number: '94-1234567', country: 'US' },
    country: 'US',
    ...overrides,
  };
}

export interface InvoiceLineBody {
  itemCode: string;
  quantity: string;
  amount: string;
  taxAmount?: string;
  description?: string;
  taxCode?: string;
  servicePeriod?: { start: string; end: string };
}

export function invoiceBody(
  legalEntity: string,
  customerExternalId: string,
  itemCode: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    legalEntity,
    externalId: unique('INV'),
    customerExternalId,
    date: '2026-01-15',
    currency: 'USD',
    lines: [{ itemCode, quantity: '10', amount: '1000.00', taxAmount: '80.00' }],
    ...overrides,
  };
}

export function journalBody(
  legalEntity: string,
  lines: {
    accountCode: string;
    debit?: string;
    credit?: string;
    memo?: string;
    dimensions?: Record<string, string>;
  }[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    legalEntity,
    date: '2026-01-31',
    period: '2026-01',
    currency: 'USD',
    memo: 'Revenue recognition',
    externalId: unique('JE'),
    lines,
    ...overrides,
  };
}

/** Sums a trial balance section's rows by account: closing balance, debits and credits. */
export function balancesOf(
  tb: TrialBalanceResponse,
  currency: string,
): Map<string, { debit: bigint; credit: bigint; closing: bigint }> {
  const section = tb.sections.find((s) => s.currency === currency);
  return new Map(
    (section?.rows ?? []).map((r) => [
      r.accountCode,
      { debit: cents(r.debit), credit: cents(r.credit), closing: cents(r.closingBalance) },
    ]),
  );
}

/** A decimal string with up to two decimals, as integer cents (exact). */
export function cents(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
  const value = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  return negative ? -value : value;
}

export function ledgerTotals(lines: readonly { debit: string; credit: string }[]): {
  debit: bigint;
  credit: bigint;
} {
  return lines.reduce(
    (acc, l) => ({ debit: acc.debit + cents(l.debit), credit: acc.credit + cents(l.credit) }),
    { debit: 0n, credit: 0n },
  );
}

/** Calls of the ERP API that the specs and the contract suite share. */
export class Erp {
  constructor(
    readonly baseUrl: string,
    private readonly http: HttpFn,
  ) {}

  url(path: string): string {
    return `${this.baseUrl}/erp/v1/${path}`;
  }

  request<T>(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse<T>> {
    return this.http<T>(method, this.url(path), { token, body, headers });
  }

  async ok<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
    const res = await this.request<T>(method, path, token, body);
    if (res.status !== 200 && res.status !== 201) expectStatus(res, 200);
    return res.body;
  }

  postInvoice(token: string, body: unknown): Promise<HttpResponse<InvoiceResponse>> {
    return this.request<InvoiceResponse>('POST', 'invoices', token, body);
  }

  postCreditMemo(token: string, body: unknown): Promise<HttpResponse<CreditMemoResponse>> {
    return this.request<CreditMemoResponse>('POST', 'credit-memos', token, body);
  }

  postPayment(token: string, body: unknown): Promise<HttpResponse<PaymentResponse>> {
    return this.request<PaymentResponse>('POST', 'payments', token, body);
  }

  postJournal(token: string, body: unknown): Promise<HttpResponse<JournalEntryResponse>> {
    return this.request<JournalEntryResponse>('POST', 'journal-entries', token, body);
  }

  trialBalance(token: string, legalEntity: string, period: string): Promise<TrialBalanceResponse> {
    return this.ok<TrialBalanceResponse>('GET', `trial-balance/${legalEntity}/${period}`, token);
  }

  upsertCustomer(
    token: string,
    legalEntity: string,
    externalId = unique('CUST'),
    body: Record<string, unknown> = {},
  ): Promise<{ externalId: string }> {
    return this.ok('PUT', `customers/${legalEntity}/${externalId}`, token, {
      name: 'Acme Corporation',
      paymentTerms: 'net_30',
      ...body,
    });
  }

  /**
   * A sandbox legal entity ready to post: the chart (CHART), its default accounts, and open
   * periods from 2025-01 to 2027-12 (without `closed`, which is left closed).
   */
  async setUpEntity(
    token: string,
    code: string,
    options: { body?: Record<string, unknown>; closed?: string[] } = {},
  ): Promise<void> {
    await this.ok('PUT', `legal-entities/${code}`, token, legalEntityBody(options.body));
    for (const account of Object.values(CHART))
      await this.ok('PUT', `accounts/${code}/${account.code}`, token, {
        name: account.name,
        type: account.type,
      });
    await this.ok('PUT', `legal-entities/${code}`, token, {
      ...legalEntityBody(options.body),
      defaultAccounts: {
        receivable: CHART.receivable.code,
        taxPayable: CHART.taxPayable.code,
        cash: CHART.cash.code,
        deferredRevenue: CHART.deferredRevenue.code,
      },
    });
    for (const year of [2025, 2026, 2027])
      for (let month = 1; month <= 12; month++)
        await this.ok('PUT', `periods/${code}/${year}-${String(month).padStart(2, '0')}`, token);
    for (const period of options.closed ?? [])
      await this.ok('POST', `periods/${code}/${period}/close`, token);
  }

  async upsertItem(
    token: string,
    legalEntity: string,
    code = unique('ITEM'),
    body: Record<string, unknown> = {},
  ): Promise<string> {
    await this.ok('PUT', `items/${legalEntity}/${code}`, token, {
      name: 'Platform subscription',
      revenueAccount: CHART.revenue.code,
      deferredRevenueAccount: CHART.deferredRevenue.code,
      taxCode: 'SW054000',
      ...body,
    });
    return code;
  }
}

/** Row counts of the ERP schema, for "nothing was written" checks. */
export function erpCounts(t: Harness): Promise<RowCounts> {
  return countRows(t, 'erp', ERP_TABLES);
}

/**
 * Sends a request that must be refused with this problem (naming `pointer` when given), and
 * proves that it wrote nothing.
 */
export async function expectRefusedUnwritten(
  t: Harness,
  send: () => Promise<HttpResponse<unknown>>,
  status: number,
  code: string,
  pointer?: string,
): Promise<HttpResponse<unknown>> {
  const before = await erpCounts(t);
  const res = await send();
  expectProblem(res, status, code);
  if (pointer !== undefined) expect(pointers(res)).toContain(pointer);
  expect(await erpCounts(t)).toEqual(before);
  return res;
}
