import { Module } from '@nestjs/common';
import { SystemApis } from './upstream-apis';

@Module({ providers: [SystemApis], exports: [SystemApis] })
export class UpstreamsModule {}
