import { Module } from '@nestjs/common';
import { EventsModule } from '@revgate/events';
import { UpstreamsModule } from '../upstreams/upstreams.module';
import { PeriodCloseSteps } from './period-close.steps';
import { PeriodCloseWorkflow } from './period-close.workflow';
import { RevenueController } from './revenue.controller';
import { RevenueRecorder } from './revenue-recorder';
import { RevenueService } from './revenue.service';

@Module({
  imports: [EventsModule, UpstreamsModule],
  controllers: [RevenueController],
  providers: [PeriodCloseSteps, PeriodCloseWorkflow, RevenueRecorder, RevenueService],
  exports: [RevenueRecorder, RevenueService],
})
export class RevenueModule {}
