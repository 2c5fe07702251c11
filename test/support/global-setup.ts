// Loaded by Jest outside its module mapper, hence the relative path.
import { startEmbeddedPostgres } from '../../libs/persistence/src/embedded-postgres';

/**
 * Tests run against a real PostgreSQL: DATABASE_URL when set (CI uses the machine's server),
 * otherwise an embedded one started here. Every test file then makes its own scratch database.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  // TEST_EMBEDDED_PG_PORT lets two test runs on one machine keep out of each other's way.
  const port = Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54330);
  const handle = await startEmbeddedPostgres({
    dataDir: `.revgate/test-postgres-${port}`,
    port,
    database: 'revgate_test',
  });
  process.env.DATABASE_URL = handle.url;
  (globalThis as { __REVGATE_TEST_DB__?: typeof handle }).__REVGATE_TEST_DB__ = handle;
}
