import { Module } from '@nestjs/common';
import { ErpProviderModule } from '../providers/erp-provider.module';
import { ErpEventsModule } from '../events/erp-events';
import { InvoicesController } from './invoices.controller';
import { InvoicesService } from './invoices.service';

@Module({
  imports: [ErpProviderModule, ErpEventsModule],
  controllers: [InvoicesController],
  providers: [InvoicesService],
  exports: [InvoicesService],
})
export class InvoicesModule {}
