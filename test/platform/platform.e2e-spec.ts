import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseConfig, writeOpenApi } from '@revgate/platform';
import { crmApp } from '../../apps/system-crm/src/crm.app';
import type { CrmConfig } from '../../apps/system-crm/src/crm.config';
import { newAccount } from '../support/crm';
import { expectProblem, http, startTestApp, TestApp, waitForLog } from '../support/test-app';
import { PROBE_SECRET, probeApp } from './probe.app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('platform (e2e)', () => {
  let t: TestApp<CrmConfig>;
  let accounts: string;
  let bootLogs: Record<string, unknown>[];

  beforeAll(async () => {
    t = await startTestApp(crmApp);
    accounts = `${t.url}/crm/v1/accounts`;
    bootLogs = [...t.logs];
  });
  afterAll(async () => {
    await t.close();
  });

  it('starts without warnings', () => {
    expect(bootLogs.length).toBeGreaterThan(0);
    expect(bootLogs.filter((l) => Number(l.level) >= 40)).toEqual([]);
  });

  describe('correlation id', () => {
    it("echoes a caller's id, logs every line of the request with it, and puts it in problems", async () => {
      const id = `it-correlation-${Date.now()}`;
      const ok = await http('GET', accounts, {
        token: t.token(['crm:read']),
        headers: { 'x-correlation-id': id },
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-correlation-id')).toBe(id);
      const completed = await waitForLog(
        t.logs,
        (l) => l.correlationId === id && l.msg === 'request completed',
      );
      expect(completed).toMatchObject({ req: { method: 'GET', url: '/crm/v1/accounts' } });

      const problemId = `${id}-problem`;
      const denied = await http('GET', accounts, { headers: { 'x-correlation-id': problemId } });
      expect(denied.headers.get('x-correlation-id')).toBe(problemId);
      expect(expectProblem(denied, 401, 'AUTH_TOKEN_MISSING').correlationId).toBe(problemId);
      expect(await waitForLog(t.logs, (l) => l.correlationId === problemId)).toBeDefined();
    });

    it('logs requests outside the base path and to unknown routes under it with their id too', async () => {
      for (const path of ['/auth/jwks.json', '/crm/v1/unknown-route']) {
        const id = `outside-${path.replace(/\W/g, '')}-${Date.now()}`;
        const res = await http('GET', `${t.url}${path}`, { headers: { 'x-correlation-id': id } });
        expect(res.headers.get('x-correlation-id')).toBe(id);
        const line = await waitForLog(
          t.logs,
          (l) => l.correlationId === id && l.msg === 'request completed',
        );
        expect({ path, logged: line !== undefined }).toEqual({ path, logged: true });
      }
    });

    it('makes a UUID when the caller sends none', async () => {
      const res = await http('GET', `${t.url}/health/live`);
      expect(res.headers.get('x-correlation-id')).toMatch(UUID);
      const problem = await http('GET', accounts);
      expect(problem.headers.get('x-correlation-id')).toMatch(UUID);
      expect((problem.body as { correlationId?: string }).correlationId).toBe(
        problem.headers.get('x-correlation-id'),
      );
    });

    it.each([
      ['with spaces', 'not safe at all'],
      ['of 300 characters', 'c'.repeat(300)],
      ['with a quote', 'abc"def'],
    ])('replaces an unsafe id %s with a UUID, everywhere', async (_label, unsafe) => {
      const res = await http('GET', accounts, { headers: { 'x-correlation-id': unsafe } });
      const replaced = res.headers.get('x-correlation-id');
      expect(replaced).toMatch(UUID);
      expect(expectProblem(res, 401, 'AUTH_TOKEN_MISSING').correlationId).toBe(replaced);
      expect(await waitForLog(t.logs, (l) => l.correlationId === replaced)).toBeDefined();
      expect(JSON.stringify(t.logs)).not.toContain(JSON.stringify(unsafe).slice(1, -1));
    });
  });

  describe('request errors', () => {
    it('answers 413 PAYLOAD_TOO_LARGE to a body over 1 MiB, and writes nothing', async () => {
      const legalName = `Huge ${'x'.repeat(1024 * 1024)}`;
      const res = await http('POST', accounts, {
        token: t.token(['crm:write']),
        body: newAccount({ legalName }),
      });
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
      expect(await t.sql(`select 1 from crm.accounts where legal_name like 'Huge %'`)).toHaveLength(
        0,
      );
    });

    it('accepts a body just under the limit as far as the size goes', async () => {
      const res = await http('POST', accounts, {
        token: t.token(['crm:write']),
        body: newAccount({ legalName: 'y'.repeat(1000 * 1000) }),
      });
      expectProblem(res, 400, 'VALIDATION_FAILED'); // legalName is too long, but the body was read
    });

    it('answers 400 MALFORMED_REQUEST to malformed JSON', async () => {
      const res = await http('POST', accounts, {
        token: t.token(['crm:write']),
        rawBody: '{"legalName": "Broken",',
      });
      const problem = expectProblem(res, 400, 'MALFORMED_REQUEST');
      expect(problem.instance).toBe('/crm/v1/accounts');
    });

    it('answers 415 UNSUPPORTED_MEDIA_TYPE to a body that is not JSON', async () => {
      const res = await http('POST', accounts, {
        token: t.token(['crm:write']),
        rawBody: '<account/>',
        headers: { 'content-type': 'application/xml' },
      });
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers 404 ROUTE_NOT_FOUND as problem+json to an unknown route', async () => {
      const res = await http('GET', `${t.url}/crm/v1/no-such-thing?x=1`, {
        token: t.token(['crm:read']),
      });
      const problem = expectProblem(res, 404, 'ROUTE_NOT_FOUND');
      expect(problem.instance).toBe('/crm/v1/no-such-thing');
      expect(problem.detail).toContain('/crm/v1/no-such-thing');
      expectProblem(
        await http('DELETE', accounts, { token: t.token(['crm:write']) }),
        404,
        'ROUTE_NOT_FOUND',
      );
    });
  });

  describe('health', () => {
    it('serves /health/live without a token', async () => {
      const res = await http('GET', `${t.url}/health/live`);
      expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
    });

    it('serves /health/ready without a token, with the database up', async () => {
      const res = await http<{ status: string; info: Record<string, { status: string }> }>(
        'GET',
        `${t.url}/health/ready`,
      );
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.info.database).toEqual({ status: 'up' });
    });

    it('keeps the health checks out of the request log', async () => {
      const id = `health-probe-${Date.now()}`;
      await http('GET', `${t.url}/health/live`, { headers: { 'x-correlation-id': id } });
      await http('GET', `${t.url}/health/ready`, { headers: { 'x-correlation-id': id } });
      // A request logged after them proves their lines would have been written by now.
      const marker = `${id}-marker`;
      await http('GET', `${t.url}/auth/jwks.json`, { headers: { 'x-correlation-id': marker } });
      expect(await waitForLog(t.logs, (l) => l.correlationId === marker)).toBeDefined();
      expect(t.logs.filter((l) => l.correlationId === id)).toEqual([]);
    });
  });

  describe('metrics', () => {
    const metricsUrl = (): string => `${t.url}/metrics`;

    it('needs a token with metrics:read', async () => {
      expectProblem(await http('GET', metricsUrl()), 401, 'AUTH_TOKEN_MISSING');
      const problem = expectProblem(
        await http('GET', metricsUrl(), { token: t.token(['crm:read']) }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expect(problem.detail).toContain('metrics:read');
    });

    it('reports request latency by route template, not by raw path', async () => {
      const token = t.token(['crm:read', 'metrics:read']);
      expect((await http('GET', `${accounts}?limit=5`, { token })).status).toBe(200);
      const unknownPath = `/crm/v1/not-a-route-${Date.now()}`;
      expect((await http('GET', `${t.url}${unknownPath}`, { token })).status).toBe(404);

      const res = await fetch(metricsUrl(), { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      const buckets = text
        .split('\n')
        .filter((l) => l.startsWith('http_request_duration_seconds_bucket{'));
      expect(
        buckets.some(
          (l) =>
            l.includes('route="/crm/v1/accounts"') &&
            l.includes('method="GET"') &&
            l.includes('status_code="200"'),
        ),
      ).toBe(true);
      expect(
        buckets.some(
          (l) =>
            l.includes('route="/crm/v1/accounts/:id"') || l.includes('route="/crm/v1/accounts"'),
        ),
      ).toBe(true);
      expect(text).not.toContain(unknownPath);
      expect(text).toMatch(/process_cpu_user_seconds_total\{app="system-crm"\}/);
    });
  });

  describe('OpenAPI', () => {
    it('serves an OpenAPI 3 document of the app at /crm/v1/docs-json without a token', async () => {
      const res = await http<{
        openapi: string;
        info: { title: string };
        paths: Record<string, unknown>;
        components: { securitySchemes?: Record<string, unknown> };
      }>('GET', `${t.url}/crm/v1/docs-json`);
      expect(res.status).toBe(200);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(res.body.info.title).toBe(crmApp.title);
      const paths = Object.keys(res.body.paths);
      expect(paths).toEqual(expect.arrayContaining(['/crm/v1/accounts', '/crm/v1/accounts/{id}']));
      const outside = paths.filter((p) => !p.startsWith('/crm/v1/'));
      expect(outside.sort()).toEqual([
        '/auth/jwks.json',
        '/auth/token',
        '/health/live',
        '/health/ready',
        '/metrics',
      ]);
      expect(Object.keys(res.body.components.securitySchemes ?? {}).length).toBeGreaterThan(0);
    });

    it('writes the same document without starting the app (npm run openapi)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'revgate-openapi-'));
      try {
        const file = join(dir, 'crm.json');
        await writeOpenApi(crmApp, file);
        const written = JSON.parse(readFileSync(file, 'utf8')) as {
          paths: Record<string, unknown>;
        };
        const served = await http<{ paths: Record<string, unknown> }>(
          'GET',
          `${t.url}/crm/v1/docs-json`,
        );
        expect(Object.keys(written.paths).sort()).toEqual(Object.keys(served.body.paths).sort());
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe('unexpected errors (e2e)', () => {
  let probe: TestApp<BaseConfig>;

  beforeAll(async () => {
    probe = await startTestApp(probeApp);
  });
  afterAll(async () => {
    await probe.close();
  });

  it('binds the correlation id to the whole request, for outbound calls and events', async () => {
    const res = await http('GET', `${probe.url}/probe/v1/context`, {
      headers: { 'x-correlation-id': 'ctx-42' },
    });
    expect(res).toMatchObject({
      status: 200,
      body: { correlationId: 'ctx-42', outbound: { 'x-correlation-id': 'ctx-42' } },
    });
    const generated = await http<{ correlationId: string }>('GET', `${probe.url}/probe/v1/context`);
    expect(generated.body.correlationId).toMatch(UUID);
    expect(generated.body.correlationId).toBe(generated.headers.get('x-correlation-id'));
  });

  it.each(['throw', 'reject', 'status-400'])(
    'answers 500 INTERNAL_ERROR with an errorId, and no internals, to /fail/%s',
    async (route) => {
      const correlationId = `probe-${route}-${Date.now()}`;
      const res = await http('GET', `${probe.url}/probe/v1/fail/${route}`, {
        headers: { 'x-correlation-id': correlationId },
      });
      const problem = expectProblem(res, 500, 'INTERNAL_ERROR');
      expect(problem.errorId).toMatch(UUID);
      expect(problem.correlationId).toBe(correlationId);
      expect(problem.detail).toContain(String(problem.errorId));
      const text = JSON.stringify(problem);
      for (const leak of [
        PROBE_SECRET,
        'boom secret',
        'hunter2',
        '/srv/revgate',
        'TypeError',
        'stack',
        '.ts:',
      ])
        expect(text).not.toContain(leak);

      // Support finds the details by the errorId in the logs.
      const logged = probe.logs.find((l) => l.errorId === problem.errorId);
      expect(logged).toBeDefined();
      expect(logged?.correlationId).toBe(correlationId);
      expect(JSON.stringify(logged)).toContain(PROBE_SECRET);
    },
  );
});
