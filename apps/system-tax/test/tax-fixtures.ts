import type { TaxQuoteResponse, TaxTransactionResponse } from '@revgate/canonical';

/**
 * Shared set-up for the tax e2e specs: base URL, request bodies, quick calls and "nothing was
 * written" checks. The specs hand in the harness (test/support/test-app), which only test files
 * may import.
 */

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}
export type HttpFn = <T = Record<string, unknown>>(
  method: string,
  url: string,
  options?: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string },
) => Promise<HttpResponse<T>>;
export interface Harness {
  url: string;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export const TAX_TABLES = [
  'tax_transactions',
  'tax_transaction_lines',
  'outbox_events',
  'idempotency_keys',
] as const;
export type TaxTable = (typeof TAX_TABLES)[number];
export type RowCounts = Record<TaxTable, number>;

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface ProblemBody {
  code: string;
  detail: string;
  errors?: { pointer: string; detail: string }[];
  currentETag?: string;
}

let sequence = 0;
/** A value unique within the test run, for document and customer codes. */
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${sequence}`;
}

/** Addresses the specs sell from and to. */
export const AUSTIN = {
  line1: '100 Congress Avenue',
  city: 'Austin',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
};
export const NEW_YORK = { city: 'New York', region: 'NY', postalCode: '10001', country: 'US' };
export const SAN_FRANCISCO = {
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94105',
  country: 'US',
};
export const BERLIN = {
  line1: 'Friedrichstraße 100',
  city: 'Berlin',
  postalCode: '10117',
  country: 'DE',
};
export const PARIS = { city: 'Paris', postalCode: '75002', country: 'FR' };

export function stateAddress(region: string, postalCode = '12345'): Record<string, string> {
  return { region, postalCode, country: 'US' };
}

export const line = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  taxCode: 'SW054000',
  quantity: '10',
  amount: '12000.00',
  ...overrides,
});

/** A valid quote: SaaS sold from Austin to New York. */
export function quoteBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    legalEntity: 'US01',
    customerCode: 'ACME-001',
    date: '2026-01-15',
    currency: 'USD',
    addresses: { shipFrom: AUSTIN, shipTo: NEW_YORK },
    lines: [line()],
    ...overrides,
  };
}

export class Tax {
  constructor(
    private readonly t: Harness,
    private readonly http: HttpFn,
  ) {}

  url(path: string): string {
    return `${this.t.url}/tax/v1/${path}`;
  }

  async counts(): Promise<RowCounts> {
    const rows = await this.t.sql<{ table: TaxTable; n: number }>(
      TAX_TABLES.map(
        (table) => `select '${table}' as table, count(*)::int as n from tax.${table}`,
      ).join(' union all '),
    );
    return Object.fromEntries(rows.map((r) => [r.table, r.n])) as RowCounts;
  }

  async quote(token: string, overrides: Record<string, unknown> = {}): Promise<TaxQuoteResponse> {
    const res = await this.http<TaxQuoteResponse>('POST', this.url('quotes'), {
      token,
      body: quoteBody(overrides),
    });
    expectStatus(res, 200);
    return res.body;
  }

  async commit(
    token: string,
    overrides: Record<string, unknown> = {},
  ): Promise<TaxTransactionResponse> {
    const res = await this.http<TaxTransactionResponse>('POST', this.url('transactions'), {
      token,
      body: { code: unique('INV'), ...quoteBody(overrides) },
    });
    expectStatus(res, 201);
    return res.body;
  }

  /** Walks a list from the first page to the last, following nextCursor. */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the item type of the JSON, as http<T>() does
  async walk<T>(
    token: string,
    path: string,
    query: Record<string, string>,
  ): Promise<{ items: T[]; pages: number }> {
    const items: T[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const params = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
      const res: HttpResponse<Page<T>> = await this.http<Page<T>>(
        'GET',
        `${this.url(path)}?${params.toString()}`,
        { token },
      );
      expectStatus(res, 200);
      items.push(...res.body.data);
      cursor = res.body.nextCursor;
      pages += 1;
      if (pages > 1000) throw new Error('pagination does not end');
    } while (cursor !== null);
    return { items, pages };
  }
}

/** Asserts a status, showing the body when it differs. */
export function expectStatus(res: HttpResponse<unknown>, status: number): void {
  if (res.status !== status)
    throw new Error(`expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
}

/** The pointers of a problem's errors[]. */
export function pointers(res: HttpResponse<unknown>): string[] {
  return ((res.body as ProblemBody).errors ?? []).map((e) => e.pointer);
}

/** True when the items are in (updatedAt, id) order. */
export function inKeysetOrder(items: readonly { id: string; updatedAt: string }[]): boolean {
  return items.slice(1).every((item, i) => {
    const prev = items[i];
    return (
      prev.updatedAt < item.updatedAt || (prev.updatedAt === item.updatedAt && prev.id < item.id)
    );
  });
}

export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
