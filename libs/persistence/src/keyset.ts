import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { KeysetWindow, Slice } from '@revgate/platform';

/**
 * Applies a keyset window to a query over an entity with `updatedAt` and `id`: after the cursor,
 * updated since, limited to the caller's legal entities (when the entity has such a column), in
 * (updatedAt, id) order, one row more than the page to know whether more follow.
 */
export function applyKeyset<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  window: KeysetWindow,
  legalEntityProperty?: string,
): SelectQueryBuilder<T> {
  const a = qb.alias;
  const { after } = window;
  if (after) {
    qb.andWhere(
      new Brackets((b) =>
        b
          .where(`${a}.updatedAt > :afterAt`, { afterAt: after.updatedAt })
          .orWhere(`${a}.updatedAt = :afterAt AND ${a}.id > :afterId`, { afterId: after.id }),
      ),
    );
  }
  if (window.updatedSince) qb.andWhere(`${a}.updatedAt >= :since`, { since: window.updatedSince });
  if (legalEntityProperty && window.legalEntities) {
    if (window.legalEntities.length > 0) {
      qb.andWhere(`${a}.${legalEntityProperty} IN (:...entities)`, {
        entities: window.legalEntities,
      });
    } else {
      qb.andWhere('1 = 0');
    }
  }
  return qb
    .orderBy(`${a}.updatedAt`, 'ASC')
    .addOrderBy(`${a}.id`, 'ASC')
    .take(window.limit + 1);
}

/** The page of rows read with applyKeyset: at most `limit` items, and whether more follow. */
export function toSlice<E, T>(rows: E[], limit: number, map: (row: E) => T): Slice<T> {
  return { items: rows.slice(0, limit).map(map), hasMore: rows.length > limit };
}
