import { AppPersistence } from '@revgate/persistence';
import { IdempotencyRecordEntity } from '@revgate/idempotency';
import { OutboxEventEntity, WEBHOOK_ENTITIES } from '@revgate/events';
import { ErpInitial1796032396684 } from './migrations/1796032396684-erp-initial';
import { TrytonLegalEntities1796036494883 } from './migrations/1796036494883-tryton-legal-entities';
import { Webhooks1796042647078 } from './migrations/1796042647078-webhooks';
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
import { TrytonLegalEntityEntity } from './providers/tryton/tryton.entities';

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
    TrytonLegalEntityEntity,
    IdempotencyRecordEntity,
    OutboxEventEntity,
    ...WEBHOOK_ENTITIES,
  ],
  migrations: [ErpInitial1796032396684, TrytonLegalEntities1796036494883, Webhooks1796042647078],
};
