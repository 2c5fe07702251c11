import { webhookScopeDocs } from '@revgate/events';
import { AppSpec } from '@revgate/platform';
import { Q2cConfig } from './q2c.config';
import { Q2cModule } from './q2c.module';

export const q2cApp: AppSpec<Q2cConfig> = {
  name: 'process-quote-to-cash',
  title: 'Revgate quote-to-cash process API',
  description: [
    'A deal closed-won in the CRM becomes an active subscription, a taxed invoice, an ERP receivable and a CRM write-back — exactly once, as a durable workflow (DBOS) whose every step is checkpointed, so a crash resumes where it stopped and nothing done is done again. Started by POST /orders or by the CRM closed-won event; the workflow id is the opportunity, so one deal never makes two orders.',
    'Every order is traceable: its steps with timestamps and attempts, the ids it made in each system, the correlation id that keys its trace everywhere. An order the data blocks (a missing tax registration, an unmapped product, a closed ERP period) waits with the reason in business terms and what to fix; an operator retries it from the failed step, or resolves it. A system that does not answer is retried with backoff and the order parks as an outage that retries itself. Operator actions are audited.',
    'Product mappings (the cross-reference table) tie each CRM product, per currency, to the billing price orders subscribe to and the ERP item its revenue posts under.',
  ].join('\n\n'),
  basePath: 'q2c/v1',
  version: '1',
  config: Q2cConfig,
  module: Q2cModule,
  scopes: {
    'q2c:read': 'Read orders, their traces and product mappings',
    'q2c:write': 'Start orders',
    'q2c:operate': 'Retry or resolve orders that need attention; manage product mappings',
    ...webhookScopeDocs('q2c'),
    'metrics:read': 'Scrape /metrics',
  },
};
