import { Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuthModule } from '@revgate/auth';
import { EventsModule, InboxModule, WebhooksModule } from '@revgate/events';
import { IdempotencyModule } from '@revgate/idempotency';
import { PersistenceModule } from '@revgate/persistence';
import { APP_CONFIG } from '@revgate/platform';
import { ResilienceModule } from '@revgate/resilience';
import { WorkflowRuntime, WorkflowsModule } from '@revgate/workflows';
import { AmendmentSteps } from './amendments/amendment-steps';
import { AmendmentTracker } from './amendments/amendment-tracker';
import { AmendmentWorkflow } from './amendments/amendment.workflow';
import { AmendmentsController } from './amendments/amendments.controller';
import { AmendmentsService } from './amendments/amendments.service';
import { AuditLog } from './audit/audit-log';
import { EventReceiversController } from './events/event-receivers.controller';
import { EventSources } from './events/event-sources.service';
import { ExceptionsController } from './exceptions/exceptions.controller';
import { ExceptionsService } from './exceptions/exceptions.service';
import { MappingsController } from './mappings/mappings.controller';
import { MappingsService } from './mappings/mappings.service';
import { ContractEvents } from './orders/contract-events';
import { OrderSteps } from './orders/order-steps';
import { OrderTracker } from './orders/order-tracker';
import { OrderWorkflow } from './orders/order.workflow';
import { OrdersController } from './orders/orders.controller';
import { OrdersService } from './orders/orders.service';
import type { Q2cConfig } from './q2c.config';
import { q2cPersistence } from './q2c.persistence';
import { SystemApis } from './system-apis';
import { OperatorActions } from './work/operator-actions';

/**
 * Subscribes to the systems' events once DBOS runs (so a closed-won event can start an order), in
 * the background: a system not up yet (they start together) is tried again, 2 s, 4 s … up to a
 * minute apart.
 */
class EventSubscriptions implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly sources: EventSources,
    private readonly runtime: WorkflowRuntime,
    @Inject(APP_CONFIG) private readonly config: Q2cConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.Q2C_PUBLIC_URL) return;
    this.runtime.onLaunched(() => {
      this.attempt(undefined, 2000);
      return Promise.resolve();
    });
  }

  private attempt(sources: Parameters<EventSources['ensureAll']>[0], delayMs: number): void {
    void this.sources.ensureAll(sources).then((failed) => {
      if (failed.length === 0 || this.stopped) return;
      this.timer = setTimeout(() => this.attempt(failed, Math.min(delayMs * 2, 60_000)), delayMs);
      this.timer.unref();
    });
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

@Module({
  imports: [
    PersistenceModule.forApp(q2cPersistence),
    AuthModule.forApp(),
    IdempotencyModule,
    ResilienceModule,
    EventsModule,
    WebhooksModule.forApp({ domain: 'q2c' }),
    InboxModule,
    WorkflowsModule.forApp((config: Q2cConfig) => ({
      schema: 'q2c_workflows',
      queues: [
        { name: 'erp', globalConcurrency: config.ERP_POSTING_CONCURRENCY, pollingIntervalMs: 200 },
      ],
    })),
  ],
  controllers: [
    OrdersController,
    AmendmentsController,
    ExceptionsController,
    MappingsController,
    EventReceiversController,
  ],
  providers: [
    SystemApis,
    AuditLog,
    OperatorActions,
    MappingsService,
    OrderTracker,
    OrderSteps,
    ContractEvents,
    OrderWorkflow,
    OrdersService,
    AmendmentTracker,
    AmendmentSteps,
    AmendmentWorkflow,
    AmendmentsService,
    ExceptionsService,
    EventSources,
    EventSubscriptions,
  ],
})
export class Q2cModule {}
