import { Module } from '@nestjs/common';
import { AuthModule } from '@revgate/auth';
import { IdempotencyModule } from '@revgate/idempotency';
import { PersistenceModule } from '@revgate/persistence';
import { WebhooksModule } from '@revgate/events';
import { TaxProviderModule } from './providers/tax-provider.module';
import { QuotesModule } from './quotes/quotes.module';
import { taxPersistence } from './tax.persistence';
import { TransactionsModule } from './transactions/transactions.module';

@Module({
  imports: [
    PersistenceModule.forApp(taxPersistence),
    AuthModule.forApp(),
    IdempotencyModule,
    WebhooksModule.forApp({ domain: 'tax' }),
    TaxProviderModule,
    QuotesModule,
    TransactionsModule,
  ],
})
export class TaxModule {}
