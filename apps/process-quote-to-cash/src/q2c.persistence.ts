import { AppPersistence } from '@revgate/persistence';
import { IdempotencyRecordEntity } from '@revgate/idempotency';
import { InboxEventEntity, OutboxEventEntity, WEBHOOK_ENTITIES } from '@revgate/events';
import { AuditEntryEntity } from './audit/audit-entry.entity';
import { EventSourceEntity } from './events/event-source.entity';
import { ProductMappingEntity } from './mappings/product-mapping.entity';
import { Q2cInitial1796036741345 } from './migrations/1796036741345-q2c-initial';
import { LastError1796040290042 } from './migrations/1796040290042-last-error';
import { OrderEntity } from './orders/order.entity';

export const q2cPersistence: AppPersistence = {
  schema: 'q2c',
  entities: [
    OrderEntity,
    ProductMappingEntity,
    AuditEntryEntity,
    EventSourceEntity,
    IdempotencyRecordEntity,
    OutboxEventEntity,
    ...WEBHOOK_ENTITIES,
    InboxEventEntity,
  ],
  migrations: [Q2cInitial1796036741345, LastError1796040290042],
};
