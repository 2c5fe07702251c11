import { Module } from '@nestjs/common';
import { AuthModule } from '@revgate/auth';
import { IdempotencyModule } from '@revgate/idempotency';
import { PersistenceModule } from '@revgate/persistence';
import { WebhooksModule } from '@revgate/events';
import { AccountsModule } from './accounts/accounts.module';
import { crmPersistence } from './crm.persistence';
import { OpportunitiesModule } from './opportunities/opportunities.module';
import { ProductsModule } from './products/products.module';
import { CrmProviderModule } from './providers/crm-provider.module';
import { DemoSeed } from './providers/sandbox/demo-seed';

@Module({
  imports: [
    PersistenceModule.forApp(crmPersistence),
    AuthModule.forApp(),
    IdempotencyModule,
    WebhooksModule.forApp({ domain: 'crm' }),
    CrmProviderModule,
    AccountsModule,
    ProductsModule,
    OpportunitiesModule,
  ],
  providers: [DemoSeed],
})
export class CrmModule {}
