import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, type Page, RequireScopes } from '@revgate/platform';
import { AuditEntryResponse, AuditPage, ListAuditQuery } from './audit.dto';
import { PortalAudit } from './portal-audit';

@ApiTags('Audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: PortalAudit) {}

  /** Every operator action taken in the portal, oldest first: who, when, why, on what. */
  @Get()
  @RequireScopes('portal:read')
  @ApiOkResponse({ type: AuditPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListAuditQuery,
  ): Promise<Page<AuditEntryResponse>> {
    return this.audit.list(query, caller.legalEntities);
  }
}
