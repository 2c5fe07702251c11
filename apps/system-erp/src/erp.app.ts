import { webhookScopeDocs } from '@revgate/events';
import { AppSpec } from '@revgate/platform';
import { ErpConfig } from './erp.config';
import { ErpModule } from './erp.module';

export const erpApp: AppSpec<ErpConfig> = {
  name: 'system-erp',
  title: 'Revgate ERP system API',
  description: [
    "The financial system of record in Revgate's canonical model: legal entities, accounting periods, the chart of accounts, customers and items, AR invoices and credit memos, customer payments with cash application, journal entries and trial balances. Behind a provider port designed against Tryton and NetSuite (providers today: the sandbox, a double-entry ledger, and Tryton 6.0 over JSON-RPC). Amounts are decimal strings, never numbers. Errors are application/problem+json with a stable code.",
    'Idempotency by external id: every posting carries your id (the billing invoice id, the payment reference, the journal key). Posting it again with the same content answers 200 with the first posting; other content under it is a 409 ERP_EXTERNAL_ID_CONFLICT. A refused posting (closed period, unknown customer, item or account, currency the entity does not allow, unbalanced journal) writes nothing.',
    'Revenue or deferred revenue (declared rule): a line whose service period ends after the end of its posting period goes whole to deferred revenue; revenue journals release it. Other lines are revenue when posted.',
  ].join('\n\n'),
  basePath: 'erp/v1',
  version: '1',
  config: ErpConfig,
  module: ErpModule,
  scopes: {
    'erp:read':
      'Read legal entities, periods, accounts, customers, items, postings and trial balances',
    'erp:write':
      'Set up master data, post documents, payments and journals, close and reopen periods',
    'erp:admin': "Read and set the sandbox ERP's simulated governance (limits, latency, faults)",
    ...webhookScopeDocs('erp'),
    'metrics:read': 'Scrape /metrics',
  },
};
