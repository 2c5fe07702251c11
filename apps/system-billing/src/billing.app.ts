import { webhookScopeDocs } from '@revgate/events';
import { AppSpec } from '@revgate/platform';
import { BillingConfig } from './billing.config';
import { BillingModule } from './billing.module';

export const billingApp: AppSpec<BillingConfig> = {
  name: 'system-billing',
  title: 'Revgate billing system API',
  description: [
    "Customers, the catalog (products and prices), subscriptions and their amendments, invoices, credit memos and payments in Revgate's canonical model, behind a provider port designed against Stripe's objects (provider today: the sandbox). Money is a decimal string in the document's currency, never a number. Errors are application/problem+json with a stable code.",
    "Pricing (declared rule): flat, per unit, package, and tiered (graduated or volume) prices, as Stripe's. An included quantity comes off first: billable = max(0, quantity − included), and the model prices the billable units as if they were the whole quantity. Amounts are exact until a line is rounded, once, half-up to the currency's minor units.",
    'Proration (declared rule): day-based. A change effective on day D of a billing period [start, end) of N days credits the old terms and charges the new ones for the unused days u = end − D: each line is ±round(period price × u / N), half-up, on its own. A net charge waits for the next invoice as prorated lines; a net credit is issued as a credit memo.',
    'Invoices are numbered when finalized, gap-free per legal entity and year (US01-2026-000001); a finalized invoice is immutable. Tax comes from the tax system API (quoted for drafts, committed on finalization); without one configured, invoices say that tax was not calculated.',
  ].join('\n\n'),
  basePath: 'billing/v1',
  version: '1',
  config: BillingConfig,
  module: BillingModule,
  scopes: {
    'billing:read':
      'Read customers, the catalog, subscriptions, invoices, credit memos and payments',
    'billing:write': 'Create and change them',
    ...webhookScopeDocs('billing'),
    'metrics:read': 'Scrape /metrics',
  },
};
