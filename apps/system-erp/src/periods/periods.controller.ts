import { Controller, Get, Headers, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AccountingPeriodStatus } from '@revgate/canonical';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, Page, RequireScopes } from '@revgate/platform';
import {
  ETAG_HEADER,
  IF_MATCH,
  LEGAL_ENTITY_PATH,
  LegalEntityParam,
  PeriodParam,
} from '../common.dto';
import { upserted, withETag } from '../erp.http';
import { ListPeriodsQuery, PeriodPage, PeriodResponse } from './dto/period.dto';
import { PeriodsService } from './periods.service';

const PERIOD = { name: 'period', example: '2026-01', description: 'Accounting period, YYYY-MM' };

@ApiTags('Periods')
@Controller('periods')
export class PeriodsController {
  constructor(private readonly periods: PeriodsService) {}

  /**
   * Opens the accounting period (a calendar month) of a legal entity: 201 when it is new; an
   * existing period is answered as it is (200), open or closed.
   */
  @Put(':legalEntity/:period')
  @RequireScopes('erp:write')
  @ApiParam(LEGAL_ENTITY_PATH)
  @ApiParam(PERIOD)
  @ApiCreatedResponse({ type: PeriodResponse, headers: ETAG_HEADER, description: 'Opened now' })
  @ApiOkResponse({ type: PeriodResponse, headers: ETAG_HEADER, description: 'Already there' })
  @ApiProblems(400, 403, 404)
  async open(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @PeriodParam() period: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PeriodResponse> {
    const opened = await this.periods.open(caller, legalEntity, period);
    return upserted(reply, opened.period, opened.created);
  }

  /** Lists accounting periods the caller may see, oldest update first. */
  @Get()
  @RequireScopes('erp:read')
  @ApiOkResponse({ type: PeriodPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListPeriodsQuery,
  ): Promise<Page<PeriodResponse>> {
    return this.periods.list(caller, query);
  }

  @Get(':legalEntity/:period')
  @RequireScopes('erp:read')
  @ApiParam(LEGAL_ENTITY_PATH)
  @ApiParam(PERIOD)
  @ApiOkResponse({ type: PeriodResponse, headers: ETAG_HEADER })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @PeriodParam() period: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PeriodResponse> {
    return withETag(reply, await this.periods.get(caller, legalEntity, period));
  }

  /**
   * Closes the period: postings dated in it are refused from now on (422 ERP_PERIOD_CLOSED).
   * Postings in flight finish first. Closing a closed period answers 200 with it.
   */
  @Post(':legalEntity/:period/close')
  @HttpCode(200)
  @RequireScopes('erp:write')
  @ApiParam(LEGAL_ENTITY_PATH)
  @ApiParam(PERIOD)
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: PeriodResponse, headers: ETAG_HEADER })
  @ApiProblems(400, 403, 404, 412)
  close(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @PeriodParam() period: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PeriodResponse> {
    return this.change(caller, legalEntity, period, 'closed', ifMatch, reply);
  }

  /** Reopens a closed period; reopening an open period answers 200 with it. */
  @Post(':legalEntity/:period/reopen')
  @HttpCode(200)
  @RequireScopes('erp:write')
  @ApiParam(LEGAL_ENTITY_PATH)
  @ApiParam(PERIOD)
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: PeriodResponse, headers: ETAG_HEADER })
  @ApiProblems(400, 403, 404, 412)
  reopen(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @PeriodParam() period: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PeriodResponse> {
    return this.change(caller, legalEntity, period, 'open', ifMatch, reply);
  }

  private async change(
    caller: Principal,
    legalEntity: string,
    period: string,
    status: AccountingPeriodStatus,
    ifMatch: string | undefined,
    reply: FastifyReply,
  ): Promise<PeriodResponse> {
    return withETag(
      reply,
      await this.periods.setStatus(caller, legalEntity, period, status, ifMatch),
    );
  }
}
