import { Module } from '@nestjs/common';
import { BillingProviderModule } from '../providers/billing-provider.module';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';

@Module({
  imports: [BillingProviderModule],
  controllers: [CustomersController],
  providers: [CustomersService],
})
export class CustomersModule {}
