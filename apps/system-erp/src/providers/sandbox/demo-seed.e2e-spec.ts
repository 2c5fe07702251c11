import { erpApp } from '../../erp.app';
import { ErpConfig } from '../../erp.config';
import { http, startTestApp, TestApp } from '../../../../../test/support/test-app';
import { Erp, expectStatus, journalBody, type Page } from '../../../test/erp-fixtures';
import type { GovernanceResponse } from '../../governance/dto/governance.dto';
import type { LegalEntityResponse } from '../../legal-entities/dto/legal-entity.dto';
import type { PeriodResponse } from '../../periods/dto/period.dto';

describe('demo seed (e2e)', () => {
  // One app at a time: two apps in one process would share passport's strategies.
  let seeded: TestApp<ErpConfig>;

  beforeAll(async () => {
    seeded = await startTestApp(erpApp, { REVGATE_EMBEDDED: 'true' });
  });
  afterAll(async () => {
    await seeded.close();
  });

  it('seeds US01 and DE01 ready to post, this year and the next, without counting as ERP calls', async () => {
    const erp = new Erp(seeded.url, http);
    const token = seeded.token(['erp:read', 'erp:write', 'erp:admin']);
    const governance = await erp.ok<GovernanceResponse>('GET', 'sandbox/governance', token);
    expect(governance.counters.calls).toBe(0);
    const entities = await erp.ok<Page<LegalEntityResponse>>('GET', 'legal-entities', token);
    expect(
      entities.data.map((e) => [e.code, e.functionalCurrency, e.defaultAccounts.receivable]).sort(),
    ).toEqual([
      ['DE01', 'EUR', '1200'],
      ['US01', 'USD', '1200'],
    ]);
    const periods = await erp.ok<Page<PeriodResponse>>(
      'GET',
      'periods?legalEntity=DE01&status=open&limit=200',
      token,
    );
    const year = new Date().getUTCFullYear();
    expect(periods.data.map((p) => p.period).sort()).toEqual(
      [year, year + 1].flatMap((y) =>
        Array.from({ length: 12 }, (_, m) => `${y}-${String(m + 1).padStart(2, '0')}`),
      ),
    );
    const today = new Date().toISOString().slice(0, 10);
    const posted = await erp.postJournal(
      token,
      journalBody(
        'US01',
        [
          { accountCode: '1000', debit: '1.00' },
          { accountCode: '3000', credit: '1.00' },
        ],
        {
          date: today,
          period: today.slice(0, 7),
        },
      ),
    );
    expectStatus(posted, 201);
    expect(await erp.ok('GET', 'customers/US01/ACME-001', token)).toMatchObject({
      name: 'Acme Corporation',
    });
    expect(await erp.ok('GET', 'items/DE01/PLATFORM-ANNUAL', token)).toMatchObject({
      deferredRevenueAccount: '2400',
    });
  });

  it('seeds nothing when ERP_SEED_DEMO is false', async () => {
    await seeded.close();
    const plain = await startTestApp(erpApp, { REVGATE_EMBEDDED: 'true', ERP_SEED_DEMO: 'false' });
    try {
      expect(await plain.sql('select count(*)::int as n from erp.legal_entities')).toEqual([
        { n: 0 },
      ]);
    } finally {
      await plain.close();
    }
  });
});
