import fc from 'fast-check';
import { backoffDelayMs, retryAfterMs } from './backoff';

describe('backoffDelayMs', () => {
  it('stays within [0, min(max, base × 2^(attempt−1))]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, max, r) => {
          const delay = backoffDelayMs(attempt, base, max, () => r);
          return delay >= 0 && delay <= Math.min(max, base * 2 ** (attempt - 1));
        },
      ),
    );
  });

  it('doubles its ceiling with each attempt until the cap', () => {
    const ceiling = (attempt: number): number => backoffDelayMs(attempt, 100, 1000, () => 0.999999);
    expect([1, 2, 3, 4, 5].map(ceiling)).toEqual([99, 199, 399, 799, 999]);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-30T10:00:00Z');
  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ['0', 0],
    ['7', 7000],
    [' 30 ', 30_000],
    ['Mon, 30 Nov 2026 10:00:05 GMT', 5000],
    ['Mon, 30 Nov 2026 09:59:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
  ])('reads %p as %p ms', (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});
