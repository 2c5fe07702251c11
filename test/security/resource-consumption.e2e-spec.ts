import { request as httpRequest } from 'node:http';
import { newAccount } from '../support/crm';
import { expectProblem, http, type JsonResponse } from '../support/test-app';
import { APPS, apiUrl, schemaCounts, type SecurityApp } from './support/apps';
import { type AppHandle, useApp } from './support/app-suite';

/**
 * Check 3, unrestricted resource consumption: bodies over the app's limit (1 MiB on a system API
 * and the experience portal, 8 MiB on usage to revenue, whose batches are big) are cut off with
 * 413 PAYLOAD_TOO_LARGE — also when they come chunked, without a Content-Length — before anything
 * is written; a usage batch of more than 1,000 events is refused whole; and a caller past its rate
 * gets 429 RATE_LIMITED with Retry-After while another caller is still served (usage to revenue
 * and the portal).
 */

const MiB = 1024 * 1024;

/** A JSON object of exactly `bytes` bytes: `{"legalName":"aaa…"}` padded with a field of filler. */
function jsonOfSize(bytes: number, base: Record<string, unknown> = {}): string {
  const head = JSON.stringify({ ...base, filler: '' });
  return `${head.slice(0, -2)}${'a'.repeat(bytes - head.length)}"}`;
}

/** Streams `total` bytes of a JSON string as chunks without a Content-Length. */
function sendChunked(
  url: string,
  token: string,
  total: number,
): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'transfer-encoding': 'chunked',
        },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'] ?? '',
            body,
          });
        });
      },
    );
    // The server may answer and close before every byte is sent: that is the point.
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ECONNRESET') reject(e);
    });
    const chunk = 'a'.repeat(64 * 1024);
    req.write('{"legalName":"');
    let sent = 0;
    const pump = (): void => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end('"}');
    };
    pump();
  });
}

/** A write of an app that is refused whole when its body is too big, and how to send it. */
interface Write {
  method: string;
  /** Relative to the app's base path. */
  path: string;
  scopes: string[];
  /** A body otherwise refused for a reason of its own (no upstream is asked, nothing written). */
  base: Record<string, unknown>;
}

/**
 * The default body limit of 1 MiB on `write`: a body of 1 MiB + 1 byte answers 413
 * PAYLOAD_TOO_LARGE, also chunked without a Content-Length and from a caller without a token (it
 * is not read); a body of exactly 1 MiB is read (its filler field is unknown: 400). Nothing is
 * written.
 */
function describeOneMiBLimit(app: SecurityApp, h: AppHandle, write: Write): void {
  const url = () => apiUrl(h.t(), app, write.path);
  const token = () => h.t().token(write.scopes);
  const send = (raw: string, withToken = true) =>
    http(write.method, url(), { ...(withToken ? { token: token() } : {}), rawBody: raw });

  it('runs with a 1 MiB body limit', () => {
    expect(h.t().config.BODY_LIMIT_BYTES).toBe(MiB);
  });

  it('answers a body of 1 MiB + 1 byte with 413 PAYLOAD_TOO_LARGE and writes nothing', async () => {
    const before = await schemaCounts(h.t(), app.schema);
    const raw = jsonOfSize(MiB + 1, write.base);
    expect(Buffer.byteLength(raw)).toBe(MiB + 1);
    expectProblem(await send(raw), 413, 'PAYLOAD_TOO_LARGE');
    expect(await schemaCounts(h.t(), app.schema)).toEqual(before);
  });

  it('reads a body of exactly 1 MiB (the limit is not off by one): its unknown field is a 400', async () => {
    const before = await schemaCounts(h.t(), app.schema);
    expectProblem(await send(jsonOfSize(MiB, write.base)), 400, 'VALIDATION_FAILED');
    expect(await schemaCounts(h.t(), app.schema)).toEqual(before);
  });

  it('cuts off a chunked body without Content-Length once it passes the limit', async () => {
    const before = await schemaCounts(h.t(), app.schema);
    const res = await sendChunked(url(), token(), 3 * MiB);
    expect(res.status).toBe(413);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect((JSON.parse(res.body) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
    expect(await schemaCounts(h.t(), app.schema)).toEqual(before);
  });

  it('refuses an oversized body from a caller without a token the same way (it is not read)', async () => {
    expectProblem(await send(jsonOfSize(2 * MiB), false), 413, 'PAYLOAD_TOO_LARGE');
  });
}

/**
 * A caller past `rate` requests a minute gets 429 RATE_LIMITED with Retry-After (1 to 60 s, also in
 * the problem); the budget is the caller's, not the route's: its `write` to another route is
 * refused too, without being run; another caller is still served.
 */
function itLimitsEachCaller(
  app: SecurityApp,
  h: AppHandle,
  rate: number,
  read: { path: string; scope: string },
  write: Omit<Write, 'base'> & { body: unknown },
): void {
  it('limits each caller to RATE_LIMIT_PER_MINUTE: 429 RATE_LIMITED with Retry-After, others still served', async () => {
    const t = h.t();
    const get = (subject: string) =>
      http('GET', apiUrl(t, app, read.path), { token: t.token([read.scope], { subject }) });
    const statuses: number[] = [];
    for (let i = 0; i < rate; i++) statuses.push((await get('greedy-caller')).status);
    expect(statuses).toEqual(Array.from({ length: rate }, () => 200));
    const limited = await get('greedy-caller');
    const problem = expectProblem(limited, 429, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(problem.retryAfterSeconds).toBe(retryAfter);
    const before = await schemaCounts(t, app.schema);
    const writeLimited = await http(write.method, apiUrl(t, app, write.path), {
      token: t.token(write.scopes, { subject: 'greedy-caller' }),
      body: write.body,
    });
    expectProblem(writeLimited, 429, 'RATE_LIMITED');
    expect(await schemaCounts(t, app.schema)).toEqual(before);
    expect((await get('patient-caller')).status).toBe(200);
  });
}

describe('resource consumption', () => {
  describe('a system API (CRM, BODY_LIMIT_BYTES = 1 MiB by default)', () => {
    const h = useApp(APPS.crm);
    describeOneMiBLimit(APPS.crm, h, {
      method: 'POST',
      path: 'accounts',
      scopes: ['crm:read', 'crm:write'],
      base: { ...newAccount() },
    });
  });

  describe('the experience portal (1 MiB by default; a rate per caller)', () => {
    const RATE = 20;
    const app = APPS.portal;
    const h = useApp(app, { RATE_LIMIT_PER_MINUTE: String(RATE) });
    // An operator action: its body is refused before quote-to-cash (at a closed port) is asked.
    const retry = {
      method: 'POST',
      path: 'exceptions/00000000-0000-4000-8000-0000000000cc/retry',
      scopes: ['portal:operate'],
    };
    describeOneMiBLimit(app, h, { ...retry, base: { reason: 'fixed' } });
    // The audit log is read from the portal's own schema: 200 without any upstream.
    itLimitsEachCaller(
      app,
      h,
      RATE,
      { path: 'audit', scope: 'portal:read' },
      {
        ...retry,
        body: { reason: 'fixed' },
      },
    );
  });

  describe('usage to revenue (BODY_LIMIT_BYTES = 8 MiB, batches of 1 to 1,000 events)', () => {
    const RATE = 20;
    const h = useApp(APPS.u2r, { RATE_LIMIT_PER_MINUTE: String(RATE) });

    /** Each test calls as a caller of its own: the rate limit counts per token subject. */
    const ingest = (subject: string, raw: string): Promise<JsonResponse> =>
      http('POST', `${h.t().url}/u2r/v1/usage-events`, {
        token: h.t().token(['u2r:ingest'], { subject }),
        rawBody: raw,
      });
    const event = (i: number, padding = 0) => ({
      id: `evt-sec-${i}`,
      meterCode: 'api_calls',
      customerId: 'ACME-001',
      quantity: '1',
      timestamp: '2026-01-15T10:30:00Z',
      ...(padding > 0
        ? {
            properties: Object.fromEntries(
              ['a', 'b', 'c', 'd', 'e'].map((k) => [k, k.repeat(padding)]),
            ),
          }
        : {}),
    });

    it('runs with an 8 MiB body limit', () => {
      expect(h.t().config.BODY_LIMIT_BYTES).toBe(8 * MiB);
    });

    it('takes a batch of 1,000 events bigger than 1 MiB (it is not held to the system APIs’ limit)', async () => {
      const raw = JSON.stringify({
        events: Array.from({ length: 1000 }, (_, i) => event(i, 250)),
      });
      expect(Buffer.byteLength(raw)).toBeGreaterThan(MiB);
      const res = await ingest('big-batch', raw);
      expect(res.status).toBe(200);
      expect((res.body as { events: unknown[] }).events).toHaveLength(1000);
    });

    it('answers a body of 8 MiB + 1 byte with 413 PAYLOAD_TOO_LARGE and writes nothing', async () => {
      const before = await schemaCounts(h.t(), 'u2r');
      const raw = jsonOfSize(8 * MiB + 1, { events: [event(1)] });
      const res = await ingest('too-big', raw);
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
      expect(await schemaCounts(h.t(), 'u2r')).toEqual(before);
    });

    it('refuses a batch of 1,001 events whole (413 U2R_BATCH_TOO_LARGE) and writes none of it', async () => {
      const before = await schemaCounts(h.t(), 'u2r');
      const raw = JSON.stringify({
        events: Array.from({ length: 1001 }, (_, i) => event(10_000 + i)),
      });
      expect(Buffer.byteLength(raw)).toBeLessThan(MiB);
      const res = await ingest('too-many', raw);
      const problem = expectProblem(res, 413, 'U2R_BATCH_TOO_LARGE');
      expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/events' })]);
      expect(await schemaCounts(h.t(), 'u2r')).toEqual(before);
    });

    itLimitsEachCaller(
      APPS.u2r,
      h,
      RATE,
      { path: 'meters', scope: 'u2r:read' },
      {
        method: 'POST',
        path: 'usage-events',
        scopes: ['u2r:ingest'],
        body: { events: [event(99_999)] },
      },
    );
  });
});
