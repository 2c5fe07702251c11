import { AppPersistence } from '@revgate/persistence';
import { IdempotencyRecordEntity } from '@revgate/idempotency';
import { ErpInitial1796032396684 } from './migrations/1796032396684-erp-initial';
import {
  AccountEntity,
  ArDocumentEntity,
  ArDocumentLineEntity,
  CustomerEntity,
  ItemEntity,
  LegalEntityEntity,
  MoveEntity,
  MoveLineEntity,
  PaymentApplicationEntity,
  PaymentEntity,
  PeriodEntity,
} from './providers/sandbox/sandbox.entities';

export const erpPersistence: AppPersistence = {
  schema: 'erp',
  entities: [
    LegalEntityEntity,
    PeriodEntity,
    AccountEntity,
    CustomerEntity,
    ItemEntity,
    MoveEntity,
    MoveLineEntity,
    ArDocumentEntity,
    ArDocumentLineEntity,
    PaymentEntity,
    PaymentApplicationEntity,
    IdempotencyRecordEntity,
  ],
  migrations: [ErpInitial1796032396684],
};
