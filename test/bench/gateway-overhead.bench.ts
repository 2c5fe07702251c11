import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Figure, benchDatabase, freePort, load, startBuiltApp, steadyLoad } from './harness';

/** A bare Fastify route in its own process: the baseline the gateway's overhead is measured against. */
async function startBareFastify(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const code = `
    const app = require('fastify')();
    const body = { id: '00000000-0000-4000-8000-000000000000', legalName: 'Acme Corporation', currency: 'USD', legalEntity: 'US01' };
    app.get('/accounts/:id', async () => body);
    app.listen({ port: ${port}, host: '127.0.0.1' });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${url}/accounts/x`);
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
 * in the same run. Both at full speed (throughput), then both at a fixed 1,000 requests/s (latency).
 */
export async function gatewayOverhead(): Promise<Figure[]> {
  const db = await benchDatabase();
  const crm = await startBuiltApp('system-crm', {
    DATABASE_URL: db.url,
    REVGATE_DATA_DIR: '.revgate/bench',
  });
  const bare = await startBareFastify();
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

    await load({ url: gatewayUrl, headers, connections: 10, durationSeconds: 2 }); // warm-up
    await load({ url: bareUrl, connections: 10, durationSeconds: 2 });
    const gatewayMax = await load({
      url: gatewayUrl,
      headers,
      connections: 50,
      durationSeconds: 10,
    });
    const bareMax = await load({ url: bareUrl, connections: 50, durationSeconds: 10 });
    // 1,000 requests/s evenly spaced (see steadyLoad: autocannon's overallRate sends bursts).
    const gatewayAt1k = await steadyLoad({
      url: gatewayUrl,
      headers,
      rate: 1000,
      durationSeconds: 10,
      connections: 50,
    });
    const bareAt1k = await steadyLoad({
      url: bareUrl,
      rate: 1000,
      durationSeconds: 10,
      connections: 50,
    });
    if (
      gatewayMax.non2xx +
        gatewayMax.errors +
        gatewayAt1k.non2xx +
        gatewayAt1k.errors +
        bareAt1k.errors >
      0
    ) {
      throw new Error('the gateway answered errors under load; figures would be meaningless');
    }
    const ratio = gatewayMax.requestsPerSecond / bareMax.requestsPerSecond;
    const addedP99 = gatewayAt1k.p99Ms - bareAt1k.p99Ms;
    return [
      {
        bench: 'gateway overhead',
        metric: 'CRM account read, requests/s (50 connections)',
        value: gatewayMax.requestsPerSecond,
        unit: 'req/s',
      },
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
        metric: 'CRM account read p50 / max at 1,000 req/s',
        value: gatewayAt1k.p50Ms,
        unit: `ms / ${gatewayAt1k.maxMs.toFixed(1)} ms`,
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
    await crm.stop();
    await db.stop();
  }
}
