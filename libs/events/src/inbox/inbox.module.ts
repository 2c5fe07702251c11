import { Module } from '@nestjs/common';
import { InboxService } from './inbox.service';

/** The consumer inbox; the app's persistence lists InboxEventEntity. */
@Module({ providers: [InboxService], exports: [InboxService] })
export class InboxModule {}
