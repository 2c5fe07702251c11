import { startU2rProcess, type U2rProcess } from '../../process-usage-to-revenue/test/u2r-process';
import { Landscape } from '../../process-quote-to-cash/test/q2c-fixtures';
import {
  http,
  startTestApp,
  type TestApp,
  type TokenOptions,
} from '../../../test/support/test-app';
import { portalApp } from '../src/portal.app';
import type { PortalConfig } from '../src/portal.config';

export * from '../../process-quote-to-cash/test/q2c-fixtures';

/**
 * Every app the portal reads, on loopback: the systems and quote-to-cash (Landscape),
 * usage-to-revenue, and the portal pointed at all of them.
 */
export class PortalLandscape {
  private constructor(
    readonly l: Landscape,
    readonly u2r: U2rProcess,
    readonly portal: TestApp<PortalConfig>,
  ) {}

  static async start(portalEnv: Record<string, string> = {}): Promise<PortalLandscape> {
    const l = await Landscape.start();
    const u2r = await startU2rProcess(l);
    const portal = await startTestApp(portalApp, { ...PortalLandscape.env(l, u2r), ...portalEnv });
    return new PortalLandscape(l, u2r, portal);
  }

  /** Where the portal finds every API. */
  static env(l: Landscape, u2r: { url: string }): Record<string, string> {
    return {
      CRM_API_URL: l.crm.url,
      BILLING_API_URL: l.billing.url,
      TAX_API_URL: l.tax.url,
      ERP_API_URL: l.erp.url,
      Q2C_API_URL: l.q2c.url,
      U2R_API_URL: u2r.url,
      PORTAL_OVERVIEW_CACHE_SECONDS: '0',
    };
  }

  async close(): Promise<void> {
    await this.portal.close();
    await this.u2r.stop();
    await this.l.close();
  }

  /** A portal token: reader, operator, a customer user… */
  token(scopes: string[], options?: TokenOptions): string {
    return this.portal.token(scopes, options);
  }

  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown } = {},
  ) {
    return http<T>(method, `${this.portal.url}/portal/v1/${path}`, options);
  }

  /** A completed order of a fresh mapped product, and the deal behind it. */
  async completedOrder(): Promise<{ orderId: string; opportunityId: string; accountId: string }> {
    const product = await this.l.product();
    const deal = await this.l.closedWonDeal(product);
    const started = await this.l.ok<{ id: string }>('q2c', 'POST', 'orders', {
      opportunityId: deal.opportunityId,
    });
    await this.l.waitFor(started.id, (o) => o.status === 'completed');
    return { orderId: started.id, ...deal };
  }
}
