import { Module } from '@nestjs/common';
import { ErpProviderModule } from '../providers/erp-provider.module';
import { ItemsController } from './items.controller';
import { ItemsService } from './items.service';

@Module({
  imports: [ErpProviderModule],
  controllers: [ItemsController],
  providers: [ItemsService],
})
export class ItemsModule {}
