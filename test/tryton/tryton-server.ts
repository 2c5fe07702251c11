/**
 * A real Tryton 6.0 server on loopback for the tests that need one.
 *
 * - Installs Tryton from Debian's packages (scripts/tryton/install.sh) when it is missing, and fails
 *   with the command to run when it cannot: a Tryton test never passes without Tryton.
 * - Builds a ready database once per machine and keeps it as a template: trytond-admin (schema and
 *   modules), then test/tryton/setup-database.ts over JSON-RPC. The template's name carries a hash of
 *   the files that shape it (this file, the setup, the RPC client, the ledger), the trytond version and the
 *   fiscal years, so a change to any of them builds a new one.
 * - Each startTrytonServer() copies the template to a database of its own and serves it with trytond
 *   on a free port of 127.0.0.1 (port 0: the system picks it, trytond prints it); stop() ends the
 *   server and drops the copy.
 *
 * Backend: SQLite by default (TRYTON_TEST_BACKEND=sqlite): trytond-admin takes ~8 s there against
 * ~2 min on PostgreSQL, where Tryton 6.0 introspects every table through information_schema, and a
 * copy is a file copy. TRYTON_TEST_BACKEND=postgresql runs the same tests on PostgreSQL (template
 * database, copies made with CREATE DATABASE … TEMPLATE) at TRYTON_TEST_PG_URI
 * (default postgresql://postgres@127.0.0.1:5432/). See scripts/tryton/NOTES.md for the timings.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { TrytonRpcClient } from '../../apps/system-erp/src/providers/tryton/tryton-rpc.client';
import { defaultYears, setupDatabase } from './setup-database';

const run = promisify(execFile);

export const ROOT = join(__dirname, '..', '..');
const CACHE = join(ROOT, '.revgate', 'tryton');
/** PostgreSQL templates are shared by every checkout on the machine: each sweeps only its own. */
const CHECKOUT = createHash('sha256').update(ROOT).digest('hex').slice(0, 6);
const TRYTOND = '/usr/bin/trytond';
const TRYTOND_ADMIN = '/usr/bin/trytond-admin';
const MODULES = [
  'party',
  'company',
  'currency',
  'product',
  'account',
  'account_invoice',
  'account_product',
];
export const ADMIN_LOGIN = 'admin';
/** Tryton 6.0's password policy wants >= 8 characters, 75 % of them distinct. */
export const ADMIN_PASSWORD = 'revgate-admin-pw';
const SHAPING_FILES = [
  join(__dirname, 'tryton-server.ts'),
  join(__dirname, 'setup-database.ts'),
  join(ROOT, 'apps/system-erp/src/providers/tryton/tryton-rpc.client.ts'),
  join(ROOT, 'apps/system-erp/src/providers/tryton/tryton-rpc.codec.ts'),
  join(ROOT, 'apps/system-erp/src/providers/tryton/tryton-ledger.ts'),
  join(ROOT, 'apps/system-erp/src/providers/tryton/tryton-ledger.mapping.ts'),
];

export type TrytonBackend = 'sqlite' | 'postgresql';

export interface TrytonServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly database: string;
  readonly login: string;
  readonly password: string;
  readonly backend: TrytonBackend;
  /** The server's log (one line per request with -v). */
  readonly logFile: string;
  /** A client logged in as admin, ready for use. */
  client(options?: { timeoutMs?: number }): TrytonRpcClient;
  stop(): Promise<void>;
}

export interface TemplateInfo {
  readonly backend: TrytonBackend;
  /** The template file (sqlite) or database name (postgresql). */
  readonly template: string;
  /** True when this call built it. */
  readonly built: boolean;
  readonly seconds: number;
}

export function trytonBackend(): TrytonBackend {
  const value = process.env.TRYTON_TEST_BACKEND ?? 'sqlite';
  if (value !== 'sqlite' && value !== 'postgresql') {
    throw new Error(`TRYTON_TEST_BACKEND must be sqlite or postgresql, not ${value}`);
  }
  return value;
}

function pgUri(): string {
  return process.env.TRYTON_TEST_PG_URI ?? 'postgresql://postgres@127.0.0.1:5432/';
}

/** Installs Tryton when it is missing; throws with the command to run when that fails. */
export async function ensureTrytonInstalled(): Promise<void> {
  const needed = [
    TRYTOND,
    TRYTOND_ADMIN,
    '/usr/lib/python3/dist-packages/trytond/modules/account_invoice',
    '/usr/lib/python3/dist-packages/trytond/modules/account_product',
    '/usr/lib/python3/dist-packages/psycopg2',
  ];
  if (needed.every((path) => existsSync(path))) return;
  const script = join(ROOT, 'scripts/tryton/install.sh');
  try {
    await run('bash', [script], { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string; code?: unknown };
    throw new Error(
      `Tryton 6.0 is not installed and ${script} failed (${String(output.code)}).\n` +
        `Install it as root, then run the tests again:  sudo bash scripts/tryton/install.sh\n` +
        `${output.stderr ?? ''}${output.stdout ?? ''}`.slice(0, 4000),
    );
  }
  const still = needed.filter((path) => !existsSync(path));
  if (still.length > 0) {
    throw new Error(`scripts/tryton/install.sh ran but ${still.join(', ')} is still missing`);
  }
}

async function trytondVersion(): Promise<string> {
  const { stdout } = await run(TRYTOND, ['--version']);
  return stdout.trim();
}

/** The template's key: whatever shapes the database. */
async function templateKey(backend: TrytonBackend): Promise<string> {
  const hash = createHash('sha256');
  for (const file of SHAPING_FILES) hash.update(readFileSync(file));
  hash.update(await trytondVersion());
  hash.update(MODULES.join(','));
  hash.update(defaultYears().join(','));
  hash.update(backend);
  return `${defaultYears()[0]}_${hash.digest('hex').slice(0, 12)}`;
}

export interface ServerOptions {
  /** [session] timeout: seconds a session stays fresh for methods such as post (default 300). */
  readonly sessionTimeout?: number;
  /** [session] max_attempt: failed logins before 429 (default 5). */
  readonly maxAttempt?: number;
}

function writeConfig(
  dir: string,
  port: number,
  backend: TrytonBackend,
  options: ServerOptions = {},
): string {
  mkdirSync(join(dir, 'data'), { recursive: true });
  mkdirSync(join(dir, 'www'), { recursive: true });
  const conf = join(dir, 'trytond.conf');
  const uri = backend === 'sqlite' ? 'sqlite://' : pgUri();
  writeFileSync(
    conf,
    [
      '[database]',
      `uri = ${uri}`,
      `path = ${join(dir, 'data')}`,
      'language = en',
      '',
      '[web]',
      `listen = 127.0.0.1:${port}`,
      `root = ${join(dir, 'www')}`,
      '',
      '[session]',
      `timeout = ${options.sessionTimeout ?? 300}`,
      `max_attempt = ${options.maxAttempt ?? 5}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'admin.pass'), `${ADMIN_PASSWORD}\n`, { mode: 0o600 });
  return conf;
}

async function withPg<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${pgUri().replace(/\/+$/, '')}/postgres` });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function pgDatabaseExists(name: string): Promise<boolean> {
  return withPg(async (pg) => {
    const result = await pg.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return (result.rowCount ?? 0) > 0;
  });
}

async function dropPgDatabase(name: string): Promise<void> {
  await withPg(async (pg) => {
    await pg.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  });
}

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

/** Runs trytond on `dir`'s config for `database` and waits until admin can log in. */
async function serve(
  dir: string,
  database: string,
  backend: TrytonBackend,
  options?: ServerOptions,
): Promise<Served> {
  const logFile = join(dir, 'trytond.log');
  // Port 0: the system gives a free port (no race with another process picking the same one), and
  // werkzeug prints it: " * Running on http://127.0.0.1:<port>".
  const conf = writeConfig(dir, 0, backend, options);
  const child = spawn(TRYTOND, ['-v', '-c', conf, '-d', database], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let port: number | undefined;
  const onOutput = (chunk: Buffer): void => {
    appendFileSync(logFile, chunk);
    if (port !== undefined) return;
    output += chunk.toString();
    const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
    if (match) port = Number(match[1]);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const ready = await waitReady(() => port, database, child);
  if (ready === 'ready' && port !== undefined) {
    return { child, url: `http://127.0.0.1:${port}`, logFile, stop };
  }
  await stop();
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-3000) : '';
  throw new Error(`trytond did not become ready (${ready}); its log ${logFile}:\n${log}`);
}

async function waitReady(
  port: () => number | undefined,
  database: string,
  child: ChildProcess,
): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + 60_000;
  let probe: TrytonRpcClient | undefined;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return 'exited';
    const known = port();
    if (known !== undefined) {
      probe ??= new TrytonRpcClient({
        url: `http://127.0.0.1:${known}`,
        database,
        login: ADMIN_LOGIN,
        password: ADMIN_PASSWORD,
        timeoutMs: 5_000,
      });
      try {
        await probe.serverVersion();
        await probe.login();
        await probe.logout();
        return 'ready';
      } catch {
        // not yet
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return 'timeout';
}

async function initialise(dir: string, database: string, backend: TrytonBackend): Promise<void> {
  const conf = writeConfig(dir, 0, backend);
  if (backend === 'sqlite') {
    writeFileSync(join(dir, 'data', `${database}.sqlite`), '');
  } else {
    await withPg(async (pg) => {
      await pg.query(
        `CREATE DATABASE ${quoteIdent(database)} TEMPLATE template0 ENCODING 'unicode'`,
      );
    });
  }
  try {
    await run(
      TRYTOND_ADMIN,
      [
        '-c',
        conf,
        '-d',
        database,
        '--all',
        '-u',
        ...MODULES,
        '--activate-dependencies',
        '--email',
        'admin@revgate.test',
        '-p',
      ],
      {
        env: { ...process.env, TRYTONPASSFILE: join(dir, 'admin.pass') },
        timeout: 900_000,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  } catch (error) {
    const output = error as { stderr?: string };
    throw new Error(`trytond-admin failed:\n${(output.stderr ?? '').slice(-3000)}`);
  }
}

/** Waits for another process's build of the same template (a lock directory), or takes it. */
async function lock(
  path: string,
  ready: () => Promise<boolean>,
): Promise<(() => void) | undefined> {
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    if (await ready()) return undefined;
    try {
      mkdirSync(path);
      return () => rmSync(path, { recursive: true, force: true });
    } catch {
      // Another build holds it; a lock older than 15 minutes belongs to a build that died.
      try {
        if (Date.now() - statSync(path).mtimeMs > 15 * 60_000)
          rmSync(path, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
    }
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for the Tryton template lock ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The ready database to copy from: built here when missing (or being built by another process). */
export async function ensureTemplate(): Promise<TemplateInfo> {
  const started = Date.now();
  await ensureTrytonInstalled();
  const backend = trytonBackend();
  const key = await templateKey(backend);
  mkdirSync(join(CACHE, 'templates'), { recursive: true });
  const template =
    backend === 'sqlite'
      ? join(CACHE, 'templates', `revgate_${key}.sqlite`)
      : `revgate_tryton_tpl_${CHECKOUT}_${key}`;
  const exists = async (): Promise<boolean> =>
    backend === 'sqlite' ? existsSync(template) : pgDatabaseExists(template);
  const release = await lock(join(CACHE, 'templates', `${key}.lock`), exists);
  if (!release) return { backend, template, built: false, seconds: (Date.now() - started) / 1000 };
  const dir = join(CACHE, `build-${key}-${process.pid}`);
  const database = backend === 'sqlite' ? 'revgate' : `revgate_tryton_build_${key}`;
  rmSync(dir, { recursive: true, force: true });
  try {
    if (backend === 'postgresql') await dropPgDatabase(database);
    await initialise(dir, database, backend);
    const served = await serve(dir, database, backend);
    try {
      const client = new TrytonRpcClient({
        url: served.url,
        database,
        login: ADMIN_LOGIN,
        password: ADMIN_PASSWORD,
      });
      await setupDatabase(client);
      await client.logout();
    } finally {
      await served.stop();
    }
    if (backend === 'sqlite') {
      renameSync(join(dir, 'data', `${database}.sqlite`), template);
    } else {
      await withPg(async (pg) => {
        await pg.query(`ALTER DATABASE ${quoteIdent(database)} RENAME TO ${quoteIdent(template)}`);
      });
    }
  } catch (error) {
    if (backend === 'postgresql') await dropPgDatabase(database).catch(() => undefined);
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    release();
  }
  return { backend, template, built: true, seconds: (Date.now() - started) / 1000 };
}

let serial = 0;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes what earlier runs left behind: copies whose process is gone (a killed test run) and
 * templates other than the current one.
 */
async function sweep(backend: TrytonBackend, template: string): Promise<void> {
  for (const entry of existsSync(CACHE) ? readdirSync(CACHE) : []) {
    const match = /^run-(\d+)-/.exec(entry) ?? /^build-.+-(\d+)$/.exec(entry);
    if (match && !alive(Number(match[1])))
      rmSync(join(CACHE, entry), { recursive: true, force: true });
  }
  const templates = join(CACHE, 'templates');
  for (const entry of existsSync(templates) ? readdirSync(templates) : []) {
    if (entry.endsWith('.sqlite') && join(templates, entry) !== template)
      rmSync(join(templates, entry), { force: true });
  }
  if (backend !== 'postgresql') return;
  const stale = await withPg(async (pg) => {
    const result = await pg.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'revgate\\_tryton\\_%'",
    );
    return result.rows
      .map((row) => row.datname)
      .filter((name) => {
        if (name === template) return false;
        const run = /^revgate_tryton_run_(\d+)_/.exec(name);
        if (run) return !alive(Number(run[1]));
        return name.startsWith(`revgate_tryton_tpl_${CHECKOUT}_`);
      });
  });
  for (const name of stale) await dropPgDatabase(name).catch(() => undefined);
}

/** A trytond of its own on a fresh copy of the template. */
export async function startTrytonServer(options?: ServerOptions): Promise<TrytonServer> {
  const { backend, template } = await ensureTemplate();
  if (serial === 0) await sweep(backend, template);
  const name = `run-${process.pid}-${++serial}-${Date.now().toString(36)}`;
  const dir = join(CACHE, name);
  mkdirSync(join(dir, 'data'), { recursive: true });
  const database = backend === 'sqlite' ? 'revgate' : `revgate_tryton_${name.replace(/-/g, '_')}`;
  if (backend === 'sqlite') {
    copyFileSync(template, join(dir, 'data', `${database}.sqlite`));
  } else {
    await withPg(async (pg) => {
      await pg.query(`CREATE DATABASE ${quoteIdent(database)} TEMPLATE ${quoteIdent(template)}`);
    });
  }
  let served: Served;
  try {
    served = await serve(dir, database, backend, options);
  } catch (error) {
    if (backend === 'postgresql') await dropPgDatabase(database).catch(() => undefined);
    throw error;
  }
  const clients: TrytonRpcClient[] = [];
  return {
    url: served.url,
    database,
    login: ADMIN_LOGIN,
    password: ADMIN_PASSWORD,
    backend,
    logFile: served.logFile,
    client: (options) => {
      const client = new TrytonRpcClient({
        url: served.url,
        database,
        login: ADMIN_LOGIN,
        password: ADMIN_PASSWORD,
        timeoutMs: options?.timeoutMs,
      });
      clients.push(client);
      return client;
    },
    stop: async () => {
      await Promise.all(clients.map((client) => client.logout().catch(() => undefined)));
      await served.stop();
      if (backend === 'postgresql') await dropPgDatabase(database);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
