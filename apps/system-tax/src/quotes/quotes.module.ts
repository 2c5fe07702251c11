import { Module } from '@nestjs/common';
import { TaxProviderModule } from '../providers/tax-provider.module';
import { QuotesController } from './quotes.controller';
import { QuotesService } from './quotes.service';

@Module({
  imports: [TaxProviderModule],
  controllers: [QuotesController],
  providers: [QuotesService],
})
export class QuotesModule {}
