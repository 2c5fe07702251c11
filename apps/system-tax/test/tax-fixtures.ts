import type { TaxQuoteResponse, TaxTransactionResponse } from '@revgate/canonical';
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
 * Shared set-up for the tax e2e specs: base URL, request bodies, quick calls and "nothing was
 * written" checks. The specs hand in the harness (test/support/test-app), which only test files
 * may import.
 */

export const TAX_TABLES = [
  'tax_transactions',
  'tax_transaction_lines',
  'outbox_events',
  'idempotency_keys',
  'webhook_subscriptions',
  'webhook_deliveries',
  'webhook_audit_log',
] as const;
export type TaxTable = (typeof TAX_TABLES)[number];
export type RowCounts = Record<TaxTable, number>;

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

  counts(): Promise<RowCounts> {
    return countRows(this.t, 'tax', TAX_TABLES);
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
  walk<T>(
    token: string,
    path: string,
    query: Record<string, string>,
  ): Promise<{ items: T[]; pages: number }> {
    return walkPages<T>(this.http, token, this.url(path), query);
  }
}
