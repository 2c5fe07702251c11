import type { EntityManager } from 'typeorm';
import { nextPeriod } from '@revgate/canonical';

/** The advisory lock key of the period that the SQL expression `period` names. */
const lockKey = (period: string): string => `hashtextextended('u2r:usage-period:' || ${period}, 0)`;

/**
 * A query taking the shared lock of every period of the text array `param` in period order, as
 * lockPeriodsShared does, for a statement that does more in the same round trip (a WITH query).
 * One row, `locked`: how many periods. What the statement reads, it reads from before the locks
 * were granted: a read that must see a period closed runs in a later statement.
 */
export const lockPeriodsSharedQuery = (param: string): string => `
  select count(pg_advisory_xact_lock_shared(${lockKey('p')}))::int as locked
    from (select p from unnest(${param}::text[]) as p order by p collate "C") as sorted`;

/**
 * The lock that orders ingestion and the closing of a usage period: an ingestion holds it shared
 * on every period it writes into until it commits; closing a period takes it exclusively, so it
 * waits for the ingestions in flight and every later one sees the period closed. Transaction-scoped
 * advisory locks live in memory: no row is written to take them.
 */
export async function lockPeriodsShared(
  manager: EntityManager,
  periods: Iterable<string>,
): Promise<void> {
  const sorted = [...new Set(periods)].sort();
  if (sorted.length === 0) return;
  await manager.query(
    `select pg_advisory_xact_lock_shared(${lockKey('p')}) from unnest($1::text[]) as p order by p`,
    [sorted],
  );
}

export async function lockPeriodExclusive(manager: EntityManager, period: string): Promise<void> {
  await manager.query(`select pg_advisory_xact_lock(${lockKey('$1::text')})`, [period]);
}

/** The closed periods from `from` on. */
export async function closedPeriodsFrom(
  manager: EntityManager,
  from: string,
): Promise<Set<string>> {
  const rows: { period: string }[] = await manager.query(
    `select period from u2r.usage_periods where status = 'closed' and period >= $1`,
    [from],
  );
  return new Set(rows.map((r) => r.period));
}

/** The first period after `period` that is not closed. */
export function nextOpenPeriod(period: string, closed: ReadonlySet<string>): string {
  let p = nextPeriod(period);
  while (closed.has(p)) p = nextPeriod(p);
  return p;
}
