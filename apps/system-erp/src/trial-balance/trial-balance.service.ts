import { Inject, Injectable } from '@nestjs/common';
import { type Principal } from '@revgate/auth';
import { assertEntityVisible } from '../erp.guards';
import { ERP_PROVIDER, type ErpProvider } from '../providers/erp-provider.port';
import { TrialBalanceResponse } from './dto/trial-balance.dto';

@Injectable()
export class TrialBalanceService {
  constructor(@Inject(ERP_PROVIDER) private readonly erp: ErpProvider) {}

  async get(caller: Principal, legalEntity: string, period: string): Promise<TrialBalanceResponse> {
    assertEntityVisible(caller, legalEntity);
    const balance = await this.erp.trialBalance(legalEntity, period);
    return {
      legalEntity: balance.legalEntity,
      period: balance.period,
      sections: balance.sections.map((s) => ({ ...s, rows: s.rows.map((r) => ({ ...r })) })),
    };
  }
}
