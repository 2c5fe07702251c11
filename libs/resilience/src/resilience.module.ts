import { Global, Module } from '@nestjs/common';
import { Upstreams } from './upstreams';

/** Gives the app its upstream clients (import once, in the app module). */
@Global()
@Module({ providers: [Upstreams], exports: [Upstreams] })
export class ResilienceModule {}
