import { AppPersistence } from '@revgate/persistence';
import { BillingInitial1795415081952 } from './migrations/1795415081952-billing-initial';
import { CreditMemoTaxStatus1795420280269 } from './migrations/1795420280269-credit-memo-tax-status';
import { InvoicePendingFinalization1795419505864 } from './migrations/1795419505864-invoice-pending-finalization';
import { Webhooks1796033996384 } from './migrations/1796033996384-webhooks';
import { ProductFamily1796044125572 } from './migrations/1796044125572-product-family';
import { IdempotencyRecordEntity } from '@revgate/idempotency';
import { OutboxEventEntity, WEBHOOK_ENTITIES } from '@revgate/events';
import {
  AmendmentEntity,
  CreditMemoApplicationEntity,
  CreditMemoEntity,
  CreditMemoLineEntity,
  CustomerEntity,
  DocumentSequenceEntity,
  InvoiceEntity,
  InvoiceLineEntity,
  PaymentEntity,
  PriceEntity,
  ProductEntity,
  SubscriptionEntity,
  SubscriptionItemEntity,
} from './providers/sandbox/sandbox.entities';

export const billingPersistence: AppPersistence = {
  schema: 'billing',
  entities: [
    CustomerEntity,
    ProductEntity,
    PriceEntity,
    SubscriptionEntity,
    SubscriptionItemEntity,
    AmendmentEntity,
    InvoiceEntity,
    InvoiceLineEntity,
    CreditMemoEntity,
    CreditMemoLineEntity,
    CreditMemoApplicationEntity,
    PaymentEntity,
    DocumentSequenceEntity,
    IdempotencyRecordEntity,
    OutboxEventEntity,
    ...WEBHOOK_ENTITIES,
  ],
  migrations: [
    BillingInitial1795415081952,
    InvoicePendingFinalization1795419505864,
    CreditMemoTaxStatus1795420280269,
    Webhooks1796033996384,
    ProductFamily1796044125572,
  ],
};
