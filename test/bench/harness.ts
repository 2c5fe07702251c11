import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { createHistogram, performance } from 'node:perf_hooks';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import {
  createScratchDatabase,
  startEmbeddedPostgres,
} from '../../libs/persistence/src/embedded-postgres';

export const ROOT = join(__dirname, '..', '..');

export interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  /** e.g. ">= 500" */
  target?: string;
  met?: boolean;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  return port;
}

/** A PostgreSQL server for the run: DATABASE_URL's, or an embedded one of the bench's own. */
export async function benchDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (base) {
    const db = await createScratchDatabase(base, 'revgate_bench');
    return { url: db.url, stop: db.drop };
  }
  const server = await startEmbeddedPostgres({
    dataDir: '.revgate/bench-postgres',
    port: 54338,
    database: 'revgate_bench',
  });
  const db = await createScratchDatabase(server.url, 'revgate_bench');
  return {
    url: db.url,
    stop: async () => {
      await db.drop();
      await server.stop();
    },
  };
}

export interface RunningApp {
  url: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** Starts a built app (dist/apps/<name>/main.js) as its own process, as production runs it. */
export async function startBuiltApp(
  name: string,
  env: Record<string, string>,
): Promise<RunningApp> {
  const port = await freePort();
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of each app there when it stops.
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const child = spawn(process.execPath, [...profile, join(ROOT, 'dist', 'apps', name, 'main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) break;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  /** Requests answered in the run. */
  requests: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** Drives a URL from this process with autocannon (the server runs in another process). */
export async function load(options: {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
  /** Requests per second to hold (fixed-rate run) instead of as many as possible. */
  overallRate?: number;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    connections: options.connections,
    duration: options.durationSeconds,
    overallRate: options.overallRate,
  });
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** USER_HZ: what Linux counts /proc's CPU times in (100 on every mainstream architecture). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) a process has used so far, from Linux's /proc; undefined elsewhere.
 * Its difference over a run, divided by the requests served, is the app's CPU per request: a figure
 * that, unlike throughput or latency, hardly moves with what else runs on the machine.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  const stat = `/proc/${pid ?? 0}/stat`;
  if (pid === undefined || !existsSync(stat)) return undefined;
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(stat, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Runs `work` over `items` with `concurrency` workers; returns the seconds it took. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++];
        await work(item);
      }
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** A token of the development issuer's revgate-dev client (every scope). */
export async function devToken(url: string): Promise<string> {
  const res = await fetch(`${url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=revgate-dev&client_secret=revgate-dev-secret',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/**
 * Holds `rate` requests/s for `durationSeconds`, evenly spaced (an open model: a request is sent at
 * its planned time whether or not earlier ones have answered), on up to `connections` kept-alive
 * connections. Latency counts from the planned send time, so a stalled server or a late generator
 * shows in the figures instead of being omitted. autocannon's `overallRate` is not this: each
 * connection sends its share of a second back to back when the second starts, then waits, so its
 * "fixed rate" is a burst at full speed each second and its percentiles measure the burst's drain.
 */
export async function steadyLoad(options: {
  url: string;
  headers?: Record<string, string>;
  rate: number;
  durationSeconds: number;
  connections: number;
}): Promise<LoadResult & { maxMs: number; sent: number; maxSendLagMs: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const histogram = createHistogram();
  const total = Math.round(options.rate * options.durationSeconds);
  const interval = 1000 / options.rate;
  let sent = 0;
  let answered = 0;
  let errors = 0;
  let non2xx = 0;
  // How late the generator itself sent a request (its own pauses), to tell them from the server's.
  let maxSendLagMs = 0;
  const start = performance.now() + 5;
  const done = new Promise<void>((resolve) => {
    const settle = (): void => {
      answered += 1;
      if (answered === total) resolve();
    };
    const send = (plannedAt: number): void => {
      const req = httpRequest(options.url, { agent, headers: options.headers }, (res) => {
        res.resume();
        res.on('end', () => {
          histogram.record(Math.max(1, Math.round((performance.now() - plannedAt) * 1000)));
          if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx += 1;
          settle();
        });
      });
      req.on('error', () => {
        errors += 1;
        settle();
      });
      req.end();
    };
    const ticker = setInterval(() => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        maxSendLagMs = Math.max(maxSendLagMs, now - (start + sent * interval));
        send(start + sent * interval);
        sent += 1;
      }
      if (sent === total) clearInterval(ticker);
    }, 1);
  });
  await done;
  const elapsedSeconds = (performance.now() - start) / 1000;
  agent.destroy();
  return {
    // Achieved: below `rate` when the server falls behind (the last answers come late).
    requestsPerSecond: total / elapsedSeconds,
    requests: total,
    p50Ms: histogram.percentile(50) / 1000,
    p99Ms: histogram.percentile(99) / 1000,
    maxMs: histogram.max / 1000,
    errors,
    non2xx,
    sent,
    maxSendLagMs,
  };
}
