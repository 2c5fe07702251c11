import { Module } from '@nestjs/common';
import { BillingProviderModule } from '../providers/billing-provider.module';
import { UsageLinesController } from './usage-lines.controller';
import { UsageLinesService } from './usage-lines.service';

@Module({
  imports: [BillingProviderModule],
  controllers: [UsageLinesController],
  providers: [UsageLinesService],
})
export class UsageLinesModule {}
