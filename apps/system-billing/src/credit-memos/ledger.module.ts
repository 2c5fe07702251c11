import { Module } from '@nestjs/common';
import { EventsModule } from '@revgate/events';
import { BillingProviderModule } from '../providers/billing-provider.module';
import { CreditLedger } from './credit-ledger';

@Module({
  imports: [BillingProviderModule, EventsModule],
  providers: [CreditLedger],
  exports: [CreditLedger],
})
export class LedgerModule {}
