import { Module } from '@nestjs/common';
import { AuthModule } from '@revgate/auth';
import { EventTypes } from '@revgate/canonical';
import { WebhooksModule } from '@revgate/events';
import { IdempotencyModule } from '@revgate/idempotency';
import { PersistenceModule } from '@revgate/persistence';
import { ResilienceModule } from '@revgate/resilience';
import { WorkflowsModule } from '@revgate/workflows';
import { BillingRunsModule } from './billing-runs/billing-runs.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { RevenueModule } from './revenue/revenue.module';
import { MetersModule } from './meters/meters.module';
import { U2rConfig } from './u2r.config';
import { u2rPersistence } from './u2r.persistence';
import { UsageEventsModule } from './usage-events/usage-events.module';
import { UsagePeriodsModule } from './usage-periods/usage-periods.module';

@Module({
  imports: [
    PersistenceModule.forApp(u2rPersistence),
    AuthModule.forApp(),
    IdempotencyModule,
    WebhooksModule.forApp({
      domain: 'u2r',
      eventTypes: [EventTypes.UsageRated, EventTypes.RevenueJournalApproved],
    }),
    ResilienceModule,
    // The ERP's budget carried by the queue that posts to it: ERP_CONCURRENCY posting workflows
    // at once across every process, each with one ERP call in flight.
    WorkflowsModule.forApp((config) => {
      const concurrency = (config as U2rConfig).ERP_CONCURRENCY;
      return {
        schema: 'u2r_workflows',
        queues: [
          {
            name: 'erp',
            workerConcurrency: concurrency,
            globalConcurrency: concurrency,
            pollingIntervalMs: 100,
          },
        ],
      };
    }),
    MetersModule,
    UsageEventsModule,
    UsagePeriodsModule,
    BillingRunsModule,
    ReconciliationModule,
    RevenueModule,
  ],
})
export class U2rModule {}
