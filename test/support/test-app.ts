import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppSpec, BaseConfig, createApp, loadConfig } from '@revgate/platform';
import { createScratchDatabase } from '@revgate/persistence';
import { DevIssuerService } from '@revgate/auth';

export interface TokenOptions {
  subject?: string;
  legalEntities?: string[];
  customerId?: string;
  ttlSeconds?: number;
}

export interface TestApp<C extends BaseConfig> {
  app: NestFastifyApplication;
  config: C;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Every JSON log line the app wrote. */
  logs: Record<string, unknown>[];
  /** A real RS256 token from the app's development issuer. */
  token(scopes: string[], options?: TokenOptions): string;
  /** Runs SQL on the app's own scratch database (for "nothing was written" checks). */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * Boots an app exactly as main.ts does (same bootstrap, real Fastify on a loopback port, real
 * migrations) on a scratch database of the test server, with its own key folder.
 */
export async function startTestApp<C extends BaseConfig>(
  spec: AppSpec<C>,
  env: Record<string, string> = {},
): Promise<TestApp<C>> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error('DATABASE_URL is not set: the global setup should have set it');
  const db = await createScratchDatabase(baseUrl, 'revgate_t');
  const dataDir = mkdtempSync(join(tmpdir(), 'revgate-test-'));
  const config = loadConfig(spec.config, {
    DATABASE_URL: db.url,
    REVGATE_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    // Suites send bursts from one caller; the rate-limit test sets its own limit.
    RATE_LIMIT_PER_MINUTE: '0',
    // Suites run relay cycles themselves (OutboxRelay.runOnce) instead of waiting for the timer.
    OUTBOX_RELAY_ENABLED: 'false',
    PORT: '0',
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) {
          try {
            logs.push(JSON.parse(line) as Record<string, unknown>);
          } catch {
            logs.push({ raw: line });
          }
        }
      }
      done();
    },
  });
  const app = await createApp(spec, config, { logStream });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const sqlClient = new Client({ connectionString: db.url });
  await sqlClient.connect();
  let closed = false;
  return {
    app,
    config,
    url: `http://127.0.0.1:${port}`,
    logs,
    token: (scopes, options = {}) =>
      app.get(DevIssuerService).sign({
        subject: options.subject ?? 'test-client',
        scopes,
        legalEntities: options.legalEntities,
        customerId: options.customerId,
        ttlSeconds: options.ttlSeconds,
      }).access_token,
    sql: async <T>(text: string, params: unknown[] = []) =>
      (await sqlClient.query(text, params)).rows as T[],
    close: async () => {
      if (closed) return;
      closed = true;
      await sqlClient.end();
      await app.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Real HTTP with JSON in and out. */
export async function http<T = Record<string, unknown>>(
  method: string,
  url: string,
  options: {
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
    rawBody?: string;
    form?: Record<string, string>;
  } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.form !== undefined) {
    body = new URLSearchParams(options.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (options.rawBody !== undefined) {
    body = options.rawBody;
    headers['content-type'] ??= 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** Asserts an RFC 9457 problem with the given status and code, and returns it. */
export function expectProblem(
  res: JsonResponse,
  status: number,
  code: string,
): Record<string, unknown> {
  expect({ status: res.status, code: (res.body as { code?: string }).code }).toEqual({
    status,
    code,
  });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = res.body as Record<string, unknown>;
  expect(problem).toMatchObject({ status, code, type: `urn:revgate:problem:${code}` });
  expect(typeof problem.detail).toBe('string');
  expect(typeof problem.correlationId).toBe('string');
  return problem;
}

/**
 * The first log line matching `predicate`, waiting briefly for it: the request logger writes its
 * line when the response has finished, which may be just after the client has read it.
 */
export async function waitForLog(
  logs: Record<string, unknown>[],
  predicate: (line: Record<string, unknown>) => boolean,
  timeoutMs = 5000,
): Promise<Record<string, unknown> | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = logs.find(predicate);
    if (line || Date.now() > deadline) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
