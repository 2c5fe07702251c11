import fc from 'fast-check';
import {
  backoffSeconds,
  MAX_RETRY_AFTER_SECONDS,
  nextAttemptAt,
  parseRetryAfter,
} from './retry-policy';

const POLICY = { baseSeconds: 10, maxDelaySeconds: 3600, maxAttempts: 30 };
const NOW = new Date('2026-11-30T12:00:00Z');
const middle = () => 0.5;

describe('retry policy', () => {
  it('waits 10 s, 30 s, 90 s… three times longer each time, up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffSeconds(a, POLICY, middle))).toEqual([
      10, 30, 90, 270, 810, 2430, 3600, 3600,
    ]);
  });

  it('spreads the default 30 attempts over about a day', () => {
    let total = 0;
    for (let attempt = 1; attempt < POLICY.maxAttempts; attempt++)
      total += backoffSeconds(attempt, POLICY, middle);
    expect(total / 3600).toBeGreaterThan(23);
    expect(total / 3600).toBeLessThan(25);
  });

  it('property: the jitter stays within ±20 % of the plain delay', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, r) => {
          const plain = backoffSeconds(attempt, POLICY, middle);
          const jittered = backoffSeconds(attempt, POLICY, () => r);
          expect(jittered).toBeGreaterThanOrEqual(plain * 0.8 - 1e-9);
          expect(jittered).toBeLessThanOrEqual(plain * 1.2 + 1e-9);
        },
      ),
    );
  });

  it('gives up (dead) once the attempts are used', () => {
    expect(nextAttemptAt(NOW, 29, POLICY, undefined, middle)).toBeInstanceOf(Date);
    expect(nextAttemptAt(NOW, 30, POLICY, undefined, middle)).toBeUndefined();
  });

  it('honours a Retry-After longer than the backoff, not a shorter one', () => {
    expect(nextAttemptAt(NOW, 1, POLICY, 120, middle)?.toISOString()).toBe(
      '2026-11-30T12:02:00.000Z',
    );
    expect(nextAttemptAt(NOW, 1, POLICY, 2, middle)?.toISOString()).toBe(
      '2026-11-30T12:00:10.000Z',
    );
  });

  it('reads Retry-After as seconds or an HTTP date, and caps it at a day', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('Mon, 30 Nov 2026 12:05:00 GMT', NOW)).toBe(300);
    expect(parseRetryAfter('Mon, 30 Nov 2026 11:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('999999999', NOW)).toBe(MAX_RETRY_AFTER_SECONDS);
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
  });
});
