import { Module } from '@nestjs/common';
import { UsageEventsController } from './usage-events.controller';
import { UsageEventsService } from './usage-events.service';

@Module({ controllers: [UsageEventsController], providers: [UsageEventsService] })
export class UsageEventsModule {}
