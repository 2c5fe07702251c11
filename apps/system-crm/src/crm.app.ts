import { webhookScopeDocs } from '@revgate/events';
import { AppSpec } from '@revgate/platform';
import { CrmConfig } from './crm.config';
import { CrmModule } from './crm.module';

export const crmApp: AppSpec<CrmConfig> = {
  name: 'system-crm',
  title: 'Revgate CRM system API',
  description:
    "The customer master, catalog and pipeline of the CRM of record, in Revgate's canonical model: accounts, products, opportunities and their lines, stage changes, and the billing-status write-back. Errors are application/problem+json with a stable code.",
  basePath: 'crm/v1',
  version: '1',
  config: CrmConfig,
  module: CrmModule,
  scopes: {
    'crm:read': 'Read accounts, products and opportunities',
    'crm:write': 'Create and change them',
    ...webhookScopeDocs('crm'),
    'metrics:read': 'Scrape /metrics',
  },
};
