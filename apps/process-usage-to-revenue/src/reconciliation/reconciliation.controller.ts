import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, RequireScopes } from '@revgate/platform';
import { ReconciliationQuery, ReconciliationResponse } from './dto/reconciliation.dto';
import { ReconciliationService } from './reconciliation.service';

@ApiTags('Reconciliation')
@Controller('reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  /**
   * A period's usage followed through the flow, per customer, subscription and meter: events
   * ingested, quantity rated, quantity invoiced, invoice posted to the ERP; every variance listed
   * with its cause and links to the records; and per legal entity and currency, billed =
   * recognized + deferred. A caller limited to legal entities sees only theirs (usage not tied to
   * a billed subscription has no entity yet and is left out for such a caller).
   */
  @Get()
  @RequireScopes('u2r:read')
  @ApiOkResponse({ type: ReconciliationResponse })
  @ApiProblems(400, 403)
  get(
    @Caller() caller: Principal,
    @Query() query: ReconciliationQuery,
  ): Promise<ReconciliationResponse> {
    return this.reconciliation.reconcile(query.period, caller);
  }
}
