import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, RequireScopes } from '@revgate/platform';
import { PortalReconciliationQuery, PortalReconciliationResponse } from './reconciliation.dto';
import { ReconciliationService } from './reconciliation.service';

@ApiTags('Reconciliation')
@Controller('reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  /**
   * The period per legal entity: bookings ↔ invoices ↔ receivables (each closed-won deal to its
   * order, invoice and ERP receivable), the usage funnel, and billed = recognized + deferred. Each
   * variance says what differs and links its records.
   */
  @Get()
  @RequireScopes('portal:read')
  @ApiOkResponse({ type: PortalReconciliationResponse })
  @ApiProblems(400, 403, 502, 503)
  reconcile(
    @Caller() caller: Principal,
    @Query() query: PortalReconciliationQuery,
  ): Promise<PortalReconciliationResponse> {
    return this.reconciliation.reconcile(caller, query);
  }
}
