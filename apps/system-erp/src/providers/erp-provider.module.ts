import { Logger, Module } from '@nestjs/common';
import { TransactionHost } from '@revgate/persistence';
import { ErpConfig } from '../erp.config';
import { ERP_PROVIDER, type ErpProvider } from './erp-provider.port';
import { governed, SandboxGovernance } from './sandbox/governance';
import { SandboxErpProvider } from './sandbox/sandbox-erp.provider';
import { TrytonErpProvider } from './tryton/tryton-erp.provider';
import { TrytonLedger } from './tryton/tryton-ledger';
import { TrytonRpcClient } from './tryton/tryton-rpc.client';

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

/** The Tryton connector from ERP_TRYTON_* (ErpConfig checked they are set). */
function trytonOf(config: ErpConfig, tx: TransactionHost): TrytonErpProvider {
  const client = new TrytonRpcClient({
    url: config.ERP_TRYTON_URL ?? '',
    database: config.ERP_TRYTON_DATABASE ?? '',
    login: config.ERP_TRYTON_USER,
    password: config.ERP_TRYTON_PASSWORD ?? '',
    timeoutMs: config.ERP_TRYTON_TIMEOUT_MS,
    loginTimeoutMs: config.ERP_TRYTON_LOGIN_TIMEOUT_MS,
  });
  const ledger = new TrytonLedger(client, {
    cacheTtlMs: config.ERP_TRYTON_CACHE_TTL_MS,
    logger: new Logger('TrytonLedger'),
  });
  return new TrytonErpProvider(ledger, tx, {
    concurrency: config.ERP_TRYTON_CONCURRENCY,
    maxWaitMs: config.ERP_TRYTON_MAX_WAIT_MS,
  });
}

/**
 * Binds the ERP port to the configured adapter (ERP_PROVIDER). The sandbox runs under its
 * simulated governance; a real ERP governs itself (the Tryton connector keeps a budget of calls in
 * flight, ERP_TRYTON_CONCURRENCY).
 */
@Module({
  providers: [
    SandboxErpProvider,
    { provide: SandboxGovernance, inject: [ErpConfig], useFactory: governanceOf },
    {
      provide: ERP_PROVIDER,
      inject: [ErpConfig, SandboxErpProvider, SandboxGovernance, TransactionHost],
      useFactory: (
        config: ErpConfig,
        sandbox: SandboxErpProvider,
        governance: SandboxGovernance,
        tx: TransactionHost,
      ): ErpProvider => {
        switch (config.ERP_PROVIDER) {
          case 'sandbox':
            return governed(sandbox, governance);
          case 'tryton':
            return trytonOf(config, tx);
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
