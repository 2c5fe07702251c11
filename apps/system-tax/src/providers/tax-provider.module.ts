import { Module } from '@nestjs/common';
import { RateTable } from './sandbox/rate-table';
import { SandboxTaxProvider } from './sandbox/sandbox-tax.provider';
import { SANDBOX_RATES } from './sandbox/sandbox-rates';
import { TAX_PROVIDER } from './tax-provider.port';

/** Binds the tax port to the configured adapter (TAX_PROVIDER). */
@Module({
  providers: [
    // Validated here, at start: a bad rate table stops the app with the list of its problems.
    { provide: RateTable, useFactory: () => RateTable.parse(SANDBOX_RATES) },
    SandboxTaxProvider,
    { provide: TAX_PROVIDER, useExisting: SandboxTaxProvider },
  ],
  exports: [TAX_PROVIDER],
})
export class TaxProviderModule {}
