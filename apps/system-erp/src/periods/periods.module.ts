import { Module } from '@nestjs/common';
import { ErpProviderModule } from '../providers/erp-provider.module';
import { ErpEventsModule } from '../events/erp-events';
import { PeriodsController } from './periods.controller';
import { PeriodsService } from './periods.service';

@Module({
  imports: [ErpProviderModule, ErpEventsModule],
  controllers: [PeriodsController],
  providers: [PeriodsService],
})
export class PeriodsModule {}
