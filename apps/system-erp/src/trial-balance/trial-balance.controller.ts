import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, RequireScopes } from '@revgate/platform';
import { LEGAL_ENTITY_PATH, LegalEntityParam, PeriodParam } from '../common.dto';
import { TrialBalanceResponse } from './dto/trial-balance.dto';
import { TrialBalanceService } from './trial-balance.service';

@ApiTags('Trial balance')
@Controller('trial-balance')
export class TrialBalanceController {
  constructor(private readonly trialBalance: TrialBalanceService) {}

  /**
   * The trial balance of a legal entity for a period: every account with postings up to the
   * period's end, with its opening balance, the period's debits and credits and its closing
   * balance, per currency. Debits equal credits in every section.
   */
  @Get(':legalEntity/:period')
  @RequireScopes('erp:read')
  @ApiParam(LEGAL_ENTITY_PATH)
  @ApiParam({ name: 'period', example: '2026-01', description: 'Accounting period, YYYY-MM' })
  @ApiOkResponse({ type: TrialBalanceResponse })
  @ApiProblems(400, 403, 404)
  get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @PeriodParam() period: string,
  ): Promise<TrialBalanceResponse> {
    return this.trialBalance.get(caller, legalEntity, period);
  }
}
