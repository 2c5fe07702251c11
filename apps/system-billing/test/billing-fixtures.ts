import type {
  BillingCustomerResponse,
  BillingPriceResponse,
  BillingProductResponse,
  InvoiceResponse,
  SubscriptionResponse,
} from '@revgate/canonical';
import {
  countRows,
  expectStatus,
  type Harness,
  type HttpFn,
  walkPages,
} from '../../../test/support/api-fixtures';

export * from '../../../test/support/api-fixtures';

/**
 * Shared set-up for the billing e2e specs: base URL, quick creators and "nothing was written"
 * checks. The specs hand in the harness (test/support/test-app), which only test files may import.
 */

export const BILLING_TABLES = [
  'customers',
  'products',
  'prices',
  'subscriptions',
  'subscription_items',
  'amendments',
  'invoices',
  'invoice_lines',
  'credit_memos',
  'credit_memo_lines',
  'credit_memo_applications',
  'payments',
  'document_sequences',
  'outbox_events',
  'idempotency_keys',
  'webhook_subscriptions',
  'webhook_deliveries',
  'webhook_audit_log',
] as const;
export type BillingTable = (typeof BILLING_TABLES)[number];
export type RowCounts = Record<BillingTable, number>;

export const SAN_FRANCISCO = {
  line1: '1 Market Street',
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94105',
  country: 'US',
};
export const AUSTIN = {
  line1: '100 Congress Avenue',
  city: 'Austin',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
};
export const NEW_YORK = {
  line1: '350 Fifth Avenue',
  city: 'New York',
  region: 'NY',
  postalCode: '10118',
  country: 'US',
};
export const PARIS = {
  line1: '1 Rue de Rivoli',
  city: 'Paris',
  postalCode: '75001',
  country: 'FR',
};
export const BERLIN = {
  line1: 'Unter den Linden 1',
  city: 'Berlin',
  postalCode: '10117',
  country: 'DE',
};

export class Billing {
  constructor(
    private readonly t: Harness,
    private readonly http: HttpFn,
  ) {}

  url(path: string): string {
    return `${this.t.url}/billing/v1/${path}`;
  }

  counts(): Promise<RowCounts> {
    return countRows(this.t, 'billing', BILLING_TABLES);
  }

  async post<T>(token: string, path: string, body: unknown, status = 201): Promise<T> {
    const res = await this.http<T>('POST', this.url(path), { token, body });
    expectStatus(res, status);
    return res.body;
  }

  async get<T>(token: string, path: string): Promise<T> {
    const res = await this.http<T>('GET', this.url(path), { token });
    expectStatus(res, 200);
    return res.body;
  }

  createCustomer(
    token: string,
    overrides: Record<string, unknown> = {},
  ): Promise<BillingCustomerResponse> {
    return this.post(token, 'customers', {
      name: 'Acme Corporation',
      billTo: SAN_FRANCISCO,
      currency: 'USD',
      legalEntity: 'US01',
      ...overrides,
    });
  }

  createProduct(
    token: string,
    overrides: Record<string, unknown> = {},
  ): Promise<BillingProductResponse> {
    return this.post(token, 'products', { name: 'Platform Pro', ...overrides });
  }

  /** A monthly per-unit price of `unitAmount` (a new product unless one is given). */
  async createPrice(
    token: string,
    overrides: Record<string, unknown> = {},
  ): Promise<BillingPriceResponse> {
    const productId =
      (overrides.productId as string | undefined) ?? (await this.createProduct(token)).id;
    return this.post(token, 'prices', {
      productId,
      currency: 'USD',
      type: 'recurring',
      interval: 'month',
      billingScheme: 'per_unit',
      unitAmount: '100',
      ...overrides,
    });
  }

  createSubscription(token: string, body: Record<string, unknown>): Promise<SubscriptionResponse> {
    return this.post(token, 'subscriptions', {
      billingInterval: 'month',
      startDate: '2026-01-01',
      ...body,
    });
  }

  createInvoice(token: string, body: Record<string, unknown>): Promise<InvoiceResponse> {
    return this.post(token, 'invoices', body);
  }

  finalize(token: string, invoiceId: string): Promise<InvoiceResponse> {
    return this.post(token, `invoices/${invoiceId}/finalize`, undefined, 200);
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

/** Today in UTC, as the API dates documents. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
