import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, RequireScopes } from '@revgate/platform';
import { OverviewResponse } from './overview.dto';
import { OverviewService } from './overview.service';

@ApiTags('Overview')
@Controller('overview')
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  /**
   * Whether revenue operations produce trusted outcomes: throughput per flow, failed syncs, open
   * exceptions by code and age, the retry queue, outbox lag, invoice-to-posting latency (p50/p95),
   * breaker state and budget use per upstream. Sources that did not answer are named.
   */
  @Get()
  @RequireScopes('portal:read')
  @ApiOkResponse({ type: OverviewResponse })
  @ApiProblems(403)
  get(@Caller() caller: Principal): Promise<OverviewResponse> {
    return this.overview.overview(caller);
  }
}
