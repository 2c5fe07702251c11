import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricsService, ReadinessRegistry } from '@revgate/platform';
import { UpstreamUnavailableError } from './upstream-error';
import { Upstreams } from './upstreams';

describe('Upstreams', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === '/fail' ? 500 : 200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('makes one client per upstream name, whose breaker, budget and attempts show in metrics and readiness', async () => {
    const metrics = new MetricsService('resilience-test');
    const readiness = new ReadinessRegistry();
    const upstreams = new Upstreams(metrics, readiness);
    try {
      const options = {
        name: 'erp',
        baseUrl: url,
        timeoutMs: 1000,
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
        breaker: {
          volumeThreshold: 2,
          errorThresholdPercentage: 50,
          resetTimeoutMs: 60_000,
          rollingWindowMs: 10_000,
        },
      };
      const erp = upstreams.client(options);
      expect(upstreams.client({ ...options, timeoutMs: 5 })).toBe(erp);
      await erp.request({ method: 'GET', path: '/ok' });
      for (let i = 0; i < 2; i++)
        await expect(erp.request({ method: 'GET', path: '/fail' })).rejects.toBeInstanceOf(
          UpstreamUnavailableError,
        );
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/upstream_breaker_state\{upstream="erp",app="resilience-test"\} 2/);
      expect(text).toMatch(
        /upstream_attempts_total\{upstream="erp",outcome="200",app="resilience-test"\} 1/,
      );
      expect(text).toMatch(
        /upstream_attempts_total\{upstream="erp",outcome="server_error",app="resilience-test"\} 2/,
      );
      expect(text).toMatch(/upstream_budget_in_flight\{upstream="erp",app="resilience-test"\} 0/);
      expect(text).toMatch(
        /upstream_breaker_transitions_total\{upstream="erp",to="open",app="resilience-test"\} 1/,
      );
      const [[name, report]] = readiness.reports();
      expect(name).toBe('upstreams');
      expect(report()).toEqual({ erp: { breaker: 'open', inFlight: 0, queued: 0 } });
    } finally {
      upstreams.onApplicationShutdown();
    }
  });
});
