import { erpApp } from './erp.app';
import { http, startTestApp } from '../../../test/support/test-app';
import { describeErpContract } from '../test/erp-contract';
import { CHART, Erp } from '../test/erp-fixtures';

// The contract suite against the sandbox adapter: a legal entity set up through the API, with its
// chart, default accounts and periods 2025-01 to 2027-12, 2025-12 closed.
describeErpContract('sandbox', async () => {
  const t = await startTestApp(erpApp);
  const erp = new Erp(t.url, http);
  await erp.setUpEntity(t.token(['erp:read', 'erp:write']), 'US01', { closed: ['2025-12'] });
  return {
    url: t.url,
    token: (scopes, options) => t.token(scopes, options),
    fixture: {
      legalEntity: 'US01',
      currency: 'USD',
      disallowedCurrency: 'JPY',
      openPeriod: '2026-01',
      closedPeriod: '2025-12',
      sparePeriod: '2025-11',
      unknownPeriodDate: '2031-01-15',
      accounts: {
        receivable: CHART.receivable.code,
        revenue: CHART.revenue.code,
        deferredRevenue: CHART.deferredRevenue.code,
        taxPayable: CHART.taxPayable.code,
        cash: CHART.cash.code,
      },
    },
    close: () => t.close(),
  };
});
