import { DynamicModule, Global, Inject, Module, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { join } from 'node:path';
import {
  APP_CONFIG,
  APP_NAME,
  BaseConfig,
  ReadinessRegistry,
  runAfterClose,
} from '@revgate/platform';
import { AppPersistence, dataSourceOptions, migrate } from './data-source';
import { startEmbeddedPostgres } from './embedded-postgres';
import { TransactionHost } from './transaction-host';

export const EMBEDDED_DATABASE = 'revgate';

/** Where the app's database is: DATABASE_URL, or the embedded server (started on demand). */
export async function resolveDatabaseUrl(
  config: BaseConfig,
  log?: (line: string) => void,
): Promise<string> {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const handle = await startEmbeddedPostgres({
    dataDir: join(config.REVGATE_DATA_DIR, 'postgres'),
    port: config.EMBEDDED_PG_PORT,
    database: EMBEDDED_DATABASE,
    log,
  });
  if (handle.owned) runAfterClose(() => handle.stop());
  return handle.url;
}

class DatabaseReadiness implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('database', async () => {
      await this.dataSource.query('select 1');
    });
  }
}

@Global()
@Module({})
export class PersistenceModule {
  /** A DataSource on the app's own schema, migrated at start (never synchronized). */
  static forApp(persistence: AppPersistence): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG, APP_NAME],
          useFactory: async (config: BaseConfig, appName: string) =>
            dataSourceOptions(await resolveDatabaseUrl(config), persistence, appName),
          dataSourceFactory: async (options?: DataSourceOptions) => {
            if (!options) throw new Error('No data source options');
            const dataSource = await new DataSource(options).initialize();
            await migrate(dataSource, persistence.schema);
            return dataSource;
          },
        }),
      ],
      providers: [TransactionHost, DatabaseReadiness],
      exports: [TransactionHost, TypeOrmModule],
    };
  }
}
