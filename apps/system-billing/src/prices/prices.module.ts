import { Module } from '@nestjs/common';
import { BillingProviderModule } from '../providers/billing-provider.module';
import { PricesController } from './prices.controller';
import { PricesService } from './prices.service';

@Module({
  imports: [BillingProviderModule],
  controllers: [PricesController],
  providers: [PricesService],
})
export class PricesModule {}
