import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase } from '@revgate/persistence';
import { startProcessApp, type ProcessApp } from '../../../test/support/process-app';

/** Usage-to-revenue in a process of its own (two DBOS apps cannot share one process). */
export interface U2rProcess {
  url: string;
  app: ProcessApp;
  /** A token of its development issuer for the revgate-dev client (every scope). */
  token(): Promise<string>;
  stop(): Promise<void>;
}

/** Starts usage-to-revenue on a scratch database, pointed at these billing and ERP APIs. */
export async function startU2rProcess(
  systems: { billing: { url: string }; erp: { url: string } },
  env: Record<string, string> = {},
): Promise<U2rProcess> {
  const db = await createScratchDatabase(process.env.DATABASE_URL ?? '', 'revgate_t');
  const dataDir = mkdtempSync(join(tmpdir(), 'revgate-u2r-'));
  const app = await startProcessApp('process-usage-to-revenue', {
    DATABASE_URL: db.url,
    REVGATE_DATA_DIR: dataDir,
    BILLING_API_URL: systems.billing.url,
    ERP_API_URL: systems.erp.url,
    OUTBOX_RELAY_ENABLED: 'false',
    ...env,
  });
  return {
    url: app.url,
    app,
    token: async () => {
      const res = await fetch(`${app.url}/auth/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'revgate-dev',
          client_secret: 'revgate-dev-secret',
        }),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    },
    stop: async () => {
      await app.stop();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
