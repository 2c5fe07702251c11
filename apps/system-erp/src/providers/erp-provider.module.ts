import { Module } from '@nestjs/common';
import { ErpConfig } from '../erp.config';
import { ERP_PROVIDER, type ErpProvider } from './erp-provider.port';
import { governed, SandboxGovernance } from './sandbox/governance';
import { SandboxErpProvider } from './sandbox/sandbox-erp.provider';

/** The sandbox's governance at start, from ERP_SANDBOX_* (PUT /sandbox/governance changes it). */
function governanceOf(config: ErpConfig): SandboxGovernance {
  return new SandboxGovernance({
    concurrencyLimit: config.ERP_SANDBOX_CONCURRENCY_LIMIT,
    ratePerSecond: config.ERP_SANDBOX_RATE_PER_SECOND,
    latencyMs: config.ERP_SANDBOX_LATENCY_MS,
    faultRate: Number(config.ERP_SANDBOX_FAULT_RATE),
    faultSeed: config.ERP_SANDBOX_FAULT_SEED,
    failNext: 0,
    faultKind: 'error',
    maintenanceUntil: null,
  });
}

/**
 * Binds the ERP port to the configured adapter (ERP_PROVIDER). The sandbox runs under its
 * simulated governance; a real ERP governs itself.
 */
@Module({
  providers: [
    SandboxErpProvider,
    { provide: SandboxGovernance, inject: [ErpConfig], useFactory: governanceOf },
    {
      provide: ERP_PROVIDER,
      inject: [ErpConfig, SandboxErpProvider, SandboxGovernance],
      useFactory: (
        config: ErpConfig,
        sandbox: SandboxErpProvider,
        governance: SandboxGovernance,
      ): ErpProvider => {
        switch (config.ERP_PROVIDER) {
          case 'sandbox':
            return governed(sandbox, governance);
          // case 'tryton': the Tryton connector (providers/tryton) is bound here, with its own config.
          default:
            // ErpConfig accepts only the providers listed in ERP_PROVIDERS.
            throw new Error(`ERP_PROVIDER ${config.ERP_PROVIDER} has no adapter`);
        }
      },
    },
  ],
  exports: [ERP_PROVIDER, SandboxGovernance, SandboxErpProvider],
})
export class ErpProviderModule {}
