import { Module } from '@nestjs/common';
import { EventsModule } from '@revgate/events';
import { LedgerModule } from '../credit-memos/ledger.module';
import { BillingProviderModule } from '../providers/billing-provider.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { TaxModule } from '../tax/tax.module';
import { AmendmentsController } from './amendments.controller';
import { AmendmentsService } from './amendments.service';

@Module({
  imports: [BillingProviderModule, EventsModule, SubscriptionsModule, LedgerModule, TaxModule],
  controllers: [AmendmentsController],
  providers: [AmendmentsService],
})
export class AmendmentsModule {}
