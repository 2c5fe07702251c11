import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems, RequireScopes } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import {
  UsagePeriodResponse,
  UsageSummaryQuery,
  UsageSummaryResponse,
} from './dto/usage-period.dto';
import { assertPeriod, UsagePeriodsService } from './usage-periods.service';

const PERIOD = { name: 'period', description: 'YYYY-MM', example: '2026-01' };

@ApiTags('Usage periods')
@Controller('usage-periods')
export class UsagePeriodsController {
  constructor(private readonly periods: UsagePeriodsService) {}

  @Get(':period')
  @RequireScopes('u2r:read')
  @ApiParam(PERIOD)
  @ApiOkResponse({ type: UsagePeriodResponse })
  @ApiProblems(400, 403)
  get(@Param('period') period: string): Promise<UsagePeriodResponse> {
    return this.periods.get(assertPeriod(period));
  }

  /**
   * Usage to date in the period, per meter (what a customer's billing view shows): the events that
   * count and their quantity, and the held ones. Optionally of one subscription.
   */
  @Get(':period/summary')
  @RequireScopes('u2r:read')
  @ApiParam(PERIOD)
  @ApiOkResponse({ type: UsageSummaryResponse })
  @ApiProblems(400, 403)
  summary(
    @Param('period') period: string,
    @Query() query: UsageSummaryQuery,
  ): Promise<UsageSummaryResponse> {
    return this.periods.summary(assertPeriod(period), query.subscriptionId);
  }

  /**
   * Closes a period to usage (a billing run does it when it starts): from then on its late events
   * follow their meter's policy. Waits for the batches writing into it; closing it again is harmless.
   */
  @Post(':period/close')
  @HttpCode(200)
  @RequireScopes('u2r:operate')
  @ApiParam(PERIOD)
  @ApiOkResponse({ type: UsagePeriodResponse })
  @ApiProblems(400, 403)
  close(
    @Caller() caller: Principal,
    @Param('period') period: string,
  ): Promise<UsagePeriodResponse> {
    return this.periods.close(assertPeriod(period), caller.subject);
  }
}
