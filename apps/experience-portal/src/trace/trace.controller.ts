import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, RequireScopes } from '@revgate/platform';
import { TraceQuery, TraceResponse } from './trace.dto';
import { TraceService } from './trace.service';

@ApiTags('Per-deal trace')
@Controller('trace')
export class TraceController {
  constructor(private readonly traces: TraceService) {}

  /**
   * The deal's timeline across CRM, quote-to-cash, billing, tax and the ERP, with each system's
   * ids and state. Find it by exactly one of: correlation id, order id, invoice id, opportunity id.
   */
  @Get()
  @RequireScopes('portal:read')
  @ApiOkResponse({ type: TraceResponse })
  @ApiProblems(400, 403, 404, 502, 503)
  trace(@Caller() caller: Principal, @Query() query: TraceQuery): Promise<TraceResponse> {
    return this.traces.trace(caller, query);
  }
}
