import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, Page, RequireScopes, UuidParam } from '@revgate/platform';
import { OperatorActionRequest, ResolveOrderRequest } from '../orders/dto/order.dto';
import { ExceptionPage, ExceptionResponse, ListExceptionsQuery } from './dto/exception.dto';
import { ExceptionsService } from './exceptions.service';

@ApiTags('Exceptions')
@Controller('exceptions')
export class ExceptionsController {
  constructor(private readonly exceptions: ExceptionsService) {}

  /**
   * Every time an order or an amendment waited, oldest change first: the work, its deal, customer,
   * legal entity and period, the step, the code, what happened and what to fix, and how it closed.
   * Filter by status (open: waiting for someone), work type, code, legal entity, order, account,
   * age.
   */
  @Get()
  @RequireScopes('q2c:read')
  @ApiOkResponse({ type: ExceptionPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListExceptionsQuery,
  ): Promise<Page<ExceptionResponse>> {
    return this.exceptions.list(caller, query);
  }

  @Get(':id')
  @RequireScopes('q2c:read')
  @ApiOkResponse({ type: ExceptionResponse })
  @ApiProblems(400, 403, 404)
  get(@Caller() caller: Principal, @UuidParam('id') id: string): Promise<ExceptionResponse> {
    return this.exceptions.get(caller, id);
  }

  /**
   * Runs the failed step again, once its cause is fixed; the steps before it are not done again.
   * Audited (who, when, why). 409 Q2C_NOT_WAITING when the exception is not open.
   */
  @Post(':id/retry')
  @HttpCode(202)
  @RequireScopes('q2c:operate')
  @ApiBody({ type: OperatorActionRequest, required: false })
  @ApiAcceptedResponse({ type: ExceptionResponse })
  @ApiProblems(400, 403, 404, 409)
  retry(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: OperatorActionRequest,
  ): Promise<ExceptionResponse> {
    return this.exceptions.act(caller, id, 'retry', body.reason);
  }

  /** Closes the work without going on (handled outside Revgate), with the reason. Audited. */
  @Post(':id/resolve')
  @HttpCode(202)
  @RequireScopes('q2c:operate')
  @ApiAcceptedResponse({ type: ExceptionResponse })
  @ApiProblems(400, 403, 404, 409)
  resolve(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: ResolveOrderRequest,
  ): Promise<ExceptionResponse> {
    return this.exceptions.act(caller, id, 'resolve', body.reason);
  }

  /**
   * Cancels the order after a permanent failure: what it made is undone in reverse order — the
   * ERP receivable reversed, the invoice voided with its tax, the subscription canceled, the CRM
   * told — each undoing a step of its trace; the order ends `cancelled`. Orders only (409
   * Q2C_CANCEL_NOT_SUPPORTED for an amendment). Audited.
   */
  @Post(':id/cancel')
  @HttpCode(202)
  @RequireScopes('q2c:operate')
  @ApiAcceptedResponse({ type: ExceptionResponse })
  @ApiProblems(400, 403, 404, 409)
  cancel(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: ResolveOrderRequest,
  ): Promise<ExceptionResponse> {
    return this.exceptions.act(caller, id, 'cancel', body.reason);
  }
}
