import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase } from '@revgate/persistence';
import { expectStatus } from '../../support/api-fixtures';
import type { Landscape } from '../../../apps/process-quote-to-cash/test/q2c-fixtures';
import { CrashingApp } from '../support/chaos';
import { DatabaseProxy } from '../support/database-proxy';
import type { Q2cReader } from '../support/q2c-checks';

/** Scratch databases, folders and process apps of the scenarios, all let go at the end. */
export class Resources {
  private readonly scratch: { drop: () => Promise<void> }[] = [];
  private readonly folders: string[] = [];
  private readonly apps: CrashingApp[] = [];
  private readonly proxies: DatabaseProxy[] = [];

  folder(name: string): string {
    const dir = mkdtempSync(join(tmpdir(), `revgate-chaos-${name}-`));
    this.folders.push(dir);
    return dir;
  }

  async database(): Promise<string> {
    const db = await createScratchDatabase(process.env.DATABASE_URL ?? '', 'revgate_t');
    this.scratch.push(db);
    return db.url;
  }

  /** A TCP proxy to PostgreSQL whose connections the scenario can cut. */
  async databaseProxy(target: { host: string; port: number }): Promise<DatabaseProxy> {
    const proxy = await new DatabaseProxy(target).start();
    this.proxies.push(proxy);
    return proxy;
  }

  async launch(name: string, env: Record<string, string>): Promise<CrashingApp> {
    const app = await new CrashingApp(name, env).start();
    this.apps.push(app);
    return app;
  }

  async release(): Promise<void> {
    for (const app of this.apps) await app.stop();
    for (const proxy of this.proxies) await proxy.stop();
    for (const db of this.scratch) await db.drop();
    for (const dir of this.folders) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * CRM and billing deliver to quote-to-cash on loopback, and retry a failed delivery within a few
 * seconds (defaults: 10 s doubling to an hour): a delivery that failed while quote-to-cash was
 * down or restarting then drains within the outbox check's 15 s.
 */
export const LOOPBACK_WEBHOOKS = {
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_RETRY_BASE_SECONDS: '1',
  WEBHOOK_RETRY_MAX_DELAY_SECONDS: '2',
};

/** Quote-to-cash retrying fast, so outages and kills are waited out within a test. */
export function q2cEnv(l: Landscape, env: Record<string, string>): Record<string, string> {
  return {
    ...l.systemsEnv(),
    STEP_RETRY_ATTEMPTS: '3',
    STEP_RETRY_INTERVAL_SECONDS: '1',
    OUTAGE_RETRY_SECONDS: '2',
    SYSTEM_API_BREAKER_RESET_SECONDS: '2',
    OUTBOX_RELAY_POLL_MS: '250',
    INVOICE_EVENT_WAIT_SECONDS: '0',
    ...env,
  };
}

/** A product sold across the systems, mapped in this quote-to-cash. */
export async function mappedProduct(l: Landscape, q2c: Q2cReader) {
  const product = await l.product({ mapped: false });
  const res = await q2c.call('POST', 'product-mappings', {
    crmProductId: product.crmProductId,
    currency: 'USD',
    billingPriceId: product.priceId,
    erpItemCode: product.erpItem,
  });
  expectStatus(res, 201);
  return product;
}

export async function startOrder(q2c: Q2cReader, opportunityId: string): Promise<void> {
  expectStatus(await q2c.call('POST', 'orders', { opportunityId }), 202);
}
