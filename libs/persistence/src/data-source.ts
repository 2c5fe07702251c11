import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export interface AppPersistence {
  /** The Postgres schema the app owns; no other app reads it. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own entity type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own migration type
  migrations: MixedList<Function | string>;
}

export function dataSourceOptions(
  url: string,
  persistence: AppPersistence,
  appName: string,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    schema: persistence.schema,
    entities: persistence.entities,
    migrations: persistence.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    applicationName: `revgate-${appName}`,
    extra: { max: 20, connectionTimeoutMillis: 5000 },
  };
}

/** Creates the schema and applies pending migrations, one process at a time. */
export async function migrate(dataSource: DataSource, schema: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('select pg_advisory_lock(hashtext($1))', [`revgate:migrations:${schema}`]);
    try {
      await runner.query(`create schema if not exists "${schema}"`);
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('select pg_advisory_unlock(hashtext($1))', [
        `revgate:migrations:${schema}`,
      ]);
    }
  } finally {
    await runner.release();
  }
}

/** SQL that would bring the database in line with the entities; empty when migrations are complete. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((q) => q.query);
}
