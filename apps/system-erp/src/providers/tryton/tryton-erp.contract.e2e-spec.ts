import { erpApp } from '../../erp.app';
import { http, startTestApp } from '../../../../../test/support/test-app';
import { ensureTemplate, startTrytonServer } from '../../../../../test/tryton/tryton-server';
import { describeErpContract } from '../../../test/erp-contract';
import { Erp, legalEntityBody } from '../../../test/erp-fixtures';

// The contract suite against a real Tryton 6.0: the ERP app with ERP_PROVIDER=tryton, pointed at
// a trytond of its own (a copy of the ready template: companies US01 and DE01, coded chart, fiscal
// years of this year and the next). The harness maps US01 through the API, with its default
// accounts, and closes January of next year; the suite posts in February (spare) and March (open).
const YEAR = new Date().getUTCFullYear() + 1;

// Building the template takes ~15 s (more on a busy machine); each suite then copies it.
beforeAll(() => ensureTemplate(), 600_000);

describeErpContract('tryton', async () => {
  const tryton = await startTrytonServer();
  const t = await startTestApp(erpApp, {
    ERP_PROVIDER: 'tryton',
    ERP_TRYTON_URL: tryton.url,
    ERP_TRYTON_DATABASE: tryton.database,
    ERP_TRYTON_USER: tryton.login,
    ERP_TRYTON_PASSWORD: tryton.password,
  });
  const erp = new Erp(t.url, http);
  const token = t.token(['erp:read', 'erp:write']);
  await erp.ok('PUT', 'legal-entities/US01', token, {
    ...legalEntityBody({ name: 'Revgate US Inc.', allowedCurrencies: ['USD'] }),
    defaultAccounts: {
      receivable: '1100',
      taxPayable: '2200',
      cash: '1000',
      deferredRevenue: '2400',
    },
  });
  await erp.ok('POST', `periods/US01/${YEAR}-01/close`, token);
  return {
    url: t.url,
    token: (scopes, options) => t.token(scopes, options),
    fixture: {
      legalEntity: 'US01',
      currency: 'USD',
      disallowedCurrency: 'EUR',
      openPeriod: `${YEAR}-03`,
      closedPeriod: `${YEAR}-01`,
      sparePeriod: `${YEAR}-02`,
      unknownPeriodDate: `${YEAR + 5}-01-15`,
      accounts: {
        receivable: '1100',
        revenue: '4000',
        deferredRevenue: '2400',
        taxPayable: '2200',
        cash: '1000',
      },
    },
    close: async () => {
      await t.close();
      await tryton.stop();
    },
  };
});
