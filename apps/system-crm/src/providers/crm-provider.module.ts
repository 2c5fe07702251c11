import { Module } from '@nestjs/common';
import { CRM_PROVIDER } from './crm-provider.port';
import { SandboxCrmProvider } from './sandbox/sandbox-crm.provider';

/** Binds the CRM port to the configured adapter (CRM_PROVIDER). */
@Module({
  providers: [SandboxCrmProvider, { provide: CRM_PROVIDER, useExisting: SandboxCrmProvider }],
  exports: [CRM_PROVIDER],
})
export class CrmProviderModule {}
