import { erpApp } from '../erp.app';
import { ErpConfig } from '../erp.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  CHART,
  Erp,
  erpCounts,
  expectStatus,
  journalBody,
  pointers,
  expectRefusedUnwritten,
} from '../../test/erp-fixtures';
import type { AccountResponse } from './dto/account.dto';

describe('accounts (e2e)', () => {
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

  const put = (code: string, body: unknown, headers: Record<string, string> = {}) =>
    erp.request<AccountResponse>('PUT', `accounts/US01/${code}`, rw, body, headers);

  it('creates an account, renames it, and changes the type of one nothing uses', async () => {
    const created = await put('7000', { name: 'Other income', type: 'revenue' });
    expectStatus(created, 201);
    expect(created.body).toMatchObject({
      legalEntity: 'US01',
      code: '7000',
      name: 'Other income',
      type: 'revenue',
      version: 1,
    });
    const renamed = await put(
      '7000',
      { name: 'Other operating income', type: 'revenue' },
      { 'if-match': '"v1"' },
    );
    expectStatus(renamed, 200);
    expect(renamed.body).toMatchObject({ name: 'Other operating income', version: 2 });
    const retyped = await put('7000', { name: 'Other operating income', type: 'expense' });
    expectStatus(retyped, 200);
    expect(retyped.body).toMatchObject({ type: 'expense', version: 3 });
    expect(await erp.ok('GET', 'accounts/US01/7000', reader)).toEqual(retyped.body);
  });

  it.each<[string, string]>([
    ['with postings', CHART.expense.code],
    ['that is a default account', CHART.cash.code],
    ["that is an item's revenue account", CHART.revenue.code],
  ])('keeps the type of an account %s (422 ERP_FIELD_IMMUTABLE)', async (_name, code) => {
    await erp.upsertItem(rw, 'US01');
    const posted = await erp.postJournal(
      rw,
      journalBody('US01', [
        { accountCode: CHART.expense.code, debit: '5.00' },
        { accountCode: CHART.cash.code, credit: '5.00' },
      ]),
    );
    expect([200, 201]).toContain(posted.status);
    const account = await erp.ok<AccountResponse>('GET', `accounts/US01/${code}`, reader);
    const counts = await erpCounts(t);
    const res = await put(code, { name: account.name, type: 'equity' });
    expectProblem(res, 422, 'ERP_FIELD_IMMUTABLE');
    expect(pointers(res)).toEqual(['/type']);
    expect(await erp.ok('GET', `accounts/US01/${code}`, reader)).toEqual(account);
    expect(await erpCounts(t)).toEqual(counts);
  });

  const badBodies: [string, unknown, string][] = [
    ['no name', { type: 'revenue' }, '/name'],
    ['an unknown type', { name: 'Income', type: 'income' }, '/type'],
    ['a code in the body', { name: 'Income', type: 'revenue', code: '7100' }, '/code'],
    [
      'a legal entity in the body',
      { name: 'Income', type: 'revenue', legalEntity: 'US01' },
      '/legalEntity',
    ],
  ];
  it.each(badBodies)(
    'rejects %s with VALIDATION_FAILED and writes nothing',
    async (_name, body, pointer) => {
      await expectRefusedUnwritten(t, () => put('7100', body), 400, 'VALIDATION_FAILED', pointer);
    },
  );

  it('answers 404 for an unknown entity or account, 400 for a malformed code', async () => {
    const counts = await erpCounts(t);
    expectProblem(
      await erp.request('PUT', 'accounts/ZZ99/4000', rw, { name: 'Revenue', type: 'revenue' }),
      404,
      'ERP_LEGAL_ENTITY_NOT_FOUND',
    );
    expectProblem(
      await erp.request('GET', 'accounts/US01/9999', reader),
      404,
      'ERP_ACCOUNT_NOT_FOUND',
    );
    expectProblem(
      await erp.request('GET', 'accounts/US01/%20bad', reader),
      400,
      'VALIDATION_FAILED',
    );
    expect(await erpCounts(t)).toEqual(counts);
  });

  it('lists accounts by type', async () => {
    const page = await erp.ok<{ data: AccountResponse[] }>(
      'GET',
      'accounts?legalEntity=US01&type=revenue&limit=200',
      reader,
    );
    expect(page.data.map((a) => a.code).sort()).toEqual([
      CHART.revenue.code,
      CHART.usageRevenue.code,
    ]);
  });
});
