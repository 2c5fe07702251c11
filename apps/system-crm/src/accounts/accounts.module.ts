import { Module } from '@nestjs/common';
import { CrmProviderModule } from '../providers/crm-provider.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';

@Module({
  imports: [CrmProviderModule],
  controllers: [AccountsController],
  providers: [AccountsService],
})
export class AccountsModule {}
