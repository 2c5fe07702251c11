import { webhookScopeDocs } from '@revgate/events';
import { AppSpec } from '@revgate/platform';
import { U2rConfig } from './u2r.config';
import { U2rModule } from './u2r.module';

export const u2rApp: AppSpec<U2rConfig> = {
  name: 'process-usage-to-revenue',
  title: 'Revgate usage-to-revenue process API',
  description: [
    'Usage ingestion into an append-only ledger, rating, billing runs that invoice through the billing system API and post to the ERP under its budget, revenue schedules and period close, and a reconciliation that proves every unit of usage was billed, posted and recognized once. Quantities and money are decimal strings, never numbers. Errors are application/problem+json with a stable code.',
    'Duplicates (declared policy): an event id is stored once, forever (at least the 35 days promised). The first event with an id wins; a later event with the same id — in the same batch, another batch, or the same batch sent twice at once — is reported duplicate and changes nothing, whatever its content. The ledger is never updated: a correction is a cancellation event ({id, cancels}) plus a new event.',
    "Late usage (declared policy): an event belongs to the period (YYYY-MM) of its timestamp's UTC day. A period closes when its billing run starts. An event for a closed period follows its meter's policy: carry_forward counts it in the next open period; hold stores it as held, reported in the batch answer and the reconciliation, until an operator releases it into an open period. A cancellation of usage in a closed period is always held. Timestamps more than 5 minutes ahead of the server's clock are rejected.",
  ].join('\n\n'),
  basePath: 'u2r/v1',
  version: '1',
  config: U2rConfig,
  module: U2rModule,
  scopes: {
    'u2r:ingest': 'Send usage events',
    'u2r:read': 'Read meters, the usage ledger, ratings, billing runs, revenue and reconciliations',
    'u2r:operate': 'Manage meters, release held usage, start billing runs, close periods',
    ...webhookScopeDocs('u2r'),
    'metrics:read': 'Scrape /metrics',
  },
};
