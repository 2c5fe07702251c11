import { expectStatus } from '../../../../test/support/api-fixtures';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import { U2r, u2rCounts } from '../../test/u2r-fixtures';
import { u2rApp } from '../u2r.app';
import { U2rConfig } from '../u2r.config';

describe('meters (e2e)', () => {
  let t: TestApp<U2rConfig>;
  let u2r: U2r;
  let operate: string;
  let read: string;

  beforeAll(async () => {
    t = await startTestApp(u2rApp);
    u2r = new U2r(t);
    operate = t.token(['u2r:operate']);
    read = t.token(['u2r:read']);
  });
  afterAll(async () => {
    await t.close();
  });

  it('defines, reads, lists and changes meters', async () => {
    const created = await http('POST', u2r.url('meters'), {
      token: operate,
      body: {
        code: 'active_users',
        name: 'Active users',
        aggregation: 'unique_count',
        uniqueProperty: 'user_id',
        unit: 'users',
      },
    });
    expectStatus(created, 201);
    expect(created.headers.get('etag')).toBe('"v1"');
    expect(created.body).toMatchObject({
      code: 'active_users',
      aggregation: 'unique_count',
      uniqueProperty: 'user_id',
      latePolicy: 'carry_forward',
      version: 1,
    });
    await u2r.defineMeter(operate, {
      code: 'storage',
      name: 'Storage',
      aggregation: 'last',
      unit: 'GB',
    });
    const page = await http<{ data: { code: string }[]; nextCursor: string | null }>(
      'GET',
      `${u2r.url('meters')}?limit=1`,
      { token: read },
    );
    expect(page.body.data.map((m) => m.code)).toEqual(['active_users']);
    const next = await http<{ data: { code: string }[] }>(
      'GET',
      `${u2r.url('meters')}?limit=1&cursor=${page.body.nextCursor ?? ''}`,
      { token: read },
    );
    expect(next.body.data.map((m) => m.code)).toEqual(['storage']);

    const changed = await http('PATCH', u2r.url('meters/storage'), {
      token: operate,
      body: { latePolicy: 'hold' },
      headers: { 'if-match': '"v1"' },
    });
    expectStatus(changed, 200);
    expect(changed.body).toMatchObject({ latePolicy: 'hold', version: 2 });
    const stale = await http('PATCH', u2r.url('meters/storage'), {
      token: operate,
      body: { name: 'x' },
      headers: { 'if-match': '"v1"' },
    });
    expectProblem(stale, 412, 'PRECONDITION_FAILED');
    expect((await http('GET', u2r.url('meters/storage'), { token: read })).body).toMatchObject({
      name: 'Storage',
      version: 2,
    });
  });

  it('refuses bad definitions with a problem, writing nothing', async () => {
    const cases: [unknown, number, string][] = [
      [{ code: 'Bad Code', name: 'x', aggregation: 'sum', unit: 'u' }, 400, 'VALIDATION_FAILED'],
      [{ code: 'ok_code', name: 'x', aggregation: 'avg', unit: 'u' }, 400, 'VALIDATION_FAILED'],
      [
        { code: 'ok_code', name: 'x', aggregation: 'unique_count', unit: 'u' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        { code: 'ok_code', name: 'x', aggregation: 'sum', unit: 'u', uniqueProperty: 'user_id' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        { code: 'ok_code', name: 'x', aggregation: 'sum', unit: 'u', latePolicy: 'drop' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        { code: 'ok_code', name: 'x', aggregation: 'sum', unit: 'u', extra: true },
        400,
        'VALIDATION_FAILED',
      ],
    ];
    await u2r.defineMeter(operate, { code: 'taken', name: 'Taken', aggregation: 'sum', unit: 'u' });
    cases.push([
      { code: 'taken', name: 'Again', aggregation: 'sum', unit: 'u' },
      409,
      'U2R_METER_EXISTS',
    ]);
    for (const [body, status, code] of cases) {
      const before = await u2rCounts(t);
      expectProblem(await http('POST', u2r.url('meters'), { token: operate, body }), status, code);
      expect(await u2rCounts(t)).toEqual(before);
    }
    expectProblem(
      await http('POST', u2r.url('meters'), {
        token: read,
        body: { code: 'x1', name: 'x', aggregation: 'sum', unit: 'u' },
      }),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
    expectProblem(
      await http('GET', u2r.url('meters/missing'), { token: read }),
      404,
      'U2R_METER_NOT_FOUND',
    );
    expectProblem(
      await http('GET', u2r.url('meters/BAD!'), { token: read }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await http('PATCH', u2r.url('meters/taken'), {
        token: operate,
        body: { aggregation: 'max' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await http('PATCH', u2r.url('meters/missing'), { token: operate, body: { name: 'y' } }),
      404,
      'U2R_METER_NOT_FOUND',
    );
  });
});
