import { Injectable } from '@nestjs/common';
import { ErpError, ErpErrorCode } from '../erp-error-code';
import { ErpConfig } from '../erp.config';
import { GOVERNANCE_OFF, SandboxGovernance } from '../providers/sandbox/governance';
import { GovernanceResponse, GovernanceSettingsRequest } from './dto/governance.dto';

@Injectable()
export class GovernanceService {
  constructor(
    private readonly config: ErpConfig,
    private readonly governance: SandboxGovernance,
  ) {}

  private assertSandbox(): void {
    if (this.config.ERP_PROVIDER !== 'sandbox')
      throw new ErpError(
        ErpErrorCode.SANDBOX_ONLY,
        `Governance is simulated by the sandbox ERP only; this API fronts ${this.config.ERP_PROVIDER}.`,
      );
  }

  get(): GovernanceResponse {
    this.assertSandbox();
    const s = this.governance.settings;
    return {
      settings: { ...s, maintenanceUntil: s.maintenanceUntil?.toISOString() ?? null },
      counters: this.governance.counters,
    };
  }

  set(request: GovernanceSettingsRequest): GovernanceResponse {
    this.assertSandbox();
    this.governance.configure({
      concurrencyLimit: request.concurrencyLimit ?? GOVERNANCE_OFF.concurrencyLimit,
      ratePerSecond: request.ratePerSecond ?? GOVERNANCE_OFF.ratePerSecond,
      latencyMs: request.latencyMs ?? GOVERNANCE_OFF.latencyMs,
      faultRate: request.faultRate ?? GOVERNANCE_OFF.faultRate,
      faultSeed: request.faultSeed ?? GOVERNANCE_OFF.faultSeed,
      failNext: request.failNext ?? GOVERNANCE_OFF.failNext,
      faultKind: request.faultKind ?? GOVERNANCE_OFF.faultKind,
      maintenanceUntil: request.maintenanceUntil ? new Date(request.maintenanceUntil) : null,
    });
    return this.get();
  }
}
