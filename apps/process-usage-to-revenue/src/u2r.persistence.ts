import { AppPersistence } from '@revgate/persistence';
import { IdempotencyRecordEntity } from '@revgate/idempotency';
import { OutboxEventEntity, WEBHOOK_ENTITIES } from '@revgate/events';
import { MeterEntity } from './meters/meter.entity';
import { U2rInitial1796036510454 } from './migrations/1796036510454-u2r-initial';
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
    IdempotencyRecordEntity,
    OutboxEventEntity,
    ...WEBHOOK_ENTITIES,
  ],
  migrations: [U2rInitial1796036510454],
};
