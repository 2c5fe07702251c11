import { billingApp } from '../../system-billing/src/billing.app';
import { BillingConfig } from '../../system-billing/src/billing.config';
import { erpApp } from '../../system-erp/src/erp.app';
import { ErpConfig } from '../../system-erp/src/erp.config';
import { Erp } from '../../system-erp/test/erp-fixtures';
import { expectStatus } from '../../../test/support/api-fixtures';
import {
  http,
  type JsonResponse,
  startTestApp,
  type TestApp,
} from '../../../test/support/test-app';

/** The first day of the current UTC month and of the next one, and the month as YYYY-MM. */
export function currentMonth(): { period: string; from: string; to: string } {
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return {
    period: from.toISOString().slice(0, 7),
    from: from.toISOString().slice(0, 10),
    to: to.toISOString().slice(0, 10),
  };
}

export interface Catalog {
  productId: string;
  sku: string;
  seatsPriceId: string;
  callsPriceId: string;
}

/**
 * Billing and the ERP as the usage-to-revenue flow needs them, each a real app on its own
 * database: a catalog (seats at 10.00 a month, API calls at 0.01 after 100 included), an ERP
 * entity US01 with its chart, open periods and the product's item.
 */
export class World {
  billing!: TestApp<BillingConfig>;
  erpApp!: TestApp<ErpConfig>;
  erp!: Erp;
  catalog!: Catalog;
  billingToken!: string;
  erpToken!: string;

  private owned = true;

  async start(): Promise<void> {
    this.billing = await startTestApp(billingApp);
    this.erpApp = await startTestApp(erpApp);
    await this.setUp();
  }

  /**
   * The same world on billing and ERP apps started elsewhere (and stopped there): one process
   * cannot host two apps of a kind, their development issuers would clash.
   */
  async on(billing: TestApp<BillingConfig>, erp: TestApp<ErpConfig>): Promise<void> {
    this.owned = false;
    this.billing = billing;
    this.erpApp = erp;
    await this.setUp();
  }

  private async setUp(): Promise<void> {
    this.billingToken = this.billing.token(['billing:read', 'billing:write']);
    this.erpToken = this.erpApp.token(['erp:read', 'erp:write', 'erp:admin']);
    this.erp = new Erp(this.erpApp.url, http);
    await this.erp.setUpEntity(this.erpToken, 'US01');
    const sku = 'PLAT-USAGE';
    await this.erp.upsertItem(this.erpToken, 'US01', sku);
    const product = await this.b<{ id: string }>('products', { name: 'Platform', sku });
    const seats = await this.b<{ id: string }>('prices', {
      productId: product.id,
      currency: 'USD',
      type: 'recurring',
      interval: 'month',
      billingScheme: 'per_unit',
      unitAmount: '10.00',
    });
    const calls = await this.b<{ id: string }>('prices', {
      productId: product.id,
      currency: 'USD',
      type: 'recurring',
      interval: 'month',
      usageType: 'metered',
      meter: 'api_calls',
      billingScheme: 'per_unit',
      unitAmount: '0.01',
      includedQuantity: '100',
    });
    this.catalog = { productId: product.id, sku, seatsPriceId: seats.id, callsPriceId: calls.id };
  }

  /** POST to billing, expecting 201. */
  async b<T>(path: string, body: unknown): Promise<T> {
    const res = await http<T>('POST', `${this.billing.url}/billing/v1/${path}`, {
      token: this.billingToken,
      body,
    });
    expectStatus(res, 201);
    return res.body;
  }

  /**
   * A customer of US01 with a monthly subscription (2 seats, metered API calls) from this month
   * (or from `startDate`).
   */
  async subscriber(
    name: string,
    startDate = currentMonth().from,
  ): Promise<{ customerId: string; subscriptionId: string }> {
    const customer = await this.b<{ id: string }>('customers', {
      name,
      currency: 'USD',
      legalEntity: 'US01',
      billTo: {
        line1: '1 Market St',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
    });
    const sub = await this.b<{ id: string }>('subscriptions', {
      customerId: customer.id,
      billingInterval: 'month',
      startDate,
      items: [
        { priceId: this.catalog.seatsPriceId, quantity: '2' },
        { priceId: this.catalog.callsPriceId },
      ],
    });
    return { customerId: customer.id, subscriptionId: sub.id };
  }

  /** U2R's environment to reach these apps. */
  env(): Record<string, string> {
    return { BILLING_API_URL: this.billing.url, ERP_API_URL: this.erpApp.url };
  }

  async invoicesOf(subscriptionId: string): Promise<
    {
      id: string;
      status: string;
      total: string;
      lines: { type: string; quantity?: string; amount: string }[];
    }[]
  > {
    const res = await http<{
      data: {
        id: string;
        status: string;
        total: string;
        lines: { type: string; quantity?: string; amount: string }[];
      }[];
    }>(
      'GET',
      `${this.billing.url}/billing/v1/invoices?subscriptionId=${subscriptionId}&limit=200`,
      { token: this.billingToken },
    );
    expectStatus(res, 200);
    return res.body.data;
  }

  async erpInvoice(
    externalId: string,
  ): Promise<JsonResponse<{ total: string; externalId: string }>> {
    return http('GET', `${this.erpApp.url}/erp/v1/invoices/US01/${externalId}`, {
      token: this.erpToken,
    });
  }

  async stop(): Promise<void> {
    if (!this.owned) return;
    await this.billing.close();
    await this.erpApp.close();
  }
}
