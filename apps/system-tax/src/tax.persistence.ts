import { AppPersistence } from '@revgate/persistence';
import { TaxInitial1795413126648 } from './migrations/1795413126648-tax-initial';
import { TaxReturns1795600000000 } from './migrations/1795600000000-tax-returns';
import { Webhooks1796034001573 } from './migrations/1796034001573-webhooks';
import { IdempotencyRecordEntity } from '@revgate/idempotency';
import { OutboxEventEntity, WEBHOOK_ENTITIES } from '@revgate/events';
import {
  TaxTransactionEntity,
  TaxTransactionLineEntity,
} from './providers/sandbox/sandbox.entities';

export const taxPersistence: AppPersistence = {
  schema: 'tax',
  entities: [
    TaxTransactionEntity,
    TaxTransactionLineEntity,
    IdempotencyRecordEntity,
    OutboxEventEntity,
    ...WEBHOOK_ENTITIES,
  ],
  migrations: [TaxInitial1795413126648, TaxReturns1795600000000, Webhooks1796034001573],
};
