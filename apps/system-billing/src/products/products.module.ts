import { Module } from '@nestjs/common';
import { BillingProviderModule } from '../providers/billing-provider.module';
import { ProductsController } from './products.controller';
import { ProductsService } from './products.service';

@Module({
  imports: [BillingProviderModule],
  controllers: [ProductsController],
  providers: [ProductsService],
})
export class ProductsModule {}
