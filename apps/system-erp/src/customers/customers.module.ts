import { Module } from '@nestjs/common';
import { ErpProviderModule } from '../providers/erp-provider.module';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';

@Module({
  imports: [ErpProviderModule],
  controllers: [CustomersController],
  providers: [CustomersService],
})
export class CustomersModule {}
