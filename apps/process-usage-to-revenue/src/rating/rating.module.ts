import { Module } from '@nestjs/common';
import { UpstreamsModule } from '../upstreams/upstreams.module';
import { RatingService } from './rating.service';

@Module({ imports: [UpstreamsModule], providers: [RatingService], exports: [RatingService] })
export class RatingModule {}
