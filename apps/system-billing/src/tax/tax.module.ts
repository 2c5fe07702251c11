import { Module } from '@nestjs/common';
import { TaxProviderModule } from '../providers/tax-provider.module';
import { TaxService } from './tax.service';

@Module({
  imports: [TaxProviderModule],
  providers: [TaxService],
  exports: [TaxService],
})
export class TaxModule {}
