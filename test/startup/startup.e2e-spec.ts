import { ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createScratchDatabase } from '@revgate/persistence';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'apps', 'system-crm', 'src', 'main.ts');

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the CRM app as its own process, from source, exactly as `node main.js` would run it. */
function startCrm(env: Record<string, string>): Running {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', MAIN],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        TS_NODE_TRANSPILE_ONLY: 'true',
        TS_NODE_PROJECT: join(ROOT, 'tsconfig.jest.json'),
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => out, exited };
}

async function waitReady(port: number, run: Running): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (run.child.exitCode !== null) throw new Error(`app exited early:\n${run.output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`app not ready:\n${run.output()}`);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const randomPort = (base: number): number => base + Math.floor(Math.random() * 5000);

describe('starting and stopping an app', () => {
  it('refuses a bad configuration with one message naming the variable and what is expected', async () => {
    const run = startCrm({
      PORT: 'abc',
      DATABASE_URL: 'mysql://nope',
      REVGATE_DATA_DIR: '.revgate/never',
    });
    expect(await run.exited).toBe(78);
    expect(run.output()).toContain('system-crm cannot start. Invalid configuration:');
    expect(run.output()).toContain('PORT: must be an integer from 0 to 65535 (got "abc")');
    expect(run.output()).toContain('DATABASE_URL: must be a postgres:// URL');
  });

  it('serves on DATABASE_URL and shuts down gracefully on SIGTERM', async () => {
    const db = await createScratchDatabase(process.env.DATABASE_URL ?? '', 'revgate_startup');
    const port = randomPort(42000);
    const run = startCrm({
      DATABASE_URL: db.url,
      PORT: String(port),
      REVGATE_DATA_DIR: `.revgate/startup-${port}`,
    });
    try {
      await waitReady(port, run);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('SIGTERM received');
      expect(await portOpen(port)).toBe(false);
    } finally {
      run.child.kill('SIGKILL');
      await db.drop();
      rmSync(join(ROOT, `.revgate/startup-${port}`), { recursive: true, force: true });
    }
  });

  it('runs on the embedded PostgreSQL, keeps its data across restarts and stops it cleanly', async () => {
    const port = randomPort(47000);
    const pgPort = randomPort(56000);
    const dataDir = `.revgate/embedded-${pgPort}`;
    const env = { PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), REVGATE_DATA_DIR: dataDir };
    try {
      const first = startCrm(env);
      await waitReady(port, first);
      const tokenRes = await fetch(`http://127.0.0.1:${port}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=revgate-dev&client_secret=revgate-dev-secret',
      });
      const { access_token: token } = (await tokenRes.json()) as { access_token: string };
      const seeded = (await (
        await fetch(`http://127.0.0.1:${port}/crm/v1/accounts`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { data: unknown[] };
      expect(seeded.data.length).toBeGreaterThan(0); // the demo data set of the embedded default
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(await portOpen(pgPort)).toBe(false);

      const second = startCrm(env);
      await waitReady(port, second);
      // The same key signs and verifies after a restart, and the data is still there (not seeded twice).
      const again = (await (
        await fetch(`http://127.0.0.1:${port}/crm/v1/accounts`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { data: unknown[] };
      expect(again.data).toHaveLength(seeded.data.length);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(await portOpen(pgPort)).toBe(false);
    } finally {
      rmSync(join(ROOT, dataDir), { recursive: true, force: true });
    }
    // Two starts of an embedded PostgreSQL (initdb the first time): over a minute on a loaded
    // 2-core machine.
  }, 180_000);
});
