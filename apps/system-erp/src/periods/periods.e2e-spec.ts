import { erpApp } from '../erp.app';
import { ErpConfig } from '../erp.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import { Erp, erpCounts, expectStatus, invoiceBody, pointers } from '../../test/erp-fixtures';
import type { PeriodResponse } from './dto/period.dto';

describe('periods (e2e)', () => {
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

  it('opens a new period (201) and answers an existing one as it is (200)', async () => {
    const opened = await erp.request<PeriodResponse>('PUT', 'periods/US01/2030-02', rw);
    expectStatus(opened, 201);
    expect(opened.body).toMatchObject({
      legalEntity: 'US01',
      period: '2030-02',
      start: '2030-02-01',
      end: '2030-03-01',
      status: 'open',
      version: 1,
    });
    await erp.ok('POST', 'periods/US01/2030-02/close', rw);
    const again = await erp.request<PeriodResponse>('PUT', 'periods/US01/2030-02', rw);
    expectStatus(again, 200);
    expect(again.body).toMatchObject({ status: 'closed', version: 2 });
  });

  it('closes and reopens with If-Match, a stale one refused with 412', async () => {
    const read = await erp.request<PeriodResponse>('GET', 'periods/US01/2026-06', reader);
    expect(read.headers.get('etag')).toBe('"v1"');
    const closed = await erp.request<PeriodResponse>(
      'POST',
      'periods/US01/2026-06/close',
      rw,
      undefined,
      { 'if-match': '"v1"' },
    );
    expectStatus(closed, 200);
    expect(closed.body).toMatchObject({ status: 'closed', version: 2 });
    expect(closed.headers.get('etag')).toBe('"v2"');
    expectProblem(
      await erp.request('POST', 'periods/US01/2026-06/reopen', rw, undefined, {
        'if-match': '"v1"',
      }),
      412,
      'PRECONDITION_FAILED',
    );
    const reopened = await erp.request<PeriodResponse>(
      'POST',
      'periods/US01/2026-06/reopen',
      rw,
      undefined,
      { 'if-match': '"v2"' },
    );
    expectStatus(reopened, 200);
    expect(reopened.body).toMatchObject({ status: 'open', version: 3 });
  });

  it('holds a closed period shut until it is reopened', async () => {
    const customer = (await erp.upsertCustomer(rw, 'US01')).externalId;
    const item = await erp.upsertItem(rw, 'US01');
    await erp.ok('POST', 'periods/US01/2026-07/close', rw);
    const body = invoiceBody('US01', customer, item, { date: '2026-07-31' });
    const counts = await erpCounts(t);
    expectProblem(await erp.postInvoice(rw, body), 422, 'ERP_PERIOD_CLOSED');
    expect(await erpCounts(t)).toEqual(counts);
    await erp.ok('POST', 'periods/US01/2026-07/reopen', rw);
    expectStatus(await erp.postInvoice(rw, body), 201);
  });

  it('lets each posting racing a close either land before it or be refused, never half-written', async () => {
    const customer = (await erp.upsertCustomer(rw, 'US01')).externalId;
    const item = await erp.upsertItem(rw, 'US01');
    const post = () =>
      erp.postInvoice(rw, invoiceBody('US01', customer, item, { date: '2026-08-20' }));
    const racing = Array.from({ length: 12 }, () => post());
    expectStatus(await erp.request('POST', 'periods/US01/2026-08/close', rw), 200);
    expectProblem(await post(), 422, 'ERP_PERIOD_CLOSED');
    const results = await Promise.all(racing);
    for (const r of results) if (r.status !== 201) expectProblem(r, 422, 'ERP_PERIOD_CLOSED');
    const posted = results.filter((r) => r.status === 201).length;
    expect(
      await t.sql(
        `select (select count(*)::int from erp.ar_documents where period = '2026-08') as documents,
                (select count(*)::int from erp.moves where period = '2026-08') as moves,
                (select count(*)::int from erp.move_lines where period = '2026-08') as lines`,
      ),
    ).toEqual([{ documents: posted, moves: posted, lines: posted * 3 }]);
  });

  it('lists periods by status for the entities the caller sees', async () => {
    await erp.ok('POST', 'periods/US01/2025-01/close', rw);
    const closed = await erp.ok<{ data: PeriodResponse[] }>(
      'GET',
      'periods?legalEntity=US01&status=closed&limit=200',
      reader,
    );
    expect(closed.data.map((p) => p.period)).toContain('2025-01');
    expect(closed.data.every((p) => p.status === 'closed')).toBe(true);
    const other = t.token(['erp:read'], { legalEntities: ['DE01'] });
    expect((await erp.ok<{ data: PeriodResponse[] }>('GET', 'periods', other)).data).toEqual([]);
    expectProblem(
      await erp.request('GET', 'periods/US01/2026-01', other),
      404,
      'ERP_LEGAL_ENTITY_NOT_FOUND',
    );
  });

  it.each<[string, string, string, number, string]>([
    ['an unknown entity', 'PUT', 'periods/ZZ99/2026-01', 404, 'ERP_LEGAL_ENTITY_NOT_FOUND'],
    ['a thirteenth month', 'PUT', 'periods/US01/2026-13', 400, 'VALIDATION_FAILED'],
    ['a date for a period', 'PUT', 'periods/US01/2026-01-01', 400, 'VALIDATION_FAILED'],
    [
      'closing a period that does not exist',
      'POST',
      'periods/US01/2040-01/close',
      404,
      'ERP_PERIOD_NOT_FOUND',
    ],
    [
      'reopening in an unknown entity',
      'POST',
      'periods/ZZ99/2026-01/reopen',
      404,
      'ERP_PERIOD_NOT_FOUND',
    ],
    [
      'reading a period that does not exist',
      'GET',
      'periods/US01/2040-01',
      404,
      'ERP_PERIOD_NOT_FOUND',
    ],
    ['a bad status filter', 'GET', 'periods?status=locked', 400, 'VALIDATION_FAILED'],
  ])('answers %s with a problem and writes nothing', async (_name, method, path, status, code) => {
    const counts = await erpCounts(t);
    const res = await erp.request(method, path, rw);
    expectProblem(res, status, code);
    if (status === 400) expect(pointers(res).length).toBe(1);
    expect(await erpCounts(t)).toEqual(counts);
  });

  it('needs erp:write to open or close', async () => {
    expectProblem(
      await erp.request('POST', 'periods/US01/2026-01/close', reader),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
    expectProblem(
      await erp.request('PUT', 'periods/US01/2031-05', reader),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
  });
});
