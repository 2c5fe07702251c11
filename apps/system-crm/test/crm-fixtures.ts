import type { AccountResponse } from '../src/accounts/dto/account.dto';
import type { OpportunityResponse } from '../src/opportunities/dto/opportunity.dto';
import type { ProductResponse } from '../src/products/dto/product.dto';
import {
  countRows,
  expectStatus,
  type Harness,
  type HttpFn,
  unique,
  walkPages,
} from '../../../test/support/api-fixtures';

export * from '../../../test/support/api-fixtures';

/**
 * Shared set-up for the CRM e2e specs: base URL, quick creators and "nothing was written" checks.
 * The specs hand in the harness (test/support/test-app), which only test files may import.
 */

export const CRM_TABLES = [
  'accounts',
  'products',
  'opportunities',
  'opportunity_lines',
  'opportunity_stage_changes',
  'outbox_events',
  'idempotency_keys',
  'webhook_subscriptions',
  'webhook_deliveries',
  'webhook_audit_log',
] as const;
export type CrmTable = (typeof CRM_TABLES)[number];
export type RowCounts = Record<CrmTable, number>;

export class Crm {
  constructor(
    private readonly t: Harness,
    private readonly http: HttpFn,
  ) {}

  url(path: string): string {
    return `${this.t.url}/crm/v1/${path}`;
  }

  counts(): Promise<RowCounts> {
    return countRows(this.t, 'crm', CRM_TABLES);
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
  walk<T>(
    token: string,
    path: string,
    query: Record<string, string>,
  ): Promise<{ items: T[]; pages: number }> {
    return walkPages<T>(this.http, token, this.url(path), query);
  }
}
