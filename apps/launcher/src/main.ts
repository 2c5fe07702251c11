/**
 * `npm start`: the whole gateway on one machine. Starts the embedded PostgreSQL (unless DATABASE_URL
 * is set), prepares the development issuer's key, runs every app as its own process on its own
 * port, waits until each is ready, and prints where everything is. Ctrl-C stops it all cleanly.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadOrCreateSigningKey } from '@revgate/auth';
import { BaseConfig, ConfigError, loadConfig } from '@revgate/platform';
import { EMBEDDED_DATABASE, startEmbeddedPostgres } from '@revgate/persistence';

interface AppEntry {
  name: string;
  basePath: string;
  port: number;
  /** The variable that moves it, when not <NAME>_PORT. */
  portVariable?: string;
}

/** Every app that exists, in start order, with its default port. New apps are added here. */
const APPS: AppEntry[] = [
  { name: 'system-crm', basePath: 'crm/v1', port: 3001 },
  { name: 'system-billing', basePath: 'billing/v1', port: 3002 },
  { name: 'system-tax', basePath: 'tax/v1', port: 3003 },
  { name: 'system-erp', basePath: 'erp/v1', port: 3004 },
  {
    name: 'process-quote-to-cash',
    basePath: 'q2c/v1',
    port: 3005,
    portVariable: 'PROCESS_Q2C_PORT',
  },
  {
    name: 'process-usage-to-revenue',
    basePath: 'u2r/v1',
    port: 3006,
    portVariable: 'PROCESS_U2R_PORT',
  },
  { name: 'experience-portal', basePath: 'portal/v1', port: 3007, portVariable: 'PORTAL_PORT' },
].map((app: AppEntry) => {
  // e.g. SYSTEM_CRM_PORT=4001 moves the CRM app
  const variable = app.portVariable ?? `${app.name.toUpperCase().replace(/-/g, '_')}_PORT`;
  const value = process.env[variable];
  if (value === undefined || value === '') return app;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    process.stderr.write(
      `revgate cannot start. ${variable} must be an integer from 1 to 65535 (got "${value}")\n`,
    );
    process.exit(78);
  }
  return { ...app, port };
});

/**
 * What each app learns about the others (a variable the user sets wins): billing computes tax
 * through the tax API; the process apps call the system APIs, and quote-to-cash subscribes to the
 * CRM's and billing's webhooks at its own URL.
 */
const LINKS: Record<string, Record<string, string>> = {
  'system-billing': { TAX_API_URL: 'system-tax' },
  'process-quote-to-cash': {
    CRM_API_URL: 'system-crm',
    BILLING_API_URL: 'system-billing',
    ERP_API_URL: 'system-erp',
    Q2C_PUBLIC_URL: 'process-quote-to-cash',
  },
  'process-usage-to-revenue': { BILLING_API_URL: 'system-billing', ERP_API_URL: 'system-erp' },
  'experience-portal': {
    CRM_API_URL: 'system-crm',
    BILLING_API_URL: 'system-billing',
    TAX_API_URL: 'system-tax',
    ERP_API_URL: 'system-erp',
    Q2C_API_URL: 'process-quote-to-cash',
    U2R_API_URL: 'process-usage-to-revenue',
  },
};

/** Producers whose webhooks another app of the launcher receives on loopback over http. */
const LOCAL_WEBHOOK_PRODUCERS = new Set(['system-crm', 'system-billing']);

function linkedEnv(
  app: AppEntry,
  host: string,
  listensOnLoopback: boolean,
): Record<string, string> {
  const base = (name: string): string => {
    const target = APPS.find((a) => a.name === name);
    return `http://${host.includes(':') ? `[${host}]` : host}:${target?.port ?? 0}`;
  };
  const env: Record<string, string> = {};
  for (const [variable, target] of Object.entries(LINKS[app.name] ?? {}))
    if (!process.env[variable]) env[variable] = base(target);
  // On one machine, the process apps' receivers are loopback http: let these producers deliver
  // there (the SSRF guard refuses such targets otherwise). Not when the launcher listens wider.
  if (LOCAL_WEBHOOK_PRODUCERS.has(app.name) && listensOnLoopback) {
    env.WEBHOOK_ALLOW_HTTP = process.env.WEBHOOK_ALLOW_HTTP ?? 'true';
    env.WEBHOOK_ALLOW_PRIVATE_TARGETS = process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? 'true';
  }
  return env;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

const log = (line: string): void => {
  process.stdout.write(`[revgate] ${line}\n`);
};

async function waitReady(
  app: AppEntry,
  host: string,
  child: ChildProcess,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${app.name} exited with code ${child.exitCode} while starting`);
    try {
      const res = await fetch(`http://${host}:${app.port}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${app.name} was not ready after ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  let config: BaseConfig;
  try {
    config = loadConfig(BaseConfig);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`revgate cannot start. ${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
  const dist = resolve(__dirname, '..');
  const children = new Map<string, ChildProcess>();
  let stopDatabase: () => Promise<void> = () => Promise.resolve();
  let stopping = false;

  const stopAll = async (code: number): Promise<never> => {
    if (stopping) return new Promise<never>(() => undefined);
    stopping = true;
    log('stopping…');
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) {
              done();
              return;
            }
            const kill = setTimeout(() => child.kill('SIGKILL'), config.SHUTDOWN_TIMEOUT_MS + 2000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await stopDatabase();
    log('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  // If the launcher dies another way, it does not leave its apps running.
  process.once('exit', () => {
    for (const child of children.values()) if (child.exitCode === null) child.kill('SIGKILL');
  });

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    log(
      `starting embedded PostgreSQL (data in ${join(config.REVGATE_DATA_DIR, 'postgres')}, port ${config.EMBEDDED_PG_PORT})`,
    );
    const db = await startEmbeddedPostgres({
      dataDir: join(config.REVGATE_DATA_DIR, 'postgres'),
      port: config.EMBEDDED_PG_PORT,
      database: EMBEDDED_DATABASE,
    });
    databaseUrl = db.url;
    stopDatabase = () => db.stop();
  }
  try {
    if (config.AUTH_MODE === 'dev') loadOrCreateSigningKey(config.REVGATE_DATA_DIR);
  } catch (e) {
    process.stderr.write(
      `[revgate] cannot prepare the development issuer's key: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    return stopAll(1);
  }

  for (const app of APPS) {
    const entry = join(dist, app.name, 'main.js');
    if (!existsSync(entry)) {
      process.stderr.write(`${entry} is missing: run npm run build first.\n`);
      return stopAll(1);
    }
    const child = spawn(process.execPath, [entry], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(app.port),
        // the launcher, not the app, owns the embedded database's data (seeding still happens once)
        REVGATE_EMBEDDED: config.DATABASE_URL ? 'false' : 'true',
        ...linkedEnv(
          app,
          config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST,
          isLoopback(config.HOST),
        ),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
      // Out of the terminal's process group: Ctrl-C reaches the launcher, which stops the apps in
      // order (SIGTERM, wait) before it stops the database.
      detached: true,
    });
    children.set(app.name, child);
    child.once('exit', (code, signal) => {
      if (!stopping) {
        process.stderr.write(
          `[revgate] ${app.name} stopped unexpectedly (code ${code ?? 'none'}, signal ${signal ?? 'none'})\n`,
        );
        void stopAll(1);
      }
    });
  }
  const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST;
  try {
    await Promise.all(
      APPS.map((app) => waitReady(app, host, children.get(app.name) as ChildProcess)),
    );
  } catch (e) {
    process.stderr.write(`[revgate] ${e instanceof Error ? e.message : String(e)}\n`);
    return stopAll(1);
  }
  const crm = APPS[0] as AppEntry | undefined;
  if (!crm) return stopAll(1);
  const base = `http://${host}:${crm.port}`;
  const lines = [
    '',
    'Revgate is running.',
    ...APPS.map(
      (a) =>
        `  ${a.name.padEnd(16)} http://${host}:${a.port}/${a.basePath}   docs: http://${host}:${a.port}/${a.basePath}/docs`,
    ),
    `  health           ${base}/health/ready`,
  ];
  const portal = APPS.find((a) => a.name === 'experience-portal');
  if (portal) lines.push(`  finance portal   http://${host}:${portal.port}/  (the web UI)`);
  // The demo clients only exist on the embedded default; don't print secrets that are not in force.
  if (config.AUTH_MODE === 'dev' && config.AUTH_DEV_CLIENTS === undefined) {
    const tax = APPS.find((a) => a.name === 'system-tax');
    const erp = APPS.find((a) => a.name === 'system-erp');
    lines.push(
      `  token endpoint   ${base}/auth/token   (dev clients: revgate-dev / revgate-dev-secret, revgate-viewer / revgate-viewer-secret)`,
      '',
      'Try it:',
      `  TOKEN=$(curl -s -X POST ${base}/auth/token -d grant_type=client_credentials -d client_id=revgate-dev -d client_secret=revgate-dev-secret | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
      `  curl -s -H "Authorization: Bearer $TOKEN" ${base}/crm/v1/opportunities`,
    );
    if (tax) {
      const quote = {
        legalEntity: 'US01',
        customerCode: 'ACME-001',
        date: new Date().toISOString().slice(0, 10),
        currency: 'USD',
        addresses: {
          shipFrom: {
            line1: '1 Market Street',
            city: 'San Francisco',
            region: 'CA',
            postalCode: '94105',
            country: 'US',
          },
          shipTo: {
            line1: '500 Congress Ave',
            city: 'Austin',
            region: 'TX',
            postalCode: '78701',
            country: 'US',
          },
        },
        lines: [{ taxCode: 'SW054000', quantity: '1', amount: '1200.00' }],
      };
      lines.push(
        `  curl -s -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' http://${host}:${tax.port}/tax/v1/quotes -d '${JSON.stringify(quote)}'`,
      );
    }
    if (erp) {
      const period = new Date().toISOString().slice(0, 7);
      lines.push(
        `  curl -s -H "Authorization: Bearer $TOKEN" http://${host}:${erp.port}/erp/v1/trial-balance/US01/${period}`,
      );
    }
  }
  lines.push('', 'Press Ctrl-C to stop.', '');
  process.stdout.write(lines.join('\n'));
}

main().catch((e: unknown) => {
  process.stderr.write(
    `[revgate] failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
