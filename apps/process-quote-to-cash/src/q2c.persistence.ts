import { AppPersistence } from '@revgate/persistence';
import { IdempotencyRecordEntity } from '@revgate/idempotency';
import { InboxEventEntity, OutboxEventEntity, WEBHOOK_ENTITIES } from '@revgate/events';
import { AmendmentEntity } from './amendments/amendment.entity';
import { AuditEntryEntity } from './audit/audit-entry.entity';
import { EventSourceEntity } from './events/event-source.entity';
import { ExceptionEntity } from './exceptions/exception.entity';
import { ProductMappingEntity } from './mappings/product-mapping.entity';
import { Q2cInitial1796036741345 } from './migrations/1796036741345-q2c-initial';
import { LastError1796040290042 } from './migrations/1796040290042-last-error';
import { Amendments1796040791912 } from './migrations/1796040791912-amendments';
import { Exceptions1796041134106 } from './migrations/1796041134106-exceptions';
import { OrderEntity } from './orders/order.entity';

export const q2cPersistence: AppPersistence = {
  schema: 'q2c',
  entities: [
    OrderEntity,
    AmendmentEntity,
    ExceptionEntity,
    ProductMappingEntity,
    AuditEntryEntity,
    EventSourceEntity,
    IdempotencyRecordEntity,
    OutboxEventEntity,
    ...WEBHOOK_ENTITIES,
    InboxEventEntity,
  ],
  migrations: [
    Q2cInitial1796036741345,
    LastError1796040290042,
    Amendments1796040791912,
    Exceptions1796041134106,
  ],
};
