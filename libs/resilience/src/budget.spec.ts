import { Budget, BudgetExhaustedError } from './budget';

describe('Budget', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('never lets more than `concurrency` calls hold a slot, and serves waiters in order', async () => {
    const budget = new Budget({ concurrency: 2, ratePerSecond: Infinity, maxWaitMs: 5000 });
    const order: number[] = [];
    let held = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const release = await budget.acquire();
        order.push(i);
        held += 1;
        peak = Math.max(peak, held);
        await new Promise((resolve) => setImmediate(resolve));
        held -= 1;
        release();
      }),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(budget.snapshot()).toEqual({ inFlight: 0, queued: 0 });
  });

  it('starts no more than a second of its rate at once, then one call per 1/rate', async () => {
    jest.useFakeTimers({ now: 0 });
    const budget = new Budget({ concurrency: 100, ratePerSecond: 4, maxWaitMs: 60_000 });
    let granted = 0;
    for (let i = 0; i < 10; i++) void budget.acquire().then(() => (granted += 1));
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toBe(4);
    await jest.advanceTimersByTimeAsync(250);
    expect(granted).toBe(5);
    await jest.advanceTimersByTimeAsync(1000);
    expect(granted).toBe(9);
    await jest.advanceTimersByTimeAsync(250);
    expect(granted).toBe(10);
  });

  it('refuses a call that waited longer than maxWaitMs, with a Retry-After, and keeps serving the rest', async () => {
    jest.useFakeTimers({ now: 0 });
    const budget = new Budget({ concurrency: 1, ratePerSecond: Infinity, maxWaitMs: 100 });
    const first = await budget.acquire();
    const second = budget.acquire();
    const refused = expect(second).rejects.toBeInstanceOf(BudgetExhaustedError);
    await jest.advanceTimersByTimeAsync(101);
    await refused;
    await expect(second).rejects.toMatchObject({ waitedMs: 100, retryAfterSeconds: 1 });
    expect(budget.snapshot()).toEqual({ inFlight: 1, queued: 0 });
    first();
    const third = await budget.acquire();
    expect(budget.snapshot()).toEqual({ inFlight: 1, queued: 0 });
    third();
    third();
    expect(budget.snapshot()).toEqual({ inFlight: 0, queued: 0 });
  });
});
