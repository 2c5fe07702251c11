import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Inserts many rows of an entity in one statement with one parameter: the rows as a JSON array,
 * expanded by jsonb_populate_recordset into the table's own row type. TypeORM's multi-row INSERT
 * builds one parameter per column and row and looks each one up by name as it goes, which costs
 * more CPU than the database spends on the rows; here PostgreSQL does the conversion.
 *
 * Each row gives its entity's property values (a Date is sent as an ISO instant, a jsonb column's
 * object as itself). A column no row gives is left out of the INSERT, so it takes its default; a
 * column some rows give and others do not is NULL in those others. With `skipDuplicates`, a row
 * that would violate a unique constraint is left out (ON CONFLICT DO NOTHING).
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: readonly Partial<T>[],
  options: { skipDuplicates?: boolean } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const metadata = manager.connection.getMetadata(target);
  const given = new Set<string>();
  const documents = rows.map((row) => {
    const document: Record<string, unknown> = {};
    for (const column of metadata.columns) {
      const value: unknown = column.getEntityValue(row);
      if (value === undefined) continue;
      document[column.databaseName] = value instanceof Date ? value.toISOString() : value;
      given.add(column.databaseName);
    }
    return document;
  });
  const columns = metadata.columns
    .map((c) => c.databaseName)
    .filter((name) => given.has(name))
    .map((name) => `"${name}"`)
    .join(', ');
  await manager.query(
    `insert into ${metadata.tablePath} (${columns})
     select ${columns} from jsonb_populate_recordset(null::${metadata.tablePath}, $1::jsonb)${
       options.skipDuplicates ? ' on conflict do nothing' : ''
     }`,
    [JSON.stringify(documents)],
  );
}
