import { AppPersistence } from '@revgate/persistence';
import { CrmInitial1795410143163 } from './migrations/1795410143163-crm-initial';
import { IdempotencyRecordEntity } from '@revgate/idempotency';
import { OutboxEventEntity } from '@revgate/events';
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
  ],
  migrations: [CrmInitial1795410143163],
};
