import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  ClientCredentialsTokenProvider,
  createRevgate,
  idempotencyKey,
  RevgateProblem,
  unwrap,
} from '@revgate/sdk';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A real HTTP server on loopback playing an issuer (`POST /auth/token`) and an API: it records
 * every request, issues `tok-1`, `tok-2`, … and answers API calls with `api(req)`.
 */
async function fakeRevgate(
  api: (req: Seen, res: ServerResponse) => void,
  expiresIn = 3600,
): Promise<{ url: string; seen: Seen[]; tokens: () => Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  let issued = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(s);
      if (s.url === '/auth/token') {
        const form = new URLSearchParams(s.body);
        if (form.get('client_secret') !== 'secret') {
          res.writeHead(401, { 'content-type': 'application/problem+json' });
          res.end(
            JSON.stringify({
              type: 'urn:revgate:problem:INVALID_CLIENT',
              title: 'Unauthorized',
              status: 401,
              detail: 'Unknown client or wrong secret.',
              code: 'INVALID_CLIENT',
              instance: '/auth/token',
              correlationId: 'c-token',
            }),
          );
          return;
        }
        issued += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            access_token: `tok-${String(issued)}`,
            token_type: 'Bearer',
            expires_in: expiresIn,
            scope: 'crm:read',
          }),
        );
        return;
      }
      api(s, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    seen,
    tokens: () => seen.filter((s) => s.url === '/auth/token'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const page = { data: [], nextCursor: null };
const unauthorized = (res: ServerResponse): void => {
  res.writeHead(401, { 'content-type': 'application/problem+json' });
  res.end(
    JSON.stringify({
      type: 'urn:revgate:problem:UNAUTHENTICATED',
      title: 'Unauthorized',
      status: 401,
      detail: 'The token is not valid.',
      code: 'UNAUTHENTICATED',
      instance: '/crm/v1/products',
      correlationId: 'c-401',
    }),
  );
};

describe('@revgate/sdk against a real HTTP server', () => {
  const servers: { close: () => Promise<void> }[] = [];
  const start = async (...args: Parameters<typeof fakeRevgate>) => {
    const s = await fakeRevgate(...args);
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const sdkFor = (url: string, extra: { correlationId?: string; clientSecret?: string } = {}) =>
    createRevgate({
      baseUrls: { crm: url },
      clientId: 'partner',
      clientSecret: extra.clientSecret ?? 'secret',
      correlationId: extra.correlationId,
    });

  it('asks for a token once (form-encoded client credentials) and reuses it, also for calls at the same time', async () => {
    const s = await start((_req, res) => json(res, 200, page));
    const revgate = sdkFor(s.url);
    await Promise.all(Array.from({ length: 5 }, () => unwrap(revgate.crm.GET('/crm/v1/products'))));
    await unwrap(revgate.crm.GET('/crm/v1/products'));
    expect(s.tokens()).toHaveLength(1);
    const [token] = s.tokens();
    expect(token.method).toBe('POST');
    expect(token.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'partner',
      client_secret: 'secret',
    });
    const calls = s.seen.filter((r) => r.url === '/crm/v1/products');
    expect(calls).toHaveLength(6);
    expect(calls.every((c) => c.headers.authorization === 'Bearer tok-1')).toBe(true);
  });

  it('renews the token shortly before it expires', async () => {
    const s = await start((_req, res) => json(res, 200, page), 60);
    let clock = 1_000_000;
    const tokens = new ClientCredentialsTokenProvider({
      tokenUrl: `${s.url}/auth/token`,
      clientId: 'partner',
      clientSecret: 'secret',
      refreshBeforeSeconds: 10,
      now: () => clock,
    });
    expect(await tokens.token()).toBe('tok-1');
    clock += 49_000;
    expect(await tokens.token()).toBe('tok-1');
    clock += 2_000; // 9 s before it expires: inside the 10 s margin
    expect(await tokens.token()).toBe('tok-2');
    expect(s.tokens()).toHaveLength(2);
  });

  it('on a 401 gets a new token and sends the same request once more, body and headers included', async () => {
    const s = await start((req, res) => {
      if (req.headers.authorization === 'Bearer tok-1') unauthorized(res);
      else json(res, 201, { id: 'p1', sku: 'SKU-1' });
    });
    const revgate = sdkFor(s.url, { correlationId: 'corr-1' });
    const created = await unwrap(
      revgate.crm.POST('/crm/v1/products', {
        body: { sku: 'SKU-1', name: 'Platform' },
        headers: idempotencyKey('key-1'),
      }),
    );
    expect(created).toMatchObject({ id: 'p1' });
    const posts = s.seen.filter((r) => r.url === '/crm/v1/products');
    expect(posts.map((p) => p.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    for (const p of posts) {
      expect(JSON.parse(p.body)).toEqual({ sku: 'SKU-1', name: 'Platform' });
      expect(p.headers['idempotency-key']).toBe('key-1');
      expect(p.headers['x-correlation-id']).toBe('corr-1');
    }
  });

  it('retries a 401 only once, then gives the 401 as a RevgateProblem', async () => {
    const s = await start((_req, res) => unauthorized(res));
    const revgate = sdkFor(s.url);
    const failure = await unwrap(revgate.crm.GET('/crm/v1/products')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RevgateProblem);
    expect(failure).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(s.seen.filter((r) => r.url === '/crm/v1/products')).toHaveLength(2);
    expect(s.tokens()).toHaveLength(2);
  });

  it('turns a problem+json answer into a RevgateProblem with every field', async () => {
    const s = await start((_req, res) => {
      res.writeHead(422, { 'content-type': 'application/problem+json', 'retry-after': '7' });
      res.end(
        JSON.stringify({
          type: 'urn:revgate:problem:VALIDATION_FAILED',
          title: 'Unprocessable Entity',
          status: 422,
          detail: 'The request has 1 invalid field.',
          code: 'VALIDATION_FAILED',
          instance: '/crm/v1/products',
          correlationId: 'corr-2',
          errors: [{ pointer: '/sku', detail: 'sku must be a string' }],
        }),
      );
    });
    const revgate = sdkFor(s.url);
    const failure = await unwrap(
      revgate.crm.POST('/crm/v1/products', { body: { sku: '', name: 'x' } }),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RevgateProblem);
    const problem = failure as RevgateProblem;
    expect({ ...problem, message: problem.message }).toEqual({
      name: 'RevgateProblem',
      message: '422 VALIDATION_FAILED: The request has 1 invalid field.',
      type: 'urn:revgate:problem:VALIDATION_FAILED',
      title: 'Unprocessable Entity',
      status: 422,
      detail: 'The request has 1 invalid field.',
      code: 'VALIDATION_FAILED',
      instance: '/crm/v1/products',
      correlationId: 'corr-2',
      errorId: undefined,
      errors: [{ pointer: '/sku', detail: 'sku must be a string' }],
      retryAfterSeconds: 7,
    });
  });

  it('describes an answer that is no problem+json from its status', async () => {
    const s = await start((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html', 'x-correlation-id': 'corr-3' });
      res.end('<html>Bad gateway</html>');
    });
    const failure = await unwrap(sdkFor(s.url).crm.GET('/crm/v1/products')).catch(
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({
      status: 502,
      code: 'HTTP_502',
      type: 'about:blank',
      correlationId: 'corr-3',
      detail: '<html>Bad gateway</html>',
    });
  });

  it("refuses wrong credentials with the issuer's problem, and calls no API", async () => {
    const s = await start((_req, res) => json(res, 200, page));
    const failure = await unwrap(
      sdkFor(s.url, { clientSecret: 'wrong' }).crm.GET('/crm/v1/products'),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RevgateProblem);
    expect(failure).toMatchObject({
      status: 401,
      code: 'INVALID_CLIENT',
      correlationId: 'c-token',
    });
    expect(s.seen.filter((r) => r.url !== '/auth/token')).toHaveLength(0);
  });

  it('makes a fresh Idempotency-Key unless given one', () => {
    const a = idempotencyKey()['Idempotency-Key'];
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(idempotencyKey()['Idempotency-Key']).not.toBe(a);
    expect(idempotencyKey('order-42')).toEqual({ 'Idempotency-Key': 'order-42' });
  });

  it('names the missing URL of an API it was not given', () => {
    const revgate = createRevgate({ baseUrls: {}, clientId: 'a', clientSecret: 'b' });
    expect(() => revgate.billing).toThrow('No URL for the billing API');
  });
});
