import { randomUUID } from 'node:crypto';
import { billingApp } from '../../system-billing/src/billing.app';
import { crmApp } from '../../system-crm/src/crm.app';
import { erpApp } from '../../system-erp/src/erp.app';
import { taxApp } from '../../system-tax/src/tax.app';
import { Erp } from '../../system-erp/test/erp-fixtures';
import { q2cApp } from '../src/q2c.app';
import type { Q2cConfig } from '../src/q2c.config';
import { http, startTestApp, type TestApp } from '../../../test/support/test-app';
import { expectStatus, unique, type HttpResponse } from '../../../test/support/api-fixtures';
import type { BaseConfig } from '@revgate/platform';

export * from '../../../test/support/api-fixtures';

export const Q2C_TABLES = [
  'orders',
  'amendments',
  'exceptions',
  'product_mappings',
  'audit_log',
  'event_sources',
  'outbox_events',
  'inbox_events',
  'idempotency_keys',
] as const;

export interface OrderBody {
  id: string;
  opportunityId: string;
  correlationId: string;
  status: string;
  currentStep?: string;
  legalEntity?: string;
  steps: {
    name: string;
    status: string;
    attempts: number;
    detail?: string;
    startedAt?: string;
    finishedAt?: string;
  }[];
  refs: Record<string, string | string[] | undefined>;
  exception?: {
    id?: string;
    code: string;
    step: string;
    title: string;
    detail: string;
    whatToFix: string;
    transient: boolean;
  };
  lastError?: { code: string; step: string; transient: boolean };
  actions: { actor: string; action: string; reason?: string }[];
  version: number;
}

/** Today's month, as the system apps date documents (UTC). */
export function thisMonth(): { start: string; period: string } {
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return { start: start.toISOString().slice(0, 10), period: start.toISOString().slice(0, 7) };
}

/**
 * Every system quote-to-cash orchestrates, started here on loopback (CRM, billing with the tax API,
 * tax, the ERP sandbox with a legal entity US01 ready to post), and quote-to-cash pointed at them.
 */
export class Landscape {
  crm!: TestApp<BaseConfig>;
  billing!: TestApp<BaseConfig>;
  tax!: TestApp<BaseConfig>;
  erp!: TestApp<BaseConfig>;
  q2c!: TestApp<Q2cConfig>;
  private readonly started: TestApp<BaseConfig>[] = [];
  erpApi!: Erp;

  static async start(
    env: Record<string, string> = {},
    systems: {
      crm?: Record<string, string>;
      billing?: Record<string, string>;
      erp?: Record<string, string>;
    } = {},
  ): Promise<Landscape> {
    const l = new Landscape();
    l.tax = l.keep(await startTestApp(taxApp));
    l.billing = l.keep(
      await startTestApp(billingApp, { TAX_API_URL: l.tax.url, ...systems.billing }),
    );
    l.crm = l.keep(await startTestApp(crmApp, { CRM_SEED_DEMO: 'false', ...systems.crm }));
    l.erp = l.keep(await startTestApp(erpApp, { ...systems.erp }));
    l.erpApi = new Erp(l.erp.url, http);
    await l.erpApi.setUpEntity(l.erp.token(['erp:read', 'erp:write']), 'US01');
    if (env.Q2C_IN_PROCESS === 'false') return l;
    l.q2c = l.keep(
      await startTestApp(q2cApp, {
        CRM_API_URL: l.crm.url,
        BILLING_API_URL: l.billing.url,
        ERP_API_URL: l.erp.url,
        INVOICE_EVENT_WAIT_SECONDS: '0',
        OUTBOX_RELAY_ENABLED: 'false',
        ...env,
      }),
    );
    return l;
  }

  private keep<T extends TestApp<BaseConfig>>(app: T): T {
    this.started.push(app);
    return app;
  }

  async close(): Promise<void> {
    for (const app of this.started.reverse()) await app.close();
  }

  /** A call to one of the apps with a token of its own issuer (every scope of that app). */
  /** Where quote-to-cash finds the systems (for a quote-to-cash run in a process of its own). */
  systemsEnv(): Record<string, string> {
    return {
      CRM_API_URL: this.crm.url,
      BILLING_API_URL: this.billing.url,
      ERP_API_URL: this.erp.url,
    };
  }

  async call<T>(
    app: 'crm' | 'billing' | 'erp' | 'q2c',
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<HttpResponse<T>> {
    const t = this[app];
    const base = { crm: 'crm/v1', billing: 'billing/v1', erp: 'erp/v1', q2c: 'q2c/v1' }[app];
    const scopes = {
      crm: ['crm:read', 'crm:write', 'crm:webhooks:manage', 'crm:webhooks:read'],
      billing: [
        'billing:read',
        'billing:write',
        'billing:webhooks:manage',
        'billing:webhooks:read',
      ],
      erp: ['erp:read', 'erp:write', 'erp:admin'],
      q2c: ['q2c:read', 'q2c:write', 'q2c:operate'],
    }[app];
    return http<T>(method, `${t.url}/${base}/${path}`, { token: token ?? t.token(scopes), body });
  }

  async ok<T>(
    app: 'crm' | 'billing' | 'erp' | 'q2c',
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const res = await this.call<T>(app, method, path, body);
    if (res.status >= 300) expectStatus(res, 200);
    return res.body;
  }

  /**
   * A product sold across the systems: in the CRM (a sku), in billing (a product and a monthly
   * per-unit price of `unitAmount`), in the ERP (an item of US01), and — unless `mapped` is false —
   * in quote-to-cash's cross-reference.
   */
  async product(
    options: { unitAmount?: string; mapped?: boolean; interval?: 'month' | 'year' } = {},
  ) {
    const sku = unique('SKU').replace(/[^A-Za-z0-9._-]/g, '-');
    const crmProduct = await this.ok<{ id: string }>('crm', 'POST', 'products', {
      sku,
      name: `Platform ${sku}`,
    });
    const billingProduct = await this.ok<{ id: string }>('billing', 'POST', 'products', {
      name: `Platform ${sku}`,
      sku,
    });
    const price = await this.ok<{ id: string }>('billing', 'POST', 'prices', {
      productId: billingProduct.id,
      currency: 'USD',
      type: 'recurring',
      interval: options.interval ?? 'month',
      billingScheme: 'per_unit',
      unitAmount: options.unitAmount ?? '100.00',
    });
    const erpItem = await this.erpApi.upsertItem(
      this.erp.token(['erp:read', 'erp:write']),
      'US01',
      sku,
    );
    const mapping =
      options.mapped === false
        ? undefined
        : await this.ok<{ id: string }>('q2c', 'POST', 'product-mappings', {
            crmProductId: crmProduct.id,
            currency: 'USD',
            billingPriceId: price.id,
            erpItemCode: erpItem,
          });
    return {
      sku,
      crmProductId: crmProduct.id,
      billingProductId: billingProduct.id,
      priceId: price.id,
      erpItem,
      mappingId: mapping?.id,
    };
  }

  /** An account and a closed-won opportunity for `quantity` of the product. */
  async closedWonDeal(
    product: { crmProductId: string },
    options: {
      taxRegistration?: boolean;
      quantity?: string;
      unitPrice?: string;
      discountPercent?: string;
      close?: boolean;
    } = {},
  ): Promise<{ accountId: string; opportunityId: string }> {
    const account = await this.ok<{ id: string }>('crm', 'POST', 'accounts', {
      legalName: `Acme ${randomUUID().slice(0, 8)}`,
      billingAddress: {
        line1: '350 Fifth Avenue',
        city: 'New York',
        region: 'NY',
        postalCode: '10118',
        country: 'US',
      },
      ...(options.taxRegistration === false
        ? {}
        : { taxRegistration: { scheme: 'EIN', number: '12-3456789', country: 'US' } }),
      currency: 'USD',
      legalEntity: 'US01',
    });
    const opportunity = await this.ok<{ id: string }>('crm', 'POST', 'opportunities', {
      accountId: account.id,
      name: `Deal ${randomUUID().slice(0, 8)}`,
      lines: [
        {
          productId: product.crmProductId,
          quantity: options.quantity ?? '10',
          unitPrice: options.unitPrice ?? '100.00',
          ...(options.discountPercent ? { discountPercent: options.discountPercent } : {}),
          termMonths: 12,
          startDate: thisMonth().start,
        },
      ],
    });
    if (options.close !== false)
      await this.ok('crm', 'POST', `opportunities/${opportunity.id}/stage`, {
        stage: 'closed_won',
      });
    return { accountId: account.id, opportunityId: opportunity.id };
  }

  /** Moves an opportunity to closed-won (with `correlationId` as the request's, when given). */
  async closeWon(opportunityId: string, correlationId?: string): Promise<void> {
    const res = await http('POST', `${this.crm.url}/crm/v1/opportunities/${opportunityId}/stage`, {
      token: this.crm.token(['crm:read', 'crm:write']),
      body: { stage: 'closed_won' },
      headers: correlationId ? { 'x-correlation-id': correlationId } : {},
    });
    expectStatus(res, 200);
  }

  /** Polls the order until `done` says so (the workflow runs in the background). */
  async waitFor(
    orderId: string,
    done: (o: OrderBody) => boolean,
    seconds = 60,
  ): Promise<OrderBody> {
    const until = Date.now() + seconds * 1000;
    let last: OrderBody | undefined;
    while (Date.now() < until) {
      last = await this.ok<OrderBody>('q2c', 'GET', `orders/${orderId}`);
      if (done(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`order ${orderId} did not get there in ${seconds} s: ${JSON.stringify(last)}`);
  }
}
