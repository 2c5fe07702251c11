/**
 * npm run migrations:check             — fails when any app's entities and migrations disagree
 * npm run migrations:generate -- <app> <name> — writes a migration with the SQL that closes the gap
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  createScratchDatabase,
  dataSourceOptions,
  migrate,
  startEmbeddedPostgres,
} from '@revgate/persistence';
import { APP_PERSISTENCE, MIGRATIONS_DIR } from './apps';

async function serverUrl(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL)
    return { url: process.env.DATABASE_URL, stop: () => Promise.resolve() };
  const handle = await startEmbeddedPostgres({
    dataDir: join(process.env.REVGATE_DATA_DIR ?? '.revgate', 'postgres'),
    port: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
    database: 'revgate',
  });
  return { url: handle.url, stop: () => handle.stop() };
}

async function diff(app: string, baseUrl: string): Promise<{ up: string[]; down: string[] }> {
  const persistence = Object.hasOwn(APP_PERSISTENCE, app) ? APP_PERSISTENCE[app] : undefined;
  if (!persistence)
    throw new Error(`Unknown app ${app}; known: ${Object.keys(APP_PERSISTENCE).join(', ')}`);
  const scratch = await createScratchDatabase(baseUrl, 'revgate_migrations');
  const ds = new DataSource(dataSourceOptions(scratch.url, persistence, `${app}-tooling`));
  try {
    await ds.initialize();
    await migrate(ds, persistence.schema);
    const log = await ds.driver.createSchemaBuilder().log();
    return {
      up: log.upQueries.map((q) => q.query),
      down: log.downQueries.map((q) => q.query).reverse(),
    };
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await scratch.drop();
  }
}

const quote = (sql: string): string =>
  `\`${sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;

async function main(): Promise<void> {
  const [command, app, name] = process.argv.slice(2);
  const server = await serverUrl();
  try {
    if (command === 'check') {
      let drift = 0;
      for (const a of Object.keys(APP_PERSISTENCE)) {
        const { up } = await diff(a, server.url);
        if (up.length === 0) {
          process.stdout.write(`${a}: entities and migrations agree\n`);
        } else {
          drift++;
          process.stdout.write(
            `${a}: entities and migrations DISAGREE; a migration needs:\n${up.map((q) => `  ${q};`).join('\n')}\n`,
          );
        }
      }
      if (drift > 0) process.exitCode = 1;
    } else if (command === 'generate' && app && name) {
      const { up, down } = await diff(app, server.url);
      if (up.length === 0) {
        process.stdout.write(`${app}: nothing to generate\n`);
        return;
      }
      const dir = MIGRATIONS_DIR[app] ?? '';
      const ts = Date.now();
      const cls = `${name.replace(/(^|[-_ ])(\w)/g, (_m, _s, c: string) => c.toUpperCase())}${ts}`;
      const file = join(dir, `${ts}-${name}.ts`);
      writeFileSync(
        file,
        `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${cls} implements MigrationInterface {\n  name = '${cls}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up.map((q) => `    await queryRunner.query(${quote(q)});`).join('\n')}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down.map((q) => `    await queryRunner.query(${quote(q)});`).join('\n')}\n  }\n}\n`,
      );
      process.stdout.write(
        `wrote ${file} (${cls}); add it to the app's persistence migrations list\n`,
      );
    } else {
      process.stderr.write('usage: migrations check | migrations generate <app> <name>\n');
      process.exitCode = 2;
    }
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
