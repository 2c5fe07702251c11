import { Module } from '@nestjs/common';
import { BILLING_PROVIDER } from './billing-provider.port';
import { SandboxBillingProvider } from './sandbox/sandbox-billing.provider';

/** Binds the billing port to the configured adapter (BILLING_PROVIDER). */
@Module({
  providers: [
    SandboxBillingProvider,
    { provide: BILLING_PROVIDER, useExisting: SandboxBillingProvider },
  ],
  exports: [BILLING_PROVIDER],
})
export class BillingProviderModule {}
