import { Module } from '@nestjs/common';
import { AuthModule } from '@revgate/auth';
import { IdempotencyModule } from '@revgate/idempotency';
import { PersistenceModule } from '@revgate/persistence';
import { WebhooksModule } from '@revgate/events';
import { ResilienceModule } from '@revgate/resilience';
import { AmendmentsModule } from './amendments/amendments.module';
import { billingPersistence } from './billing.persistence';
import { CreditMemosModule } from './credit-memos/credit-memos.module';
import { CustomersModule } from './customers/customers.module';
import { InvoicesModule } from './invoices/invoices.module';
import { LegalEntitiesModule } from './legal-entities.module';
import { PaymentsModule } from './payments/payments.module';
import { PricesModule } from './prices/prices.module';
import { ProductsModule } from './products/products.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { UsageLinesModule } from './usage-lines/usage-lines.module';
import { BillingProviderModule } from './providers/billing-provider.module';

@Module({
  imports: [
    PersistenceModule.forApp(billingPersistence),
    AuthModule.forApp(),
    IdempotencyModule,
    WebhooksModule.forApp({ domain: 'billing' }),
    ResilienceModule,
    BillingProviderModule,
    LegalEntitiesModule,
    CustomersModule,
    ProductsModule,
    PricesModule,
    SubscriptionsModule,
    AmendmentsModule,
    InvoicesModule,
    UsageLinesModule,
    CreditMemosModule,
    PaymentsModule,
  ],
})
export class BillingModule {}
