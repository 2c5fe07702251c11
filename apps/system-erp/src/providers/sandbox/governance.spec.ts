import { ErpError } from '../../erp-error-code';
import { GOVERNANCE_OFF, governed, SandboxGovernance, type GovernanceSettings } from './governance';

/** A call that runs until released. */
function gate(): { promise: Promise<string>; release: () => void } {
  let release: () => void = () => undefined;
  const promise = new Promise<string>((resolve) => {
    release = () => {
      resolve('done');
    };
  });
  return { promise, release };
}

async function refusal(call: Promise<unknown>): Promise<ErpError> {
  try {
    await call;
  } catch (e) {
    if (e instanceof ErpError) return e;
    throw e;
  }
  throw new Error('the call was not refused');
}

const settings = (s: Partial<GovernanceSettings>): GovernanceSettings => ({
  ...GOVERNANCE_OFF,
  ...s,
});

describe('sandbox governance', () => {
  it('refuses calls past the concurrency limit with 429 and Retry-After, and counts the peak', async () => {
    const governance = new SandboxGovernance(settings({ concurrencyLimit: 2 }));
    const gates = [gate(), gate()];
    const running = gates.map((g) => governance.run('post', () => g.promise));
    const third = await refusal(governance.run('post', () => Promise.resolve('x')));
    expect(third).toMatchObject({
      status: 429,
      code: 'ERP_CONCURRENCY_LIMITED',
      headers: { 'retry-after': '1' },
    });
    for (const g of gates) g.release();
    await Promise.all(running);
    await expect(governance.run('get', () => Promise.resolve('after'))).resolves.toBe('after');
    expect(governance.counters).toEqual({
      calls: 4,
      admitted: 3,
      inFlight: 0,
      peakConcurrency: 2,
      rejectedConcurrency: 1,
      rejectedRate: 0,
      rejectedMaintenance: 0,
      faultsInjected: 0,
      byOperation: { post: 3, get: 1 },
    });
  });

  it('holds a rate with a bucket of one second, refilled as time passes', async () => {
    let now = 0;
    const governance = new SandboxGovernance(settings({ ratePerSecond: 4 }), () => now);
    const call = () => governance.run('post', () => Promise.resolve('ok'));
    for (let i = 0; i < 4; i++) await expect(call()).resolves.toBe('ok');
    const refused = await refusal(call());
    expect(refused).toMatchObject({
      status: 429,
      code: 'ERP_RATE_LIMITED',
      headers: { 'retry-after': '1' },
    });
    now = 500; // half a second: two tokens back
    await expect(call()).resolves.toBe('ok');
    await expect(call()).resolves.toBe('ok');
    await refusal(call());
    expect(governance.counters).toMatchObject({ calls: 8, admitted: 6, rejectedRate: 2 });
  });

  it('answers 503 with Retry-After during maintenance, and nothing runs', async () => {
    const until = new Date(Date.now() + 30_000);
    const governance = new SandboxGovernance(settings({ maintenanceUntil: until }));
    let ran = false;
    const refused = await refusal(
      governance.run('post', () => {
        ran = true;
        return Promise.resolve();
      }),
    );
    expect(refused.status).toBe(503);
    expect(refused.code).toBe('ERP_UNAVAILABLE');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(29);
    expect(ran).toBe(false);
    governance.configure(settings({ maintenanceUntil: new Date(Date.now() - 1) }));
    await expect(governance.run('post', () => Promise.resolve('back'))).resolves.toBe('back');
  });

  it('fails the next N calls before they run, as the kind of fault says', async () => {
    const governance = new SandboxGovernance(settings({ failNext: 2, faultKind: 'unavailable' }));
    let runs = 0;
    const work = () => {
      runs += 1;
      return Promise.resolve('ok');
    };
    expect(await refusal(governance.run('post', work))).toMatchObject({
      status: 503,
      code: 'ERP_UNAVAILABLE',
    });
    expect(await refusal(governance.run('post', work))).toMatchObject({ status: 503 });
    await expect(governance.run('post', work)).resolves.toBe('ok');
    expect(runs).toBe(1);
    expect(governance.settings.failNext).toBe(0);
    expect(governance.counters.faultsInjected).toBe(2);
    governance.configure(settings({ failNext: 1 }));
    expect(await refusal(governance.run('post', work))).toMatchObject({
      status: 502,
      code: 'ERP_PROVIDER_ERROR',
    });
  });

  it('fails the same calls for the same seed, at about the rate set', async () => {
    const outcomes = async (seed: number): Promise<boolean[]> => {
      const governance = new SandboxGovernance(settings({ faultRate: 0.3, faultSeed: seed }));
      const results: boolean[] = [];
      for (let i = 0; i < 400; i++)
        results.push(await governance.run('post', () => Promise.resolve(true)).catch(() => false));
      return results;
    };
    const first = await outcomes(7);
    expect(await outcomes(7)).toEqual(first);
    expect(await outcomes(8)).not.toEqual(first);
    const failed = first.filter((ok) => !ok).length;
    expect(failed).toBeGreaterThan(80);
    expect(failed).toBeLessThan(160);
  });

  it('governs every method of a provider, keeping its this', async () => {
    const governance = new SandboxGovernance(settings({}));
    const provider = {
      name: 'probe',
      base: 40,
      add(n: number): Promise<number> {
        return Promise.resolve(this.base + n);
      },
    };
    const wrapped = governed(provider, governance);
    await expect(wrapped.add(2)).resolves.toBe(42);
    expect(wrapped.name).toBe('probe');
    expect(governance.counters.byOperation).toEqual({ add: 1 });
  });

  it('keeps counting calls in flight across a change of settings', async () => {
    const governance = new SandboxGovernance(settings({}));
    const g = gate();
    const running = governance.run('post', () => g.promise);
    governance.configure(settings({ concurrencyLimit: 1 }));
    expect(governance.counters.inFlight).toBe(1);
    await refusal(governance.run('post', () => Promise.resolve()));
    g.release();
    await running;
    expect(governance.counters.inFlight).toBe(0);
  });
});
