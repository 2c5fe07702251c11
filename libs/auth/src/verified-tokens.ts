import type { Principal } from './principal';

/**
 * Access tokens already verified, by their exact text: a caller's next requests skip the RS256
 * check and the claims' parsing (about a quarter of a by-id read's app CPU, measured), as gateways
 * commonly do (Envoy's jwt_authn cache). Only a token that passed full verification gets in, keyed
 * by every byte of it, so no other token can hit its entry; an entry lives until the token's `exp`
 * or `ttlMs`, whichever is first, so a withdrawn signing key stops being honoured within `ttlMs`.
 * Bounded: when full, the oldest entry goes.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly capacity = 10_000,
  ) {}

  get(token: string, now = Date.now()): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  /** Remembers a verified token; a token without `exp` or already past it is not kept. */
  remember(
    token: string,
    principal: Principal,
    expiresAt: number | undefined,
    now = Date.now(),
  ): void {
    if (this.ttlMs <= 0 || expiresAt === undefined) return;
    const until = Math.min(expiresAt, now + this.ttlMs);
    if (until <= now) return;
    if (this.entries.size >= this.capacity && !this.entries.has(token)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { principal, until });
  }

  get size(): number {
    return this.entries.size;
  }
}
