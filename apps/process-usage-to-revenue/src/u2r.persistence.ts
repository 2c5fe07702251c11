import { AppPersistence } from '@revgate/persistence';
import { IdempotencyRecordEntity } from '@revgate/idempotency';
import { OutboxEventEntity, WEBHOOK_ENTITIES } from '@revgate/events';
import {
  BilledSubscriptionEntity,
  BillingProductEntity,
  BillingRunEntity,
  ErpCustomerEntity,
} from './billing-runs/billing-run.entity';
import { MeterEntity } from './meters/meter.entity';
import {
  RevenueCloseEntity,
  RevenueJournalEntity,
  RevenueScheduleEntity,
  RevenueScheduleEntryEntity,
} from './revenue/revenue.entities';
import {
  BillingCustomerEntity,
  BillingSubscriptionEntity,
  RatedUsageEntity,
} from './rating/rated-usage.entity';
import { U2rInitial1796036510454 } from './migrations/1796036510454-u2r-initial';
import { BillingRuns1796036963168 } from './migrations/1796036963168-billing-runs';
import { Revenue1796046430245 } from './migrations/1796046430245-revenue';
import {
  UsageEventEntity,
  UsagePeriodEntity,
  UsageReleaseEntity,
} from './usage-events/usage-event.entity';

export const u2rPersistence: AppPersistence = {
  schema: 'u2r',
  entities: [
    MeterEntity,
    UsageEventEntity,
    UsageReleaseEntity,
    UsagePeriodEntity,
    RatedUsageEntity,
    BillingSubscriptionEntity,
    BillingCustomerEntity,
    BillingRunEntity,
    BilledSubscriptionEntity,
    BillingProductEntity,
    ErpCustomerEntity,
    RevenueScheduleEntity,
    RevenueScheduleEntryEntity,
    RevenueCloseEntity,
    RevenueJournalEntity,
    IdempotencyRecordEntity,
    OutboxEventEntity,
    ...WEBHOOK_ENTITIES,
  ],
  migrations: [U2rInitial1796036510454, BillingRuns1796036963168, Revenue1796046430245],
};
