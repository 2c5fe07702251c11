import { Module } from '@nestjs/common';
import { ErpProviderModule } from '../providers/erp-provider.module';
import { ErpEventsModule } from '../events/erp-events';
import { JournalEntriesController } from './journal-entries.controller';
import { JournalEntriesService } from './journal-entries.service';

@Module({
  imports: [ErpProviderModule, ErpEventsModule],
  controllers: [JournalEntriesController],
  providers: [JournalEntriesService],
})
export class JournalEntriesModule {}
