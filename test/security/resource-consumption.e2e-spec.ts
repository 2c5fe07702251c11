import { request as httpRequest } from 'node:http';
import type { BaseConfig } from '@revgate/platform';
import { newAccount } from '../support/crm';
import {
  expectProblem,
  http,
  type JsonResponse,
  startTestApp,
  type TestApp,
} from '../support/test-app';
import { APPS, schemaCounts } from './support/apps';

/**
 * Check 3, unrestricted resource consumption: bodies over the app's limit (1 MiB on a system API,
 * 8 MiB on usage to revenue, whose batches are big) are cut off with 413 PAYLOAD_TOO_LARGE — also
 * when they come chunked, without a Content-Length — before anything is written; a usage batch of
 * more than 1,000 events is refused whole; and a caller past its rate gets 429 RATE_LIMITED with
 * Retry-After while another caller is still served.
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

describe('resource consumption', () => {
  describe('a system API (CRM, BODY_LIMIT_BYTES = 1 MiB by default)', () => {
    let t: TestApp<BaseConfig>;
    let rw: string;
    beforeAll(async () => {
      t = await startTestApp(APPS.crm.spec, APPS.crm.env);
      rw = t.token(['crm:read', 'crm:write']);
    }, 120_000);
    afterAll(async () => {
      await t.close();
    });

    it('runs with a 1 MiB body limit', () => {
      expect(t.config.BODY_LIMIT_BYTES).toBe(MiB);
    });

    it('answers a body of 1 MiB + 1 byte with 413 PAYLOAD_TOO_LARGE and writes nothing', async () => {
      const before = await schemaCounts(t, 'crm');
      const raw = jsonOfSize(MiB + 1, { ...newAccount() });
      expect(Buffer.byteLength(raw)).toBe(MiB + 1);
      const res = await http('POST', `${t.url}/crm/v1/accounts`, { token: rw, rawBody: raw });
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
      expect(await schemaCounts(t, 'crm')).toEqual(before);
    });

    it('reads a body of exactly 1 MiB (the limit is not off by one): its unknown field is a 400', async () => {
      const before = await schemaCounts(t, 'crm');
      const raw = jsonOfSize(MiB, { ...newAccount() });
      const res = await http('POST', `${t.url}/crm/v1/accounts`, { token: rw, rawBody: raw });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(await schemaCounts(t, 'crm')).toEqual(before);
    });

    it('cuts off a chunked body without Content-Length once it passes the limit', async () => {
      const before = await schemaCounts(t, 'crm');
      const res = await sendChunked(`${t.url}/crm/v1/accounts`, rw, 3 * MiB);
      expect(res.status).toBe(413);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      expect((JSON.parse(res.body) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
      expect(await schemaCounts(t, 'crm')).toEqual(before);
    });

    it('refuses an oversized body from a caller without a token the same way (it is not read)', async () => {
      const res = await http('POST', `${t.url}/crm/v1/accounts`, {
        rawBody: jsonOfSize(2 * MiB),
      });
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('usage to revenue (BODY_LIMIT_BYTES = 8 MiB, batches of 1 to 1,000 events)', () => {
    let t: TestApp<BaseConfig>;
    const RATE = 20;
    beforeAll(async () => {
      t = await startTestApp(APPS.u2r.spec, {
        ...APPS.u2r.env,
        RATE_LIMIT_PER_MINUTE: String(RATE),
      });
    }, 120_000);
    afterAll(async () => {
      await t.close();
    });

    /** Each test calls as a caller of its own: the rate limit counts per token subject. */
    const ingest = (subject: string, raw: string): Promise<JsonResponse> =>
      http('POST', `${t.url}/u2r/v1/usage-events`, {
        token: t.token(['u2r:ingest'], { subject }),
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
      expect(t.config.BODY_LIMIT_BYTES).toBe(8 * MiB);
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
      const before = await schemaCounts(t, 'u2r');
      const raw = jsonOfSize(8 * MiB + 1, { events: [event(1)] });
      const res = await ingest('too-big', raw);
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
      expect(await schemaCounts(t, 'u2r')).toEqual(before);
    });

    it('refuses a batch of 1,001 events whole (413 U2R_BATCH_TOO_LARGE) and writes none of it', async () => {
      const before = await schemaCounts(t, 'u2r');
      const raw = JSON.stringify({
        events: Array.from({ length: 1001 }, (_, i) => event(10_000 + i)),
      });
      expect(Buffer.byteLength(raw)).toBeLessThan(MiB);
      const res = await ingest('too-many', raw);
      const problem = expectProblem(res, 413, 'U2R_BATCH_TOO_LARGE');
      expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/events' })]);
      expect(await schemaCounts(t, 'u2r')).toEqual(before);
    });

    it('limits each caller to RATE_LIMIT_PER_MINUTE: 429 RATE_LIMITED with Retry-After, others still served', async () => {
      const greedy = t.token(['u2r:read'], { subject: 'greedy-caller' });
      const statuses: number[] = [];
      for (let i = 0; i < RATE; i++)
        statuses.push((await http('GET', `${t.url}/u2r/v1/meters`, { token: greedy })).status);
      expect(statuses).toEqual(Array.from({ length: RATE }, () => 200));
      const limited = await http('GET', `${t.url}/u2r/v1/meters`, { token: greedy });
      const problem = expectProblem(limited, 429, 'RATE_LIMITED');
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(problem.retryAfterSeconds).toBe(retryAfter);
      // The budget is the caller's, not the route's: a write to another route is refused too,
      // without being run.
      const before = await schemaCounts(t, 'u2r');
      const ingestLimited = await http('POST', `${t.url}/u2r/v1/usage-events`, {
        token: t.token(['u2r:ingest'], { subject: 'greedy-caller' }),
        body: { events: [event(99_999)] },
      });
      expectProblem(ingestLimited, 429, 'RATE_LIMITED');
      expect(await schemaCounts(t, 'u2r')).toEqual(before);
      const other = t.token(['u2r:read'], { subject: 'patient-caller' });
      expect((await http('GET', `${t.url}/u2r/v1/meters`, { token: other })).status).toBe(200);
    });
  });
});
