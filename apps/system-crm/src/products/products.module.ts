import { Module } from '@nestjs/common';
import { CrmProviderModule } from '../providers/crm-provider.module';
import { ProductsController } from './products.controller';
import { ProductsService } from './products.service';

@Module({
  imports: [CrmProviderModule],
  controllers: [ProductsController],
  providers: [ProductsService],
})
export class ProductsModule {}
