import type { AccountResponse } from '../src/accounts/dto/account.dto';
import type { OpportunityResponse } from '../src/opportunities/dto/opportunity.dto';
import type { ProductResponse } from '../src/products/dto/product.dto';

/**
 * Shared set-up for the CRM e2e specs: base URL, quick creators and "nothing was written" checks.
 * The specs hand in the harness (test/support/test-app), which only test files may import.
 */

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}
export type HttpFn = <T = Record<string, unknown>>(
  method: string,
  url: string,
  options?: { token?: string; body?: unknown; headers?: Record<string, string> },
) => Promise<HttpResponse<T>>;
export interface Harness {
  url: string;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export const CRM_TABLES = [
  'accounts',
  'products',
  'opportunities',
  'opportunity_lines',
  'opportunity_stage_changes',
  'outbox_events',
  'idempotency_keys',
] as const;
export type CrmTable = (typeof CRM_TABLES)[number];
export type RowCounts = Record<CrmTable, number>;

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
/** A value unique within the test run, for externalIds and skus. */
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${sequence}`;
}

export class Crm {
  constructor(
    private readonly t: Harness,
    private readonly http: HttpFn,
  ) {}

  url(path: string): string {
    return `${this.t.url}/crm/v1/${path}`;
  }

  async counts(): Promise<RowCounts> {
    const rows = await this.t.sql<{ table: CrmTable; n: number }>(
      CRM_TABLES.map(
        (table) => `select '${table}' as table, count(*)::int as n from crm.${table}`,
      ).join(' union all '),
    );
    return Object.fromEntries(rows.map((r) => [r.table, r.n])) as RowCounts;
  }

  async createAccount(
    token: string,
    overrides: Record<string, unknown> = {},
  ): Promise<AccountResponse> {
    const res = await this.http<AccountResponse>('POST', this.url('accounts'), {
      token,
      body: {
        legalName: 'Acme Corporation',
        billingAddress: {
          line1: '1 Market Street',
          city: 'San Francisco',
          region: 'CA',
          postalCode: '94105',
          country: 'US',
        },
        currency: 'USD',
        legalEntity: 'US01',
        ...overrides,
      },
    });
    expectStatus(res, 201);
    return res.body;
  }

  async createProduct(
    token: string,
    overrides: Record<string, unknown> = {},
  ): Promise<ProductResponse> {
    const res = await this.http<ProductResponse>('POST', this.url('products'), {
      token,
      body: {
        sku: unique('SKU'),
        name: 'Platform subscription',
        family: 'subscription',
        ...overrides,
      },
    });
    expectStatus(res, 201);
    return res.body;
  }

  async createOpportunity(
    token: string,
    body: Record<string, unknown>,
  ): Promise<OpportunityResponse> {
    const res = await this.http<OpportunityResponse>('POST', this.url('opportunities'), {
      token,
      body: { name: 'Deal', ...body },
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

/** The pointers of a VALIDATION_FAILED problem. */
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
