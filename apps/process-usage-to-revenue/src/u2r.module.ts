import { Module } from '@nestjs/common';
import { AuthModule } from '@revgate/auth';
import { EventTypes } from '@revgate/canonical';
import { WebhooksModule } from '@revgate/events';
import { IdempotencyModule } from '@revgate/idempotency';
import { PersistenceModule } from '@revgate/persistence';
import { MetersModule } from './meters/meters.module';
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
    MetersModule,
    UsageEventsModule,
    UsagePeriodsModule,
  ],
})
export class U2rModule {}
