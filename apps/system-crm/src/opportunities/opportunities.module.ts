import { Module } from '@nestjs/common';
import { EventsModule } from '@revgate/events';
import { CrmProviderModule } from '../providers/crm-provider.module';
import { OpportunitiesController } from './opportunities.controller';
import { OpportunitiesService } from './opportunities.service';

@Module({
  imports: [CrmProviderModule, EventsModule],
  controllers: [OpportunitiesController],
  providers: [OpportunitiesService],
})
export class OpportunitiesModule {}
