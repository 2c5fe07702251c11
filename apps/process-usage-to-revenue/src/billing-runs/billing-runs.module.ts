import { Module } from '@nestjs/common';
import { EventsModule } from '@revgate/events';
import { RatingModule } from '../rating/rating.module';
import { RevenueModule } from '../revenue/revenue.module';
import { UpstreamsModule } from '../upstreams/upstreams.module';
import { UsagePeriodsModule } from '../usage-periods/usage-periods.module';
import { BillingRunSteps } from './billing-run.steps';
import { BillingRunWorkflow } from './billing-run.workflow';
import { BillingRunsController } from './billing-runs.controller';
import { BillingRunsService } from './billing-runs.service';

@Module({
  imports: [EventsModule, RatingModule, RevenueModule, UpstreamsModule, UsagePeriodsModule],
  controllers: [BillingRunsController],
  providers: [BillingRunSteps, BillingRunWorkflow, BillingRunsService],
})
export class BillingRunsModule {}
