import { Module } from '@nestjs/common';
import { AuthModule } from '@revgate/auth';
import { IdempotencyModule } from '@revgate/idempotency';
import { WebhooksModule } from '@revgate/events';
import { PersistenceModule } from '@revgate/persistence';
import { AccountsModule } from './accounts/accounts.module';
import { CreditMemosModule } from './credit-memos/credit-memos.module';
import { CustomersModule } from './customers/customers.module';
import { erpPersistence } from './erp.persistence';
import { GovernanceModule } from './governance/governance.module';
import { InvoicesModule } from './invoices/invoices.module';
import { ItemsModule } from './items/items.module';
import { JournalEntriesModule } from './journal-entries/journal-entries.module';
import { LegalEntitiesModule } from './legal-entities/legal-entities.module';
import { PaymentsModule } from './payments/payments.module';
import { PeriodsModule } from './periods/periods.module';
import { ErpProviderModule } from './providers/erp-provider.module';
import { ErpDemoSeed } from './providers/sandbox/demo-seed';
import { TrialBalanceModule } from './trial-balance/trial-balance.module';

@Module({
  imports: [
    PersistenceModule.forApp(erpPersistence),
    AuthModule.forApp(),
    IdempotencyModule,
    WebhooksModule.forApp({ domain: 'erp' }),
    ErpProviderModule,
    LegalEntitiesModule,
    PeriodsModule,
    AccountsModule,
    CustomersModule,
    ItemsModule,
    InvoicesModule,
    CreditMemosModule,
    PaymentsModule,
    JournalEntriesModule,
    TrialBalanceModule,
    GovernanceModule,
  ],
  providers: [ErpDemoSeed],
})
export class ErpModule {}
