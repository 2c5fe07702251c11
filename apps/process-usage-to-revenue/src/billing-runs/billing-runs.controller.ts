import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, RequireScopes, validationProblem } from '@revgate/platform';
import { BillingRunResponse, StartBillingRunRequest } from './dto/billing-run.dto';
import { BillingRunsService } from './billing-runs.service';

const RUN_ID = /^billing-run:\d{4}-\d{2}:[A-Za-z0-9+_-]{1,150}$/;

@ApiTags('Billing runs')
@Controller('billing-runs')
export class BillingRunsController {
  constructor(private readonly runs: BillingRunsService) {}

  /**
   * Starts the billing run of a period (202): closes the period to usage, rates it, has billing
   * issue each subscription's invoice (recurring and usage lines) and posts the invoices to the ERP
   * by legal entity and currency, under the ERP's budget. Its id is billing-run:<period>:<entities>:
   * starting the same run again answers it (200) and does nothing twice; a subscription billed for
   * the period by any run is never billed again.
   */
  @Post()
  @RequireScopes('u2r:operate')
  @ApiAcceptedResponse({ type: BillingRunResponse, description: 'Started' })
  @ApiOkResponse({ type: BillingRunResponse, description: 'Started before: the run as it is' })
  @ApiProblems(400, 403)
  async start(
    @Caller() caller: Principal,
    @Body() body: StartBillingRunRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BillingRunResponse> {
    const { run, created } = await this.runs.start(body, caller.subject);
    void reply.status(created ? 202 : 200).header('location', `billing-runs/${run.id}`);
    return run;
  }

  /** A run's progress: done / total, counts per state, rate and ETA. */
  @Get(':id')
  @RequireScopes('u2r:read')
  @ApiParam({ name: 'id', example: 'billing-run:2026-01:all' })
  @ApiOkResponse({ type: BillingRunResponse })
  @ApiProblems(400, 403, 404)
  get(@Param('id') id: string): Promise<BillingRunResponse> {
    if (!RUN_ID.test(id))
      throw validationProblem([{ pointer: 'id', detail: 'id must be a billing run id' }]);
    return this.runs.get(id);
  }
}
