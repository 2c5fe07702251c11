import { AppSpec } from '@revgate/platform';
import { PortalConfig } from './portal.config';
import { PortalModule } from './portal.module';
import { serveWebUi } from './web-ui';

export const portalApp: AppSpec<PortalConfig> = {
  name: 'experience-portal',
  title: 'Revgate experience API (finance portal)',
  description: [
    'What finance and IT need in one place, read from the process and system APIs: an overview (throughput per flow, exceptions by code and age, retry queue, failed syncs, outbox lag, invoice-to-posting latency, breakers and budgets), the exception workbench (retry from the failed step, resolve with a reason, audited), the per-deal trace across CRM, billing, tax and the ERP, the reconciliation of a period (bookings ↔ invoices ↔ receivables, the usage funnel, billed = recognized + deferred), and the customer billing view for portal users limited to one customer.',
    'The web UI is served by this app at `/`. Money and quantities are decimal strings. Errors are application/problem+json with a stable code; an API the answer needs that does not answer gives 503 PORTAL_UPSTREAM_UNAVAILABLE with Retry-After.',
  ].join('\n\n'),
  basePath: 'portal/v1',
  version: '1',
  config: PortalConfig,
  module: PortalModule,
  scopes: {
    'portal:read': 'Read the overview, exceptions, traces, reconciliations and the audit log',
    'portal:operate': 'Retry and resolve exceptions (audited)',
    'portal:customer':
      "Read a customer's billing view (with the customer_id claim: that customer only)",
    'metrics:read': 'Scrape /metrics',
  },
  configure: serveWebUi,
};
