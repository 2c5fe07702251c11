import { Module } from '@nestjs/common';
import { InvoicesModule } from '../invoices/invoices.module';
import { CreditMemosController } from './credit-memos.controller';

@Module({
  imports: [InvoicesModule],
  controllers: [CreditMemosController],
})
export class CreditMemosModule {}
