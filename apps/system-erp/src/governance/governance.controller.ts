import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, RequireScopes } from '@revgate/platform';
import { GovernanceResponse, GovernanceSettingsRequest } from './dto/governance.dto';
import { GovernanceService } from './governance.service';

@ApiTags('Sandbox governance')
@Controller('sandbox/governance')
export class GovernanceController {
  constructor(private readonly governance: GovernanceService) {}

  /**
   * The sandbox ERP's simulated governance and what it saw: calls, peak concurrency, refusals
   * and injected faults since the settings were last set — so a test can assert that the ERP
   * never saw more concurrent calls than its budget. 404 ERP_SANDBOX_ONLY with a real ERP.
   */
  @Get()
  @RequireScopes('erp:admin')
  @ApiOkResponse({ type: GovernanceResponse })
  @ApiProblems(403, 404)
  get(): GovernanceResponse {
    return this.governance.get();
  }

  /**
   * Sets the simulated governance (fields omitted are off) and starts the counters afresh: a
   * concurrency limit and a rate past which calls get 429 with Retry-After (as NetSuite's
   * concurrency governance answers), latency, faults (a seeded rate, or the next N calls), a
   * maintenance window (503 with Retry-After).
   */
  @Put()
  @RequireScopes('erp:admin')
  @ApiOkResponse({ type: GovernanceResponse })
  @ApiProblems(400, 403, 404)
  set(@Body() body: GovernanceSettingsRequest): GovernanceResponse {
    return this.governance.set(body);
  }
}
