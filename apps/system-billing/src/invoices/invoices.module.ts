import { Module } from '@nestjs/common';
import { EventsModule } from '@revgate/events';
import { LedgerModule } from '../credit-memos/ledger.module';
import { BillingProviderModule } from '../providers/billing-provider.module';
import { TaxModule } from '../tax/tax.module';
import { InvoicesController } from './invoices.controller';
import { InvoicesService } from './invoices.service';

@Module({
  imports: [BillingProviderModule, EventsModule, LedgerModule, TaxModule],
  controllers: [InvoicesController],
  providers: [InvoicesService],
})
export class InvoicesModule {}
