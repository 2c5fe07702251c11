import { createServer } from 'node:net';
import { DataSource } from 'typeorm';
import { createScratchDatabase } from '@revgate/persistence';
import { DATABASE_STEP, isConnectionError } from './database-steps';

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (e) {
    return e;
  }
  throw new Error('expected the database to refuse');
}

/**
 * isConnectionError decides which errors the workflows' database steps retry: it is checked here
 * against the errors a real PostgreSQL and node-postgres (through TypeORM) give, not hand-made ones.
 */
describe('database steps: which errors mean the database is gone for now (real PostgreSQL)', () => {
  let scratch: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let admin: DataSource;
  /** A pool of a test's own: a connection it has the server kill is never handed to another test. */
  const pool = (): Promise<DataSource> =>
    new DataSource({ type: 'postgres', url: scratch.url }).initialize();

  beforeAll(async () => {
    scratch = await createScratchDatabase(process.env.DATABASE_URL ?? '', 'revgate_t');
    db = await new DataSource({ type: 'postgres', url: scratch.url }).initialize();
    admin = await new DataSource({ type: 'postgres', url: scratch.url }).initialize();
    await db.query('create table t (id int primary key)');
    await db.query('insert into t values (1)');
  });
  afterAll(async () => {
    await db.destroy();
    await admin.destroy();
    await scratch.drop();
  });

  it('a connection the server terminates under a running query (a restart, a failover) is one', async () => {
    const own = await pool();
    const e = await failure(() => own.query('select pg_terminate_backend(pg_backend_pid())'));
    await own.destroy().catch(() => undefined);
    expect(isConnectionError(e)).toBe(true);
  });

  it('a query on a connection the server terminated before it is one', async () => {
    const own = await pool();
    const runner = own.createQueryRunner();
    await runner.connect();
    const [{ pid }] = (await runner.query('select pg_backend_pid() as pid')) as { pid: number }[];
    await admin.query('select pg_terminate_backend($1)', [pid]);
    // Whether the termination reached the client before this query (TypeORM then says the query
    // runner was released) or after (the query's own error), both are a lost connection.
    const e = await failure(() => runner.query('select 1'));
    await runner.release().catch(() => undefined);
    await own.destroy().catch(() => undefined);
    expect(isConnectionError(e)).toBe(true);
  });

  it('a transaction whose connection was lost is one, on its next query', async () => {
    const own = await pool();
    const runner = own.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    const [{ pid }] = (await runner.query('select pg_backend_pid() as pid')) as { pid: number }[];
    await admin.query('select pg_terminate_backend($1)', [pid]);
    // Wait until the client has heard of it, so the next query meets the released runner.
    for (let i = 0; i < 100 && !runner.isReleased; i++) await new Promise((r) => setTimeout(r, 20));
    const e = await failure(() => runner.query('select 1'));
    await runner.release().catch(() => undefined);
    await own.destroy().catch(() => undefined);
    expect(runner.isReleased).toBe(true);
    expect(isConnectionError(e)).toBe(true);
  });

  it('a database nobody listens for is one (ECONNREFUSED)', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    const url = new URL(scratch.url);
    url.port = String(port);
    url.hostname = '127.0.0.1';
    const e = await failure(() =>
      new DataSource({ type: 'postgres', url: url.toString() }).initialize(),
    );
    expect(isConnectionError(e)).toBe(true);
  });

  it.each([
    ['a unique violation', 'insert into t values (1)'],
    ['a syntax error', 'selec 1'],
    ['a missing table', 'select * from nowhere'],
    ['a division by zero', 'select 1 / 0'],
  ])('%s is not (the work is refused, retrying changes nothing)', async (_what, sql) => {
    const e = await failure(() => db.query(sql));
    expect(isConnectionError(e)).toBe(false);
  });

  it('a statement timeout is not (SQLSTATE 57014, of the same class as a shutdown)', async () => {
    const e = await failure(() =>
      db.transaction(async (m) => {
        await m.query("set local statement_timeout = '50ms'");
        await m.query('select pg_sleep(1)');
      }),
    );
    expect((e as { driverError?: { code?: string } }).driverError?.code).toBe('57014');
    expect(isConnectionError(e)).toBe(false);
  });

  it('the step options retry only those errors, for about two minutes', () => {
    expect(DATABASE_STEP.shouldRetry).toBe(isConnectionError);
    const attempts = DATABASE_STEP.maxAttempts ?? 0;
    let waited = 0;
    for (let i = 0, interval = DATABASE_STEP.intervalSeconds ?? 1; i < attempts - 1; i++) {
      waited += interval;
      interval *= DATABASE_STEP.backoffRate ?? 2;
    }
    expect(waited).toBeGreaterThanOrEqual(120);
  });
});
