import { Module } from '@nestjs/common';
import { ErpProviderModule } from '../providers/erp-provider.module';
import { LegalEntitiesController } from './legal-entities.controller';
import { LegalEntitiesService } from './legal-entities.service';

@Module({
  imports: [ErpProviderModule],
  controllers: [LegalEntitiesController],
  providers: [LegalEntitiesService],
})
export class LegalEntitiesModule {}
