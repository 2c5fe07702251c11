import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/** PostgreSQL's limit on the parameters of one statement. */
const MAX_PARAMETERS = 65_535;

/**
 * Inserts many rows with as few INSERT statements as PostgreSQL's parameter limit allows (one
 * parameter per column and row), in order, in the caller's transaction.
 */
export async function insertInChunks<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: readonly QueryDeepPartialEntity<T>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = manager.getRepository(target).metadata.columns.length;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, columns)));
  for (let start = 0; start < rows.length; start += perStatement)
    await manager.insert(target, rows.slice(start, start + perStatement));
}
