import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  Figure,
  benchDatabase,
  freePort,
  load,
  processCpuMs,
  startBuiltApp,
  steadyLoad,
} from './harness';

/**
 * A bare Fastify route in its own process: the baseline the gateway's overhead is measured against.
 * With `databaseUrl`, the route reads the account's row by primary key through a pg pool (no auth,
 * no validation, no ORM): what any database-backed read costs on this machine before the gateway.
 */
async function startBareFastify(
  databaseUrl?: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const route = databaseUrl
    ? `const pool = new (require('pg').Pool)({ connectionString: ${JSON.stringify(databaseUrl)}, max: 10 });
    app.get('/accounts/:id', async (req) => (await pool.query('select * from crm.accounts where id = $1', [req.params.id])).rows[0]);`
    : `app.get('/accounts/:id', async () => body);`;
  const code = `
    const app = require('fastify')();
    const body = { id: '00000000-0000-4000-8000-000000000000', legalName: 'Acme Corporation', currency: 'USD', legalEntity: 'US01' };
    ${route}
    app.listen({ port: ${port}, host: '127.0.0.1' });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${url}/accounts/00000000-0000-4000-8000-000000000000`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/**
 * Gateway overhead: GET one CRM account through JWT verification, scope check, rate limiting,
 * validation, the database read and problem/metrics/logging plumbing, beside a bare Fastify route
 * in the same run, and a bare Fastify route that reads the same row with pg (the floor of any
 * database-backed read here). All at full speed (throughput), then the gateway and the bare route
 * at a fixed 1,000 requests/s (latency).
 */
export async function gatewayOverhead(): Promise<Figure[]> {
  const db = await benchDatabase();
  const crm = await startBuiltApp('system-crm', {
    DATABASE_URL: db.url,
    REVGATE_DATA_DIR: '.revgate/bench',
  });
  const bare = await startBareFastify();
  const bareDb = await startBareFastify(db.url);
  try {
    const tokenRes = await fetch(`${crm.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=revgate-dev&client_secret=revgate-dev-secret',
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${crm.url}/crm/v1/accounts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        legalName: 'Acme Corporation',
        billingAddress: { line1: '1 Market Street', city: 'San Francisco', country: 'US' },
        currency: 'USD',
        legalEntity: 'US01',
      }),
    });
    const { id } = (await created.json()) as { id: string };
    const gatewayUrl = `${crm.url}/crm/v1/accounts/${id}`;
    const bareUrl = `${bare.url}/accounts/${id}`;
    const bareDbUrl = `${bareDb.url}/accounts/${id}`;

    await load({ url: gatewayUrl, headers, connections: 10, durationSeconds: 2 }); // warm-up
    await load({ url: bareUrl, connections: 10, durationSeconds: 2 });
    await load({ url: bareDbUrl, connections: 10, durationSeconds: 2 });
    const cpuBefore = processCpuMs(crm.child.pid);
    const gatewayMax = await load({
      url: gatewayUrl,
      headers,
      connections: 50,
      durationSeconds: 10,
    });
    const cpuAfter = processCpuMs(crm.child.pid);
    const bareMax = await load({ url: bareUrl, connections: 50, durationSeconds: 10 });
    const bareDbMax = await load({ url: bareDbUrl, connections: 50, durationSeconds: 10 });
    // 1,000 requests/s evenly spaced (see steadyLoad: autocannon's overallRate sends bursts),
    // each after 5 s at that rate, so the figure is the steady state and not the settling after
    // the full-speed run (a burst of garbage collection and pool churn).
    const at1k = async (url: string, extra: { headers?: Record<string, string> } = {}) => {
      await steadyLoad({ url, ...extra, rate: 1000, durationSeconds: 5, connections: 50 });
      return steadyLoad({ url, ...extra, rate: 1000, durationSeconds: 15, connections: 50 });
    };
    const gatewayAt1k = await at1k(gatewayUrl, { headers });
    const bareAt1k = await at1k(bareUrl);
    if (
      gatewayMax.non2xx +
        gatewayMax.errors +
        gatewayAt1k.non2xx +
        gatewayAt1k.errors +
        bareAt1k.errors +
        bareDbMax.non2xx +
        bareDbMax.errors >
      0
    ) {
      throw new Error('the gateway answered errors under load; figures would be meaningless');
    }
    const ratio = gatewayMax.requestsPerSecond / bareMax.requestsPerSecond;
    const addedP99 = gatewayAt1k.p99Ms - bareAt1k.p99Ms;
    // The app's own CPU per read: the cost the gateway adds, steadier than throughput on a
    // machine the app shares with PostgreSQL and the load generator (Linux only).
    const cpuPerRead =
      cpuBefore === undefined || cpuAfter === undefined
        ? []
        : [
            {
              bench: 'gateway overhead',
              metric: 'CRM account read: app CPU per request',
              value: ((cpuAfter - cpuBefore) * 1000) / gatewayMax.requests,
              unit: 'µs',
            },
          ];
    return [
      {
        bench: 'gateway overhead',
        metric: 'CRM account read, requests/s (50 connections)',
        value: gatewayMax.requestsPerSecond,
        unit: 'req/s',
      },
      ...cpuPerRead,
      {
        bench: 'gateway overhead',
        metric: 'bare Fastify route, requests/s (50 connections)',
        value: bareMax.requestsPerSecond,
        unit: 'req/s',
      },
      {
        bench: 'gateway overhead',
        metric: 'gateway / bare throughput',
        value: ratio,
        unit: 'x',
        target: '>= 0.5',
        met: ratio >= 0.5,
      },
      {
        bench: 'gateway overhead',
        metric: 'bare Fastify + one pg read by primary key, requests/s',
        value: bareDbMax.requestsPerSecond,
        unit: 'req/s',
      },
      {
        bench: 'gateway overhead',
        metric: 'gateway / (Fastify + pg read) throughput',
        value: gatewayMax.requestsPerSecond / bareDbMax.requestsPerSecond,
        unit: 'x',
      },
      {
        bench: 'gateway overhead',
        metric: 'CRM account read p50 / max at 1,000 req/s (generator late by at most)',
        value: gatewayAt1k.p50Ms,
        unit: `ms / ${gatewayAt1k.maxMs.toFixed(1)} ms (${gatewayAt1k.maxSendLagMs.toFixed(1)} ms)`,
      },
      {
        bench: 'gateway overhead',
        metric: 'CRM account read p99 at 1,000 req/s',
        value: gatewayAt1k.p99Ms,
        unit: 'ms',
      },
      {
        bench: 'gateway overhead',
        metric: 'bare Fastify p99 at 1,000 req/s',
        value: bareAt1k.p99Ms,
        unit: 'ms',
      },
      {
        bench: 'gateway overhead',
        metric: 'p99 added by the gateway at 1,000 req/s',
        value: addedP99,
        unit: 'ms',
        target: '< 5',
        met: addedP99 < 5,
      },
    ];
  } finally {
    await bare.stop();
    await bareDb.stop();
    await crm.stop();
    await db.stop();
  }
}
