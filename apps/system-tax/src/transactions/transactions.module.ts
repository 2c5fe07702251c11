import { Module } from '@nestjs/common';
import { EventsModule } from '@revgate/events';
import { TaxProviderModule } from '../providers/tax-provider.module';
import { TransactionsController } from './transactions.controller';
import { TransactionsService } from './transactions.service';

@Module({
  imports: [TaxProviderModule, EventsModule],
  controllers: [TransactionsController],
  providers: [TransactionsService],
})
export class TransactionsModule {}
