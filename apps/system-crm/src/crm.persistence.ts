import { AppPersistence } from '@revgate/persistence';
import { CrmInitial1795410143163 } from './migrations/1795410143163-crm-initial';
import { Webhooks1796033992473 } from './migrations/1796033992473-webhooks';
import { IdempotencyRecordEntity } from '@revgate/idempotency';
import { OutboxEventEntity, WEBHOOK_ENTITIES } from '@revgate/events';
import {
  AccountEntity,
  OpportunityEntity,
  OpportunityLineEntity,
  ProductEntity,
  StageChangeEntity,
} from './providers/sandbox/sandbox.entities';

export const crmPersistence: AppPersistence = {
  schema: 'crm',
  entities: [
    AccountEntity,
    ProductEntity,
    OpportunityEntity,
    OpportunityLineEntity,
    StageChangeEntity,
    IdempotencyRecordEntity,
    OutboxEventEntity,
    ...WEBHOOK_ENTITIES,
  ],
  migrations: [CrmInitial1795410143163, Webhooks1796033992473],
};
