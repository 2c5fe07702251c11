import type { EntityManager } from 'typeorm';
import { nextPeriod } from '@revgate/canonical';

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
    `select pg_advisory_xact_lock_shared(hashtextextended('u2r:usage-period:' || p, 0))
       from unnest($1::text[]) as p order by p`,
    [sorted],
  );
}

export async function lockPeriodExclusive(manager: EntityManager, period: string): Promise<void> {
  await manager.query(
    `select pg_advisory_xact_lock(hashtextextended('u2r:usage-period:' || $1::text, 0))`,
    [period],
  );
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
