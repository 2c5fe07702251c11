import { Module } from '@nestjs/common';
import { ErpProviderModule } from '../providers/erp-provider.module';
import { ErpEventsModule } from '../events/erp-events';
import { PaymentsController } from './payments.controller';
import { PaymentsService } from './payments.service';

@Module({
  imports: [ErpProviderModule, ErpEventsModule],
  controllers: [PaymentsController],
  providers: [PaymentsService],
})
export class PaymentsModule {}
