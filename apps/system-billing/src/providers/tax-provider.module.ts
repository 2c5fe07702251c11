import { Module } from '@nestjs/common';
import { Upstreams } from '@revgate/resilience';
import { BillingConfig } from '../billing.config';
import { HttpTaxAdapter } from './tax/http-tax.adapter';
import { NoTaxAdapter } from './tax/no-tax.adapter';
import { TAX_PORT } from './tax.port';

/** Binds the tax port: the tax system API when TAX_API_URL is set, "not calculated" otherwise. */
@Module({
  providers: [
    {
      provide: TAX_PORT,
      inject: [BillingConfig, Upstreams],
      useFactory: (config: BillingConfig, upstreams: Upstreams) =>
        config.TAX_API_URL ? new HttpTaxAdapter(config, upstreams) : new NoTaxAdapter(),
    },
  ],
  exports: [TAX_PORT],
})
export class TaxProviderModule {}
