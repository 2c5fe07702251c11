import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The newest modification time of the TypeScript sources under these folders. */
function newestSource(folders: string[]): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const folder of folders) if (existsSync(folder)) walk(folder);
  return newest;
}

/**
 * How to run the app: its build when there is one newer than every source it is made of (it
 * starts in a second or two), else its sources through ts-node (no build needed, slower to start).
 */
function entryOf(name: string): string[] {
  const built = join(ROOT, 'dist', 'apps', name, 'main.js');
  if (
    existsSync(built) &&
    statSync(built).mtimeMs > newestSource([join(ROOT, 'apps', name, 'src'), join(ROOT, 'libs')])
  )
    return [built];
  return [
    '-r',
    'ts-node/register',
    '-r',
    'tsconfig-paths/register',
    join(ROOT, 'apps', name, 'src', 'main.ts'),
  ];
}

export interface ProcessApp {
  url: string;
  child: ChildProcess;
  /** Every line it wrote to stdout and stderr. */
  output: string[];
  /** Ends it the hard way (SIGKILL): no shutdown hook runs, as in a crash. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** A TCP port free on loopback now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  return port;
}

/**
 * Runs an app in a process of its own (its up-to-date build, or its sources through ts-node with
 * the monorepo's path aliases), on a port of its own, and waits until it is ready: for tests that
 * kill an app. No build is needed, unlike test/bench's startBuiltApp.
 */
export async function startProcessApp(
  name: string,
  env: Record<string, string>,
  port?: number,
): Promise<ProcessApp> {
  const listen = port ?? (await freePort());
  const child = spawn(process.execPath, entryOf(name), {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      TS_NODE_TRANSPILE_ONLY: 'true',
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      LOG_LEVEL: 'warn',
      PORT: String(listen),
      RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer): void => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const url = `http://127.0.0.1:${listen}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with ${child.exitCode}: ${output.slice(-20).join('\n')}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} was not ready in 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const exited = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = once(child, 'exit');
    child.kill(signal);
    await gone;
  };
  return { url, child, output, kill: () => exited('SIGKILL'), stop: () => exited('SIGTERM') };
}
