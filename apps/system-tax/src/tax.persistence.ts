import { AppPersistence } from '@revgate/persistence';
import { TaxInitial1795413126648 } from './migrations/1795413126648-tax-initial';
import { TaxReturns1795600000000 } from './migrations/1795600000000-tax-returns';
import { IdempotencyRecordEntity } from '@revgate/idempotency';
import { OutboxEventEntity } from '@revgate/events';
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
  ],
  migrations: [TaxInitial1795413126648, TaxReturns1795600000000],
};
