import type { AppPersistence } from '@revgate/persistence';
import { PortalAuditEntity } from './audit/portal-audit.entity';
import { PortalInitial1796055725592 } from './migrations/1796055725592-portal-initial';

export const portalPersistence: AppPersistence = {
  schema: 'portal',
  entities: [PortalAuditEntity],
  migrations: [PortalInitial1796055725592],
};
