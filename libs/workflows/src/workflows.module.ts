import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DBOS } from '@dbos-inc/dbos-sdk';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { APP_CONFIG, APP_NAME, type BaseConfig } from '@revgate/platform';

/** A queue of workflows that call one downstream system, carrying that system's budget. */
export interface WorkflowQueueSpec {
  name: string;
  /** Workflows of the queue running at once in this process. */
  workerConcurrency?: number;
  /** Workflows of the queue running at once across every process of the app. */
  globalConcurrency?: number;
  /** Workflows of the queue started per period, across every process. */
  rateLimit?: { limitPerPeriod: number; periodSec: number };
  /** How often the queue is polled for work at least (ms; DBOS's default is 1000). */
  pollingIntervalMs?: number;
}

export interface WorkflowsOptions {
  /** Schema of DBOS's system tables in the app's database, e.g. `q2c_workflows`. */
  schema: string;
  queues?: WorkflowQueueSpec[];
}

const WORKFLOWS_OPTIONS = Symbol('WORKFLOWS_OPTIONS');

/**
 * DBOS Transact launched on the app's own database (its system tables in `options.schema`) once
 * every provider exists — the services whose methods are workflows extend ConfiguredInstance, so
 * DBOS can find them again when it recovers a workflow after a crash — and shut down with the app.
 * DBOS is one runtime per process: an app that runs workflows runs alone in its process.
 */
@Injectable()
export class WorkflowRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Workflows');
  private launched = false;
  private readonly afterLaunch: (() => Promise<void>)[] = [];
  private afterLaunchRan = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_NAME) private readonly appName: string,
    @Inject(WORKFLOWS_OPTIONS) private readonly options: WorkflowsOptions,
  ) {}

  /** The name of a queue declared in the options (what DBOS.startWorkflow takes). */
  queue(name: string): string {
    if (!(this.options.queues ?? []).some((q) => q.name === name))
      throw new Error(`no workflow queue ${name} is declared`);
    return name;
  }

  /**
   * Work to do once DBOS runs (e.g. starting the workflows of records whose start was lost in a
   * crash); runs in order, after the queues are registered.
   */
  onLaunched(task: () => Promise<void>): void {
    // Nest bootstraps an imported module (this one) before the module that imports it, so a
    // provider of the app registers from its own onApplicationBootstrap after the tasks ran: its
    // task runs now (quote-to-cash's webhook self-subscription was never made; the chaos suite
    // found it).
    if (this.afterLaunchRan) {
      task().catch((e: unknown) => {
        this.logger.error(`a task after launch failed: ${String(e)}`);
      });
      return;
    }
    this.afterLaunch.push(task);
  }

  async onApplicationBootstrap(): Promise<void> {
    const url = (this.dataSource.options as PostgresConnectionOptions).url;
    if (!url) throw new Error('the workflow runtime needs the database URL of the app');
    const logger = this.logger;
    DBOS.setConfig({
      name: this.appName,
      systemDatabaseUrl: url,
      systemDatabaseSchemaName: this.options.schema,
      logger: {
        info: (entry) => logger.log(entry),
        debug: (entry) => logger.debug(entry),
        warn: (entry) => logger.warn(entry),
        error: (entry) => logger.error(entry),
      },
    });
    await DBOS.launch();
    this.launched = true;
    // DBOS 5 keeps queues in its system tables: (re)registered at each start, so their limits
    // follow the configuration, and workflows queued before a crash are dequeued again.
    for (const spec of this.options.queues ?? [])
      await DBOS.registerQueue(spec.name, {
        onConflict: 'always_update',
        ...(spec.workerConcurrency === undefined
          ? {}
          : { workerConcurrency: spec.workerConcurrency }),
        ...(spec.globalConcurrency === undefined
          ? {}
          : { globalConcurrency: spec.globalConcurrency }),
        ...(spec.rateLimit === undefined ? {} : { rateLimit: spec.rateLimit }),
        ...(spec.pollingIntervalMs === undefined
          ? {}
          : { minPollingIntervalMs: spec.pollingIntervalMs }),
      });
    for (const task of this.afterLaunch) await task();
    this.afterLaunchRan = true;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.launched) return;
    this.launched = false;
    await DBOS.shutdown();
  }
}

@Global()
@Module({})
export class WorkflowsModule {
  /** The options, or a function of the app's config that gives them (queue budgets from env). */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the app names its config class, which APP_CONFIG holds
  static forApp<C extends BaseConfig>(
    options: WorkflowsOptions | ((config: C) => WorkflowsOptions),
  ): DynamicModule {
    return {
      module: WorkflowsModule,
      providers: [
        {
          provide: WORKFLOWS_OPTIONS,
          inject: [APP_CONFIG],
          useFactory: (config: C) => (typeof options === 'function' ? options(config) : options),
        },
        WorkflowRuntime,
      ],
      exports: [WorkflowRuntime],
    };
  }
}
