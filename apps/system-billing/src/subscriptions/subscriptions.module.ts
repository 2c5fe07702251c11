import { Module } from '@nestjs/common';
import { EventsModule } from '@revgate/events';
import { BillingProviderModule } from '../providers/billing-provider.module';
import { PriceResolver } from './price-resolver';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';

@Module({
  imports: [BillingProviderModule, EventsModule],
  controllers: [SubscriptionsController],
  providers: [SubscriptionsService, PriceResolver],
  exports: [PriceResolver],
})
export class SubscriptionsModule {}
