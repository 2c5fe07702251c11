import { Module } from '@nestjs/common';
import { AuthModule } from '@revgate/auth';
import { PersistenceModule } from '@revgate/persistence';
import { ResilienceModule } from '@revgate/resilience';
import { AuditController } from './audit/audit.controller';
import { PortalAudit } from './audit/portal-audit';
import { CustomersController } from './customers/customers.controller';
import { CustomersService } from './customers/customers.service';
import { ExceptionsController } from './exceptions/exceptions.controller';
import { ExceptionsService } from './exceptions/exceptions.service';
import { OverviewController } from './overview/overview.controller';
import { OverviewService } from './overview/overview.service';
import { PortalApis } from './portal-apis';
import { portalPersistence } from './portal.persistence';
import { ReconciliationController } from './reconciliation/reconciliation.controller';
import { ReconciliationService } from './reconciliation/reconciliation.service';
import { TraceController } from './trace/trace.controller';
import { TraceService } from './trace/trace.service';

@Module({
  imports: [PersistenceModule.forApp(portalPersistence), AuthModule.forApp(), ResilienceModule],
  controllers: [
    OverviewController,
    ExceptionsController,
    AuditController,
    TraceController,
    ReconciliationController,
    CustomersController,
  ],
  providers: [
    PortalApis,
    PortalAudit,
    OverviewService,
    ExceptionsService,
    TraceService,
    ReconciliationService,
    CustomersService,
  ],
})
export class PortalModule {}
