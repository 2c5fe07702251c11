import { Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { AuthModule } from '@revgate/auth';
import { EventsModule, InboxModule, WebhooksModule } from '@revgate/events';
import { IdempotencyModule } from '@revgate/idempotency';
import { PersistenceModule } from '@revgate/persistence';
import { APP_CONFIG } from '@revgate/platform';
import { ResilienceModule } from '@revgate/resilience';
import { WorkflowRuntime, WorkflowsModule } from '@revgate/workflows';
import { AuditLog } from './audit/audit-log';
import { EventReceiversController } from './events/event-receivers.controller';
import { EventSources } from './events/event-sources.service';
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

/** Subscribes to the systems' events once DBOS runs (so a closed-won event can start an order). */
class EventSubscriptions implements OnApplicationBootstrap {
  constructor(
    private readonly sources: EventSources,
    private readonly runtime: WorkflowRuntime,
    @Inject(APP_CONFIG) private readonly config: Q2cConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.Q2C_PUBLIC_URL) this.runtime.onLaunched(() => this.sources.ensureAll());
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
  controllers: [OrdersController, MappingsController, EventReceiversController],
  providers: [
    SystemApis,
    AuditLog,
    MappingsService,
    OrderTracker,
    OrderSteps,
    ContractEvents,
    OrderWorkflow,
    OrdersService,
    EventSources,
    EventSubscriptions,
  ],
})
export class Q2cModule {}
