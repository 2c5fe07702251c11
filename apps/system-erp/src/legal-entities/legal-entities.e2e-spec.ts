import { erpApp } from '../erp.app';
import { ErpConfig } from '../erp.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  CHART,
  Erp,
  erpCounts,
  expectStatus,
  inKeysetOrder,
  ISO_INSTANT,
  legalEntityBody,
  pointers,
  UUID,
  walkPages,
  expectRefusedUnwritten,
} from '../../test/erp-fixtures';
import type { LegalEntityResponse } from './dto/legal-entity.dto';

describe('legal entities (e2e)', () => {
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

  const put = (code: string, body: unknown, token = rw, headers: Record<string, string> = {}) =>
    erp.request<LegalEntityResponse>('PUT', `legal-entities/${code}`, token, body, headers);

  describe('PUT /legal-entities/{code}', () => {
    it('creates an entity (201), answers the same again unchanged (200), and changes it (v2)', async () => {
      const created = await put(
        'GB01',
        legalEntityBody({
          name: 'Revgate Ltd',
          functionalCurrency: 'GBP',
          allowedCurrencies: ['GBP'],
          country: 'GB',
          taxRegistration: { scheme: 'VAT', number: 'GB123456789', country: 'GB' },
        }),
      );
      expectStatus(created, 201);
      expect(created.body).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        code: 'GB01',
        name: 'Revgate Ltd',
        functionalCurrency: 'GBP',
        allowedCurrencies: ['GBP'],
        taxRegistration: { scheme: 'VAT', number: 'GB123456789', country: 'GB' },
        country: 'GB',
        defaultAccounts: {},
        version: 1,
        createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
        updatedAt: created.body.createdAt,
      });
      expect(created.headers.get('etag')).toBe('"v1"');
      const body = {
        ...legalEntityBody(),
        name: 'Revgate Ltd',
        functionalCurrency: 'GBP',
        allowedCurrencies: ['GBP'],
        country: 'GB',
        taxRegistration: created.body.taxRegistration,
      };
      const same = await put('GB01', body);
      expectStatus(same, 200);
      expect(same.body).toEqual(created.body);
      const changed = await put('GB01', { ...body, allowedCurrencies: ['GBP', 'EUR'] }, rw, {
        'if-match': '"v1"',
      });
      expectStatus(changed, 200);
      expect(changed.body).toMatchObject({ version: 2, allowedCurrencies: ['GBP', 'EUR'] });
      expect(changed.headers.get('etag')).toBe('"v2"');
      const read = await erp.request<LegalEntityResponse>('GET', 'legal-entities/GB01', reader);
      expectStatus(read, 200);
      expect(read.body).toEqual(changed.body);
      expect(read.headers.get('etag')).toBe('"v2"');
    });

    it('sets default accounts once they are in the chart, each of its role', async () => {
      const res = await erp.request<LegalEntityResponse>('GET', 'legal-entities/US01', reader);
      expect(res.body.defaultAccounts).toEqual({
        receivable: CHART.receivable.code,
        taxPayable: CHART.taxPayable.code,
        cash: CHART.cash.code,
        deferredRevenue: CHART.deferredRevenue.code,
      });
    });

    it.each<[string, Record<string, unknown>, number, string, string]>([
      [
        'a default account not in the chart',
        { defaultAccounts: { receivable: '1299' } },
        422,
        'ERP_ACCOUNT_UNKNOWN',
        '/defaultAccounts/receivable',
      ],
      [
        'a default account of another type',
        { defaultAccounts: { cash: CHART.revenue.code } },
        422,
        'ERP_ACCOUNT_TYPE_MISMATCH',
        '/defaultAccounts/cash',
      ],
      [
        'another functional currency',
        { functionalCurrency: 'EUR', allowedCurrencies: ['EUR'] },
        422,
        'ERP_FIELD_IMMUTABLE',
        '/functionalCurrency',
      ],
      [
        'an EU VAT number of the wrong format',
        { country: 'DE', taxRegistration: { scheme: 'VAT', number: 'DE12', country: 'DE' } },
        422,
        'ERP_TAX_REGISTRATION_INVALID',
        '/taxRegistration/number',
      ],
    ])('refuses %s and changes nothing', async (_name, change, status, code, pointer) => {
      const before = await erp.request<LegalEntityResponse>('GET', 'legal-entities/US01', reader);
      const counts = await erpCounts(t);
      const res = await put('US01', { ...legalEntityBody(), ...change });
      expectProblem(res, status, code);
      expect(pointers(res)).toContain(pointer);
      expect((await erp.request('GET', 'legal-entities/US01', reader)).body).toEqual(before.body);
      expect(await erpCounts(t)).toEqual(counts);
    });

    const badBodies: [string, (b: Record<string, unknown>) => unknown, string][] = [
      ['name missing', ({ name: _n, ...b }) => b, '/name'],
      ['name empty', (b) => ({ ...b, name: '' }), '/name'],
      [
        'functional currency lower case',
        (b) => ({ ...b, functionalCurrency: 'usd' }),
        '/functionalCurrency',
      ],
      [
        'allowed currencies without the functional one',
        (b) => ({ ...b, allowedCurrencies: ['EUR'] }),
        '/allowedCurrencies',
      ],
      [
        'a currency allowed twice',
        (b) => ({ ...b, allowedCurrencies: ['USD', 'USD'] }),
        '/allowedCurrencies',
      ],
      ['no tax registration', ({ taxRegistration: _r, ...b }) => b, '/taxRegistration'],
      [
        'a tax registration without a number',
        (b) => ({ ...b, taxRegistration: { scheme: 'EIN', country: 'US' } }),
        '/taxRegistration/number',
      ],
      ['a three-letter country', (b) => ({ ...b, country: 'USA' }), '/country'],
      [
        'a malformed default account',
        (b) => ({ ...b, defaultAccounts: { cash: '10 00' } }),
        '/defaultAccounts/cash',
      ],
      [
        'an unknown default role',
        (b) => ({ ...b, defaultAccounts: { revenue: '4000' } }),
        '/defaultAccounts/revenue',
      ],
      ['the code in the body', (b) => ({ ...b, code: 'US01' }), '/code'],
      ['an unknown field', (b) => ({ ...b, fiscalYearEnd: '12-31' }), '/fiscalYearEnd'],
    ];
    it.each(badBodies)(
      'rejects %s with VALIDATION_FAILED and writes nothing',
      async (_name, mutate, pointer) => {
        await expectRefusedUnwritten(
          t,
          () => put('FR01', mutate(legalEntityBody())),
          400,
          'VALIDATION_FAILED',
          pointer,
        );
      },
    );

    it('rejects a malformed code in the path', async () => {
      const res = await put('us-01!', legalEntityBody());
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res)).toEqual(['code']);
    });

    it('answers a stale If-Match with 412, and If-Match on an entity that does not exist too', async () => {
      const counts = await erpCounts(t);
      expectProblem(
        await put('US01', legalEntityBody({ name: 'Stale' }), rw, { 'if-match': '"v1"' }),
        412,
        'PRECONDITION_FAILED',
      );
      expectProblem(
        await put('IT01', legalEntityBody(), rw, { 'if-match': '"v1"' }),
        412,
        'PRECONDITION_FAILED',
      );
      expect(await erpCounts(t)).toEqual(counts);
    });

    it('replays an Idempotency-Key with the first response', async () => {
      const body = legalEntityBody({
        name: 'Revgate NL B.V.',
        functionalCurrency: 'EUR',
        allowedCurrencies: ['EUR'],
        country: 'NL',
        taxRegistration: { scheme: 'VAT', number: 'NL123456789B01', country: 'NL' },
      });
      const first = await put('NL01', body, rw, { 'idempotency-key': 'nl01-create' });
      expectStatus(first, 201);
      const second = await put('NL01', body, rw, { 'idempotency-key': 'nl01-create' });
      expectStatus(second, 201);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.body).toEqual(first.body);
    });

    it('needs erp:write', async () => {
      expectProblem(await put('US01', legalEntityBody(), reader), 403, 'AUTH_INSUFFICIENT_SCOPE');
    });
  });

  describe('GET /legal-entities', () => {
    it('lists every entity in keyset order, page by page', async () => {
      const { items, pages } = await walkPages<LegalEntityResponse>(
        http,
        reader,
        erp.url('legal-entities'),
        { limit: '1' },
      );
      expect(items.map((e) => e.code).sort()).toEqual(['GB01', 'NL01', 'US01']);
      expect(pages).toBe(3);
      expect(inKeysetOrder(items)).toBe(true);
    });

    it('shows a token limited to some entities only those, and 404 for the others', async () => {
      const gb = t.token(['erp:read', 'erp:write'], { legalEntities: ['GB01'] });
      const page = await erp.ok<{ data: LegalEntityResponse[] }>('GET', 'legal-entities', gb);
      expect(page.data.map((e) => e.code)).toEqual(['GB01']);
      expectProblem(
        await erp.request('GET', 'legal-entities/US01', gb),
        404,
        'ERP_LEGAL_ENTITY_NOT_FOUND',
      );
      const counts = await erpCounts(t);
      expectProblem(
        await put('US01', legalEntityBody({ name: 'Hijack' }), gb),
        404,
        'ERP_LEGAL_ENTITY_NOT_FOUND',
      );
      expect(await erpCounts(t)).toEqual(counts);
    });

    it('answers 404 for an entity that does not exist, and 400 for a bad cursor', async () => {
      expectProblem(
        await erp.request('GET', 'legal-entities/ZZ99', reader),
        404,
        'ERP_LEGAL_ENTITY_NOT_FOUND',
      );
      expectProblem(
        await erp.request('GET', 'legal-entities?cursor=abc', reader),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await erp.request('GET', 'legal-entities?limit=0', reader),
        400,
        'VALIDATION_FAILED',
      );
    });
  });
});
