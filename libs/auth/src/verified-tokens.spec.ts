import type { Principal } from './principal';
import { VerifiedTokens } from './verified-tokens';

const principal = (subject: string): Principal => ({ subject, scopes: new Set(['crm:read']) });

describe('VerifiedTokens', () => {
  const now = 1_800_000_000_000;

  it('gives back the principal of a remembered token until the ttl ends', () => {
    const cache = new VerifiedTokens(60_000);
    const p = principal('a');
    cache.remember('token-a', p, now + 3_600_000, now);
    expect(cache.get('token-a', now)).toBe(p);
    expect(cache.get('token-a', now + 59_999)).toBe(p);
    expect(cache.get('token-a', now + 60_000)).toBeUndefined();
    // An expired entry is dropped, not kept.
    expect(cache.size).toBe(0);
  });

  it("never outlives the token's own exp", () => {
    const cache = new VerifiedTokens(60_000);
    cache.remember('token-a', principal('a'), now + 5_000, now);
    expect(cache.get('token-a', now + 4_999)).toBeDefined();
    expect(cache.get('token-a', now + 5_000)).toBeUndefined();
  });

  it('keeps no token without exp, already expired, or when turned off (0 s)', () => {
    const cache = new VerifiedTokens(60_000);
    cache.remember('no-exp', principal('a'), undefined, now);
    cache.remember('expired', principal('a'), now - 1, now);
    cache.remember('at-exp', principal('a'), now, now);
    expect(cache.size).toBe(0);
    const off = new VerifiedTokens(0);
    off.remember('token-a', principal('a'), now + 3_600_000, now);
    expect(off.get('token-a', now)).toBeUndefined();
    expect(off.size).toBe(0);
  });

  it('matches only the exact token text', () => {
    const cache = new VerifiedTokens(60_000);
    cache.remember('header.payload.signature', principal('a'), now + 60_000, now);
    expect(cache.get('header.payload.signaturf', now)).toBeUndefined();
    expect(cache.get('header.payload.signatur', now)).toBeUndefined();
    expect(cache.get('header.payload.signature ', now)).toBeUndefined();
  });

  it('stays within its capacity, dropping the oldest entry first', () => {
    const cache = new VerifiedTokens(60_000, 3);
    for (const t of ['t1', 't2', 't3', 't4']) cache.remember(t, principal(t), now + 60_000, now);
    expect(cache.size).toBe(3);
    expect(cache.get('t1', now)).toBeUndefined();
    expect(cache.get('t4', now)?.subject).toBe('t4');
    // Remembering a token it holds again takes no other entry's place.
    cache.remember('t4', principal('t4'), now + 60_000, now);
    expect(['t2', 't3', 't4'].map((t) => cache.get(t, now)?.subject)).toEqual(['t2', 't3', 't4']);
  });
});
