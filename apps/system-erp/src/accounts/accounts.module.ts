import { Module } from '@nestjs/common';
import { ErpProviderModule } from '../providers/erp-provider.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';

@Module({
  imports: [ErpProviderModule],
  controllers: [AccountsController],
  providers: [AccountsService],
})
export class AccountsModule {}
