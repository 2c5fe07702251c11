import { erpApp } from '../erp.app';
import { ErpConfig } from '../erp.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import { CHART, Erp, erpCounts, expectStatus, invoiceBody } from '../../test/erp-fixtures';

describe('trial balance (e2e)', () => {
  let t: TestApp<ErpConfig>;
  let erp: Erp;
  let rw: string;
  let reader: string;

  beforeAll(async () => {
    t = await startTestApp(erpApp);
    erp = new Erp(t.url, http);
    rw = t.token(['erp:read', 'erp:write']);
    reader = t.token(['erp:read']);
    await erp.setUpEntity(rw, 'US01');
    const customer = (await erp.upsertCustomer(rw, 'US01')).externalId;
    const item = await erp.upsertItem(rw, 'US01');
    const post = async (overrides: Record<string, unknown>) =>
      expectStatus(await erp.postInvoice(rw, invoiceBody('US01', customer, item, overrides)), 201);
    await post({
      date: '2026-01-10',
      lines: [{ itemCode: item, quantity: '1', amount: '100.00', taxAmount: '8.00' }],
    });
    await post({ date: '2026-02-10', lines: [{ itemCode: item, quantity: '1', amount: '50.00' }] });
    await post({
      date: '2026-02-11',
      currency: 'EUR',
      lines: [{ itemCode: item, quantity: '1', amount: '20.00' }],
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('carries earlier periods as opening balances, and keeps one section per currency', async () => {
    const february = await erp.trialBalance(reader, 'US01', '2026-02');
    expect(february).toEqual({
      legalEntity: 'US01',
      period: '2026-02',
      sections: [
        {
          currency: 'EUR',
          rows: [
            {
              accountCode: CHART.receivable.code,
              name: CHART.receivable.name,
              type: 'receivable',
              openingBalance: '0.00',
              debit: '20.00',
              credit: '0.00',
              closingBalance: '20.00',
            },
            {
              accountCode: CHART.revenue.code,
              name: CHART.revenue.name,
              type: 'revenue',
              openingBalance: '0.00',
              debit: '0.00',
              credit: '20.00',
              closingBalance: '-20.00',
            },
          ],
          totalDebit: '20.00',
          totalCredit: '20.00',
          totalOpeningBalance: '0.00',
          totalClosingBalance: '0.00',
        },
        {
          currency: 'USD',
          rows: [
            {
              accountCode: CHART.receivable.code,
              name: CHART.receivable.name,
              type: 'receivable',
              openingBalance: '108.00',
              debit: '50.00',
              credit: '0.00',
              closingBalance: '158.00',
            },
            {
              accountCode: CHART.taxPayable.code,
              name: CHART.taxPayable.name,
              type: 'tax_payable',
              openingBalance: '-8.00',
              debit: '0.00',
              credit: '0.00',
              closingBalance: '-8.00',
            },
            {
              accountCode: CHART.revenue.code,
              name: CHART.revenue.name,
              type: 'revenue',
              openingBalance: '-100.00',
              debit: '0.00',
              credit: '50.00',
              closingBalance: '-150.00',
            },
          ],
          totalDebit: '50.00',
          totalCredit: '50.00',
          totalOpeningBalance: '0.00',
          totalClosingBalance: '0.00',
        },
      ],
    });
    const december = await erp.trialBalance(reader, 'US01', '2025-12');
    expect(december.sections).toEqual([]);
  });

  it('answers 404 for an entity it does not have or the caller does not see, 400 for a bad period', async () => {
    const counts = await erpCounts(t);
    expectProblem(
      await erp.request('GET', 'trial-balance/ZZ99/2026-01', reader),
      404,
      'ERP_LEGAL_ENTITY_NOT_FOUND',
    );
    const de = t.token(['erp:read'], { legalEntities: ['DE01'] });
    expectProblem(
      await erp.request('GET', 'trial-balance/US01/2026-01', de),
      404,
      'ERP_LEGAL_ENTITY_NOT_FOUND',
    );
    expectProblem(
      await erp.request('GET', 'trial-balance/US01/2026-13', reader),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await erp.request('GET', 'trial-balance/US01/2026-01', t.token(['erp:write'])),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
    expect(await erpCounts(t)).toEqual(counts);
  });
});
