import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, type Page, RequireScopes, UuidParam } from '@revgate/platform';
import {
  ExceptionDetailResponse,
  ListExceptionsQuery,
  PortalActionRequest,
  PortalActionResponse,
  PortalExceptionPage,
  PortalExceptionResponse,
} from './exception.dto';
import { ExceptionsService } from './exceptions.service';

@ApiTags('Exception workbench')
@Controller('exceptions')
export class ExceptionsController {
  constructor(private readonly exceptions: ExceptionsService) {}

  /**
   * Exceptions of the flows, oldest change first: the business context (deal, customer, legal
   * entity, period), the step and code, what happened and what to fix, the age. Filter by flow,
   * status (open: waiting for someone), code, legal entity and age.
   */
  @Get()
  @RequireScopes('portal:read')
  @ApiOkResponse({ type: PortalExceptionPage })
  @ApiProblems(400, 403, 502, 503)
  list(
    @Caller() caller: Principal,
    @Query() query: ListExceptionsQuery,
  ): Promise<Page<PortalExceptionResponse>> {
    return this.exceptions.list(caller, query);
  }

  /** One exception with its order's steps, the operator actions and the portal's audit of it. */
  @Get(':id')
  @RequireScopes('portal:read')
  @ApiOkResponse({ type: ExceptionDetailResponse })
  @ApiProblems(400, 403, 404, 502, 503)
  get(@Caller() caller: Principal, @UuidParam('id') id: string): Promise<ExceptionDetailResponse> {
    return this.exceptions.get(caller, id);
  }

  /**
   * Runs the failed step again once its cause is fixed (the steps before it are not done again).
   * Audited: who, when, why. 409 Q2C_NOT_WAITING when the exception is no longer open.
   */
  @Post(':id/retry')
  @HttpCode(202)
  @RequireScopes('portal:operate')
  @ApiAcceptedResponse({ type: PortalActionResponse })
  @ApiProblems(400, 403, 404, 409, 502, 503)
  retry(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: PortalActionRequest,
  ): Promise<PortalActionResponse> {
    return this.exceptions.act(caller, id, 'retry', body.reason);
  }

  /** Closes the work without going on (handled outside Revgate), with the reason. Audited. */
  @Post(':id/resolve')
  @HttpCode(202)
  @RequireScopes('portal:operate')
  @ApiAcceptedResponse({ type: PortalActionResponse })
  @ApiProblems(400, 403, 404, 409, 502, 503)
  resolve(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: PortalActionRequest,
  ): Promise<PortalActionResponse> {
    return this.exceptions.act(caller, id, 'resolve', body.reason);
  }
}
