import { erpApp } from '../erp.app';
import { ErpConfig } from '../erp.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import { Erp, erpCounts, expectStatus, invoiceBody, pointers } from '../../test/erp-fixtures';
import type { GovernanceResponse } from './dto/governance.dto';

describe('sandbox governance (e2e)', () => {
  let t: TestApp<ErpConfig>;
  let erp: Erp;
  let rw: string;
  let admin: string;
  let customer: string;
  let item: string;

  beforeAll(async () => {
    t = await startTestApp(erpApp, {
      ERP_SANDBOX_RATE_PER_SECOND: '1000',
      ERP_SANDBOX_FAULT_SEED: '9',
    });
    erp = new Erp(t.url, http);
    rw = t.token(['erp:read', 'erp:write']);
    admin = t.token(['erp:read', 'erp:admin']);
    await erp.setUpEntity(rw, 'US01');
    customer = (await erp.upsertCustomer(rw, 'US01')).externalId;
    item = await erp.upsertItem(rw, 'US01');
  });
  afterAll(async () => {
    await t.close();
  });

  const set = async (settings: Record<string, unknown>): Promise<GovernanceResponse> =>
    erp.ok<GovernanceResponse>('PUT', 'sandbox/governance', admin, settings);
  const read = (): Promise<GovernanceResponse> =>
    erp.ok<GovernanceResponse>('GET', 'sandbox/governance', admin);
  const post = (body = invoiceBody('US01', customer, item)) => erp.postInvoice(rw, body);

  it('starts from the environment, and counts every call the ERP saw', async () => {
    const started = await read();
    expect(started.settings).toEqual({
      concurrencyLimit: 0,
      ratePerSecond: 1000,
      latencyMs: 0,
      faultRate: 0,
      faultSeed: 9,
      failNext: 0,
      faultKind: 'error',
      maintenanceUntil: null,
    });
    expect(started.counters.calls).toBeGreaterThan(40);
    const reset = await set({});
    expect(reset.counters).toEqual({
      calls: 0,
      admitted: 0,
      inFlight: 0,
      peakConcurrency: 0,
      rejectedConcurrency: 0,
      rejectedRate: 0,
      rejectedMaintenance: 0,
      faultsInjected: 0,
      byOperation: {},
    });
    expectStatus(await post(), 201);
    await erp.ok('GET', `customers/US01/${customer}`, rw);
    expect((await read()).counters).toMatchObject({
      calls: 2,
      admitted: 2,
      peakConcurrency: 1,
      byOperation: { postArDocument: 1, getCustomer: 1 },
    });
  });

  it('never lets more calls in at once than the concurrency limit: the rest get 429 with Retry-After and post nothing', async () => {
    await set({ concurrencyLimit: 2, latencyMs: 300 });
    const bodies = Array.from({ length: 8 }, () => invoiceBody('US01', customer, item));
    const results = await Promise.all(bodies.map((b) => post(b)));
    const refused = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(2);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expectProblem(r, 429, 'ERP_CONCURRENCY_LIMITED');
      expect(r.headers.get('retry-after')).toBe('1');
    }
    const { counters } = await read();
    expect(counters.peakConcurrency).toBe(2);
    expect(counters.rejectedConcurrency).toBe(refused.length);
    expect(counters.calls).toBe(8);
    await set({});
    for (const [i, r] of results.entries()) {
      const found = await erp.request('GET', `invoices/US01/${String(bodies[i]?.externalId)}`, rw);
      expect(found.status).toBe(r.status === 201 ? 200 : 404);
    }
  });

  it('refuses calls past the rate with 429 ERP_RATE_LIMITED and Retry-After', async () => {
    await set({ ratePerSecond: 3 });
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await erp.request('GET', 'legal-entities/US01', rw));
    const refused = results.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    for (const r of refused) {
      expectProblem(r, 429, 'ERP_RATE_LIMITED');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await read()).counters.rejectedRate).toBe(refused.length);
  });

  it('fails the next calls as told (502, or 503 with Retry-After), writing nothing, then recovers', async () => {
    await set({ failNext: 2 });
    const counts = await erpCounts(t);
    expectProblem(await post(), 502, 'ERP_PROVIDER_ERROR');
    expectProblem(await post(), 502, 'ERP_PROVIDER_ERROR');
    expect(await erpCounts(t)).toEqual(counts);
    expectStatus(await post(), 201);
    await set({ failNext: 1, faultKind: 'unavailable' });
    const unavailable = await post();
    expectProblem(unavailable, 503, 'ERP_UNAVAILABLE');
    expect(unavailable.headers.get('retry-after')).toBe('1');
    expect((await read()).counters.faultsInjected).toBe(1);
  });

  it('fails the same share of calls for the same seed', async () => {
    const outcomes = async (): Promise<number[]> => {
      await set({ faultRate: 0.5, faultSeed: 4 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++)
        statuses.push((await erp.request('GET', 'legal-entities/US01', rw)).status);
      return statuses;
    };
    const first = await outcomes();
    expect(first).toContain(502);
    expect(first).toContain(200);
    expect(await outcomes()).toEqual(first);
  });

  it('answers 503 with Retry-After during a maintenance window, and serves again after it', async () => {
    await set({ maintenanceUntil: new Date(Date.now() + 60_000).toISOString() });
    const counts = await erpCounts(t);
    const res = await post();
    expectProblem(res, 503, 'ERP_UNAVAILABLE');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect(await erpCounts(t)).toEqual(counts);
    expect((await read()).counters.rejectedMaintenance).toBe(1);
    await set({ maintenanceUntil: null });
    expectStatus(await post(), 201);
  });

  it('needs erp:admin, and refuses bad settings with 400', async () => {
    expectProblem(
      await erp.request('GET', 'sandbox/governance', rw),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
    expectProblem(
      await erp.request('PUT', 'sandbox/governance', rw, {}),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
    for (const [body, pointer] of [
      [{ faultRate: 2 }, '/faultRate'],
      [{ concurrencyLimit: -1 }, '/concurrencyLimit'],
      [{ latencyMs: '100' }, '/latencyMs'],
      [{ maintenanceUntil: 'tomorrow' }, '/maintenanceUntil'],
      [{ faultKind: 'timeout' }, '/faultKind'],
      [{ burst: 5 }, '/burst'],
    ] as const) {
      const res = await erp.request('PUT', 'sandbox/governance', admin, body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect([...new Set(pointers(res))]).toEqual([pointer]);
    }
  });
});
