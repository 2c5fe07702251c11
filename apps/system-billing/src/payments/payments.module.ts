import { Module } from '@nestjs/common';
import { EventsModule } from '@revgate/events';
import { BillingProviderModule } from '../providers/billing-provider.module';
import { PaymentsController } from './payments.controller';
import { PaymentsService } from './payments.service';

@Module({
  imports: [BillingProviderModule, EventsModule],
  controllers: [PaymentsController],
  providers: [PaymentsService],
})
export class PaymentsModule {}
