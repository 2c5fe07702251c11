import { erpApp } from '../erp.app';
import { ErpConfig } from '../erp.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  CHART,
  Erp,
  erpCounts,
  expectStatus,
  journalBody,
  expectRefusedUnwritten,
} from '../../test/erp-fixtures';
import type { JournalEntryResponse } from './dto/journal-entry.dto';

describe('journal entries (e2e)', () => {
  let t: TestApp<ErpConfig>;
  let erp: Erp;
  let rw: string;
  let reader: string;

  beforeAll(async () => {
    t = await startTestApp(erpApp);
    erp = new Erp(t.url, http);
    rw = t.token(['erp:read', 'erp:write']);
    reader = t.token(['erp:read']);
    await erp.setUpEntity(rw, 'US01', { closed: ['2025-12'] });
  });
  afterAll(async () => {
    await t.close();
  });

  const lines = [
    { accountCode: CHART.deferredRevenue.code, debit: '1000.00', memo: 'Release' },
    {
      accountCode: CHART.revenue.code,
      credit: '600.00',
      dimensions: { productFamily: 'subscription', customer: 'ACME-001' },
    },
    { accountCode: CHART.usageRevenue.code, credit: '400.00', debit: '0' },
  ];

  it('posts the lines as given, with their memos and dimensions, and answers what it posted', async () => {
    const body = journalBody('US01', lines);
    const res = await erp.postJournal(rw, body);
    expectStatus(res, 201);
    expect(res.body).toMatchObject({
      number: expect.stringMatching(/^JE-US01-\d{6}$/) as unknown,
      externalId: body.externalId,
      legalEntity: 'US01',
      date: '2026-01-31',
      period: '2026-01',
      currency: 'USD',
      memo: 'Revenue recognition',
      lines: [
        { accountCode: '2400', debit: '1000.00', credit: '0', memo: 'Release' },
        {
          accountCode: '4000',
          debit: '0',
          credit: '600.00',
          dimensions: { productFamily: 'subscription', customer: 'ACME-001' },
        },
        { accountCode: '4100', debit: '0', credit: '400.00' },
      ],
      totalDebit: '1000.00',
      totalCredit: '1000.00',
      version: 1,
    });
    expect(res.headers.get('location')).toBe(`journal-entries/US01/${String(body.externalId)}`);
    const listed = await erp.ok<{ data: JournalEntryResponse[] }>(
      'GET',
      'journal-entries?legalEntity=US01&period=2026-01',
      reader,
    );
    expect(listed.data).toEqual([res.body]);
  });

  it('refuses an unbalanced entry with 422 ERP_JOURNAL_UNBALANCED, saying by how much', async () => {
    const counts = await erpCounts(t);
    const res = await erp.postJournal(
      rw,
      journalBody('US01', [
        { accountCode: '2400', debit: '100.00' },
        { accountCode: '4000', credit: '99.99' },
      ]),
    );
    expect(expectProblem(res, 422, 'ERP_JOURNAL_UNBALANCED').detail).toContain('off by 0.01');
    expect(await erpCounts(t)).toEqual(counts);
  });

  const badBodies: [string, (b: Record<string, unknown>) => unknown, string][] = [
    ['one line', (b) => ({ ...b, lines: [{ accountCode: '2400', debit: '1.00' }] }), '/lines'],
    [
      'a line with both sides',
      (b) => ({
        ...b,
        lines: [
          { accountCode: '2400', debit: '1.00', credit: '1.00' },
          { accountCode: '4000', credit: '0' },
        ],
      }),
      '/lines',
    ],
    [
      'more decimals than the currency',
      (b) => ({
        ...b,
        currency: 'JPY',
        lines: [
          { accountCode: '2400', debit: '1.5' },
          { accountCode: '4000', credit: '1.5' },
        ],
      }),
      '/lines',
    ],
    ['a period that is not the date’s', (b) => ({ ...b, period: '2026-02' }), '/period'],
    [
      'an amount as a number',
      (b) => ({
        ...b,
        lines: [
          { accountCode: '2400', debit: 1 },
          { accountCode: '4000', credit: '1.00' },
        ],
      }),
      '/lines/0/debit',
    ],
    ['no memo', ({ memo: _m, ...b }) => b, '/memo'],
    [
      'an unknown dimension',
      (b) => ({
        ...b,
        lines: [
          { accountCode: '2400', debit: '1.00', dimensions: { region: 'EU' } },
          { accountCode: '4000', credit: '1.00' },
        ],
      }),
      '/lines/0/dimensions/region',
    ],
  ];
  it.each(badBodies)(
    'rejects %s with VALIDATION_FAILED and writes nothing',
    async (_name, mutate, pointer) => {
      await expectRefusedUnwritten(
        t,
        () => erp.postJournal(rw, mutate(journalBody('US01', lines))),
        400,
        'VALIDATION_FAILED',
        pointer,
      );
    },
  );

  it.each<[string, Record<string, unknown>, string]>([
    ['a closed period', { date: '2025-12-31', period: '2025-12' }, 'ERP_PERIOD_CLOSED'],
    ['a currency the entity does not allow', { currency: 'GBP' }, 'ERP_CURRENCY_NOT_ALLOWED'],
    ['an entity the ERP does not have', { legalEntity: 'ZZ99' }, 'ERP_LEGAL_ENTITY_UNKNOWN'],
  ])('refuses %s with 422 and writes nothing', async (_name, change, code) => {
    const counts = await erpCounts(t);
    expectProblem(await erp.postJournal(rw, journalBody('US01', lines, change)), 422, code);
    expect(await erpCounts(t)).toEqual(counts);
  });

  it('answers 404 for an entry not posted', async () => {
    expectProblem(
      await erp.request('GET', 'journal-entries/US01/NOPE', reader),
      404,
      'ERP_JOURNAL_ENTRY_NOT_FOUND',
    );
  });
});
