import { erpApp } from '../erp.app';
import { ErpConfig } from '../erp.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  CHART,
  Erp,
  erpCounts,
  expectStatus,
  pointers,
  unique,
  expectRefusedUnwritten,
} from '../../test/erp-fixtures';
import type { ItemResponse } from './dto/item.dto';

describe('items (e2e)', () => {
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
  });
  afterAll(async () => {
    await t.close();
  });

  const valid = { name: 'API calls', revenueAccount: CHART.usageRevenue.code };
  const put = (code: string, body: unknown) =>
    erp.request<ItemResponse>('PUT', `items/US01/${code}`, rw, body);

  it('creates an item (a sku with a slash too), and changes its accounts', async () => {
    const created = await put('API%2FCALLS', { ...valid, taxCode: 'SW054000' });
    expectStatus(created, 201);
    expect(created.body).toMatchObject({
      legalEntity: 'US01',
      code: 'API/CALLS',
      revenueAccount: '4100',
      taxCode: 'SW054000',
      version: 1,
    });
    const changed = await put('API%2FCALLS', {
      ...valid,
      deferredRevenueAccount: CHART.deferredRevenue.code,
    });
    expectStatus(changed, 200);
    expect(changed.body).toMatchObject({ deferredRevenueAccount: '2400', version: 2 });
    expect(changed.body.taxCode).toBeUndefined();
    expect(await erp.ok('GET', 'items/US01/API%2FCALLS', reader)).toEqual(changed.body);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'a revenue account not in the chart',
      { revenueAccount: '4999' },
      'ERP_ACCOUNT_UNKNOWN',
      '/revenueAccount',
    ],
    [
      'a revenue account that is receivable',
      { revenueAccount: CHART.receivable.code },
      'ERP_ACCOUNT_TYPE_MISMATCH',
      '/revenueAccount',
    ],
    [
      'a deferred revenue account that is revenue',
      { deferredRevenueAccount: CHART.revenue.code },
      'ERP_ACCOUNT_TYPE_MISMATCH',
      '/deferredRevenueAccount',
    ],
  ])('refuses %s with 422 and writes nothing', async (_name, change, code, pointer) => {
    const counts = await erpCounts(t);
    const res = await put(unique('ITEM'), { ...valid, ...change });
    expectProblem(res, 422, code);
    expect(pointers(res)).toEqual([pointer]);
    expect(await erpCounts(t)).toEqual(counts);
  });

  const badBodies: [string, unknown, string][] = [
    ['no revenue account', { name: 'API' }, '/revenueAccount'],
    ['no name', { revenueAccount: '4100' }, '/name'],
    ['a tax code in lower case', { ...valid, taxCode: 'sw054000' }, '/taxCode'],
    [
      'a null deferred revenue account',
      { ...valid, deferredRevenueAccount: null },
      '/deferredRevenueAccount',
    ],
    ['an unknown field', { ...valid, price: '10' }, '/price'],
  ];
  it.each(badBodies)(
    'rejects %s with VALIDATION_FAILED and writes nothing',
    async (_name, body, pointer) => {
      await expectRefusedUnwritten(
        t,
        () => put(unique('ITEM'), body),
        400,
        'VALIDATION_FAILED',
        pointer,
      );
    },
  );

  it('answers 404 for an unknown entity or item', async () => {
    expectProblem(
      await erp.request('PUT', 'items/ZZ99/API', rw, valid),
      404,
      'ERP_LEGAL_ENTITY_NOT_FOUND',
    );
    expectProblem(await erp.request('GET', 'items/US01/NOPE', reader), 404, 'ERP_ITEM_NOT_FOUND');
    const page = await erp.ok<{ data: ItemResponse[] }>('GET', 'items?legalEntity=US01', reader);
    expect(page.data.map((i) => i.code)).toContain('API/CALLS');
  });
});
