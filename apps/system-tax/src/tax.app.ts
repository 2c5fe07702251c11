import { webhookScopeDocs } from '@revgate/events';
import { AppSpec } from '@revgate/platform';
import { TaxConfig } from './tax.config';
import { TaxModule } from './tax.module';

export const taxApp: AppSpec<TaxConfig> = {
  name: 'system-tax',
  title: 'Revgate tax system API',
  description: [
    "Tax quotes and committed tax transactions in Revgate's canonical model, behind a provider port designed against Avalara AvaTax (provider today: the sandbox, with its rate table kept as data in the repo). Amounts are decimal strings in the document's currency, never numbers. Errors are application/problem+json with a stable code.",
    "Rounding (declared rule): per line, half-up. A line's tax is its amount × rate — amount × rate ÷ (1 + rate) when the amount includes tax — rounded half-up to the currency's minor units once, on the line. The document's tax is the exact sum of its lines' taxes, never rounded again.",
    'Jurisdiction: where the buyer is (the ship-to address). A customer exemption certificate (exemptionNo) makes every line exempt and is recorded. EU reverse charge: a buyer in an EU member state with a well-formed VAT number of that state, buying from a seller established in another country, is charged no VAT and the document carries the reverse-charge mention.',
    'US SaaS (tax code SW054000), state level only: taxed in AZ, CT, DC, HI, IA, KY (from 2023), MA, MS, NE, NM, NY, OH, PA, RI, SC, SD, TN, TX, UT, WA and WV; not taxed in the other states (e.g. CA, FL, GA, IL, VA) and in the states without a sales tax.',
    'Quotes (like AvaTax SalesOrder) record nothing. Transactions (like SalesInvoice) are recorded and committed under a document code per legal entity, and can be voided.',
  ].join('\n\n'),
  basePath: 'tax/v1',
  version: '1',
  config: TaxConfig,
  module: TaxModule,
  scopes: {
    'tax:read': 'Quote tax and read tax transactions',
    'tax:write': 'Commit and void tax transactions',
    ...webhookScopeDocs('tax'),
    'metrics:read': 'Scrape /metrics',
  },
};
