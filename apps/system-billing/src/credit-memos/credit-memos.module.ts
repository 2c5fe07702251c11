import { Module } from '@nestjs/common';
import { BillingProviderModule } from '../providers/billing-provider.module';
import { CreditMemosController } from './credit-memos.controller';
import { CreditMemosService } from './credit-memos.service';
import { TaxModule } from '../tax/tax.module';
import { LedgerModule } from './ledger.module';

@Module({
  imports: [BillingProviderModule, LedgerModule, TaxModule],
  controllers: [CreditMemosController],
  providers: [CreditMemosService],
})
export class CreditMemosModule {}
