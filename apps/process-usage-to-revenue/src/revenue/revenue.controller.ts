import { Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, RequireScopes } from '@revgate/platform';
import { assertPeriod } from '../usage-periods/usage-periods.service';
import { RevenueCloseResponse, RevenueWaterfallResponse, WaterfallQuery } from './dto/revenue.dto';
import { RevenueService } from './revenue.service';

const PERIOD = { name: 'period', description: 'YYYY-MM', example: '2026-01' };

@ApiTags('Revenue')
@Controller('periods')
export class RevenueController {
  constructor(private readonly revenue: RevenueService) {}

  /**
   * Closes the period's revenue (202): summarizes what the period recognizes of deferred revenue,
   * less what earlier closes released, into one journal per legal entity and currency — Dr
   * deferred revenue, Cr revenue, per account pair and product family — posts each to the ERP
   * under its budget and emits revenue.journal.approved.v1. A close can start from the period's
   * first day; closing again releases only what was posted since (nothing twice). 200 with the
   * close while one runs; 422 U2R_PERIOD_IN_FUTURE; 409 U2R_BILLING_RUN_IN_PROGRESS while the
   * period's billing run is posting; 403 U2R_ALL_ENTITIES_REQUIRED for a caller limited to some
   * legal entities (a close posts every entity's journals). Readers limited to legal entities see
   * only theirs, in the close and the waterfall.
   */
  @Post(':period/close')
  @RequireScopes('u2r:operate')
  @ApiParam(PERIOD)
  @ApiAcceptedResponse({ type: RevenueCloseResponse, description: 'Started' })
  @ApiOkResponse({ type: RevenueCloseResponse, description: 'Started before: the close as it is' })
  @ApiProblems(400, 403, 409, 422)
  async close(
    @Caller() caller: Principal,
    @Param('period') period: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RevenueCloseResponse> {
    const { close, created } = await this.revenue.close(assertPeriod(period), caller);
    void reply.status(created ? 202 : 200).header('location', `periods/${period}/close`);
    return close;
  }

  /** The period's revenue close: its state and each journal (posted, refused with why, …). */
  @Get(':period/close')
  @RequireScopes('u2r:read')
  @ApiParam(PERIOD)
  @ApiOkResponse({ type: RevenueCloseResponse })
  @ApiProblems(400, 403, 404)
  getClose(
    @Caller() caller: Principal,
    @Param('period') period: string,
  ): Promise<RevenueCloseResponse> {
    return this.revenue.getClose(assertPeriod(period), caller);
  }

  /**
   * The revenue waterfall of a period, per legal entity and currency: deferred revenue at its
   * start, billed (posted) in it, recognized in it, deferred at its end and by the period it will
   * be recognized in; per product family; and the check billed = recognized + deferred.
   */
  @Get(':period/revenue')
  @RequireScopes('u2r:read')
  @ApiParam(PERIOD)
  @ApiOkResponse({ type: RevenueWaterfallResponse })
  @ApiProblems(400, 403)
  waterfall(
    @Caller() caller: Principal,
    @Param('period') period: string,
    @Query() query: WaterfallQuery,
  ): Promise<RevenueWaterfallResponse> {
    return this.revenue.waterfall(assertPeriod(period), query, caller);
  }
}
