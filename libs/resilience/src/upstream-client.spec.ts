import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runWithCorrelationId } from '@revgate/platform';
import { ClientCredentialsTokenProvider } from './token-provider';
import { UpstreamClient, type UpstreamOptions } from './upstream-client';
import { UpstreamUnavailableError } from './upstream-error';

/** A real HTTP upstream on loopback whose handler the test scripts; it counts what it sees. */
interface Upstream {
  url: string;
  calls: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[];
  inFlight: number;
  peak: number;
  handle: (req: IncomingMessage, res: ServerResponse, n: number) => void;
  close(): Promise<void>;
}

async function upstream(): Promise<Upstream> {
  const u: Upstream = {
    url: '',
    calls: [],
    inFlight: 0,
    peak: 0,
    handle: (_req, res) => res.writeHead(200).end('{}'),
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      u.calls.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      u.inFlight += 1;
      u.peak = Math.max(u.peak, u.inFlight);
      res.on('close', () => (u.inFlight -= 1));
      u.handle(req, res, u.calls.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  u.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  u.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return u;
}

const json = (res: ServerResponse, status: number, body: unknown, headers = {}): void => {
  res
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify(body));
};

async function unavailable(run: () => Promise<unknown>): Promise<UpstreamUnavailableError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof UpstreamUnavailableError) return e;
    throw e;
  }
  throw new Error('expected the upstream to be unavailable');
}

describe('UpstreamClient (real HTTP on loopback)', () => {
  let api: Upstream;
  let slept: number[];
  const clients: UpstreamClient[] = [];

  beforeEach(async () => {
    api = await upstream();
    slept = [];
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.shutdown();
    await api.close();
  });

  /** A client whose backoff waits are recorded and shortened to nothing. */
  const client = (options: Partial<UpstreamOptions> = {}): UpstreamClient => {
    const c = new UpstreamClient(
      {
        name: 'test',
        baseUrl: api.url,
        timeoutMs: 2000,
        retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 5000 },
        ...options,
      },
      undefined,
      (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
    );
    clients.push(c);
    return c;
  };

  it('answers 2xx and 4xx as they are, never retrying a 4xx', async () => {
    api.handle = (req, res) =>
      req.url === '/found' ? json(res, 200, { ok: true }) : json(res, 422, { code: 'NOPE' });
    const c = client();
    await expect(c.request({ method: 'GET', path: '/found' })).resolves.toMatchObject({
      status: 200,
      data: { ok: true },
    });
    await expect(c.request({ method: 'GET', path: '/other' })).resolves.toMatchObject({
      status: 422,
      data: { code: 'NOPE' },
    });
    expect(api.calls).toHaveLength(2);
  });

  it('retries a GET after 503 and succeeds, with backoff between attempts', async () => {
    api.handle = (_req, res, n) => (n < 3 ? json(res, 503, {}) : json(res, 200, { n }));
    const res = await client().request({ method: 'GET', path: '/x' });
    expect(res).toMatchObject({ status: 200, data: { n: 3 } });
    expect(api.calls).toHaveLength(3);
    expect(slept).toHaveLength(2);
    expect(slept[0]).toBeLessThan(100);
    expect(slept[1]).toBeLessThan(200);
  });

  it('never retries a POST without a key; retries one with an Idempotency-Key, sending the key each time', async () => {
    api.handle = (_req, res) => json(res, 500, {});
    const plain = await unavailable(() =>
      client().request({ method: 'POST', path: '/p', body: {} }),
    );
    expect(plain).toMatchObject({ upstream: 'test', reason: 'server_error', status: 500 });
    expect(api.calls).toHaveLength(1);

    api.calls = [];
    await unavailable(() =>
      client().request({ method: 'POST', path: '/p', body: { a: 1 }, idempotencyKey: 'k-1' }),
    );
    expect(api.calls.map((c) => c.headers['idempotency-key'])).toEqual(['k-1', 'k-1', 'k-1']);
    expect(api.calls.map((c) => c.body)).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
  });

  it('waits at least what Retry-After asks on a 429, and gives up at once when it asks for longer than a call may wait', async () => {
    api.handle = (_req, res, n) =>
      n === 1 ? json(res, 429, {}, { 'retry-after': '2' }) : json(res, 200, {});
    await client().request({ method: 'GET', path: '/r' });
    expect(slept).toEqual([2000]);

    api.calls = [];
    api.handle = (_req, res) => json(res, 429, {}, { 'retry-after': '120' });
    const error = await unavailable(() => client().request({ method: 'GET', path: '/r' }));
    expect(error).toMatchObject({ reason: 'rate_limited', retryAfterSeconds: 120, status: 429 });
    expect(api.calls).toHaveLength(1);
  });

  it('gives up on an attempt after timeoutMs, and reports a closed port as a network failure', async () => {
    api.handle = (_req, res) => setTimeout(() => json(res, 200, {}), 1000).unref();
    const slow = await unavailable(() =>
      client({ timeoutMs: 100, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 10 } }).request({
        method: 'GET',
        path: '/slow',
      }),
    );
    expect(slow).toMatchObject({ reason: 'timeout' });
    expect(api.calls).toHaveLength(2);

    const closedUrl = api.url;
    await api.close();
    const gone = new UpstreamClient({
      name: 'gone',
      baseUrl: closedUrl,
      timeoutMs: 1000,
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    clients.push(gone);
    await expect(
      unavailable(() => gone.request({ method: 'GET', path: '/' })),
    ).resolves.toMatchObject({ reason: 'network' });
    api = await upstream();
  });

  it('opens its breaker after failures pass the threshold, fails fast without calling, and closes after a good trial', async () => {
    api.handle = (_req, res) => json(res, 500, {});
    const c = client({
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      breaker: {
        volumeThreshold: 5,
        errorThresholdPercentage: 50,
        resetTimeoutMs: 300,
        rollingWindowMs: 10_000,
      },
    });
    for (let i = 0; i < 5; i++) await unavailable(() => c.request({ method: 'GET', path: '/f' }));
    expect(c.breakerState()).toBe('open');
    const seen = api.calls.length;
    const fast = await unavailable(() => c.request({ method: 'GET', path: '/f' }));
    expect(fast).toMatchObject({ reason: 'breaker_open', retryAfterSeconds: 1 });
    expect(api.calls).toHaveLength(seen);

    api.handle = (_req, res) => json(res, 200, { back: true });
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(c.breakerState()).toBe('half_open');
    await expect(c.request({ method: 'GET', path: '/f' })).resolves.toMatchObject({ status: 200 });
    expect(c.breakerState()).toBe('closed');
  });

  it('never opens its breaker on 4xx answers, however many', async () => {
    api.handle = (_req, res) => json(res, 404, {});
    const c = client({
      breaker: {
        volumeThreshold: 3,
        errorThresholdPercentage: 10,
        resetTimeoutMs: 10_000,
        rollingWindowMs: 10_000,
      },
    });
    for (let i = 0; i < 20; i++) await c.request({ method: 'GET', path: '/missing' });
    expect(c.breakerState()).toBe('closed');
    expect(api.calls).toHaveLength(20);
  });

  it('keeps its calls within the concurrency budget and refuses one that cannot get a turn in time', async () => {
    api.handle = (_req, res) => setTimeout(() => json(res, 200, {}), 50).unref();
    const c = client({ budget: { concurrency: 3, ratePerSecond: Infinity, maxWaitMs: 10_000 } });
    await Promise.all(Array.from({ length: 12 }, () => c.request({ method: 'GET', path: '/b' })));
    expect(api.peak).toBe(3);
    expect(api.calls).toHaveLength(12);

    api.handle = (_req, res) => setTimeout(() => json(res, 200, {}), 300).unref();
    const tight = client({
      name: 'tight',
      budget: { concurrency: 1, ratePerSecond: Infinity, maxWaitMs: 50 },
    });
    const [first, second] = await Promise.allSettled([
      tight.request({ method: 'GET', path: '/b' }),
      tight.request({ method: 'GET', path: '/b' }),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({
      status: 'rejected',
      reason: expect.objectContaining({ reason: 'budget_exhausted' }) as unknown,
    });
  });

  it('carries the correlation id, and renews a refused token once', async () => {
    let issued = 0;
    const tokens = await upstream();
    tokens.handle = (_req, res) => {
      issued += 1;
      json(res, 200, { access_token: `t-${issued}`, expires_in: 3600 });
    };
    api.handle = (req, res) =>
      req.headers.authorization === 'Bearer t-1' ? json(res, 401, {}) : json(res, 200, {});
    const c = client({
      auth: new ClientCredentialsTokenProvider({
        tokenUrl: `${tokens.url}/token`,
        clientId: 'svc',
        clientSecret: 's3cret-value',
        scope: 'tax:read',
        timeoutMs: 1000,
      }),
    });
    try {
      const res = await runWithCorrelationId('deal-77', () =>
        c.request({ method: 'POST', path: '/q', body: {}, idempotent: true }),
      );
      expect(res.status).toBe(200);
      expect(api.calls.map((x) => x.headers.authorization)).toEqual(['Bearer t-1', 'Bearer t-2']);
      expect(api.calls.map((x) => x.headers['x-correlation-id'])).toEqual(['deal-77', 'deal-77']);
      expect(new URLSearchParams(tokens.calls[0]?.body)).toEqual(
        new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'svc',
          client_secret: 's3cret-value',
          scope: 'tax:read',
        }),
      );
      tokens.handle = (_req, res) => json(res, 401, { error: 'invalid_client' });
      api.handle = (_req, res) => json(res, 401, {});
      const refused = await unavailable(() => c.request({ method: 'GET', path: '/q' }));
      expect(refused.reason).toBe('auth_refused');
    } finally {
      await tokens.close();
    }
  });
});
