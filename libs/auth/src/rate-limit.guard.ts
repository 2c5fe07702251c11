import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { ApiError, PlatformErrorCode } from '@revgate/platform';
import type { Principal } from './principal';

/**
 * Per-caller rate limit (DESIGN §10). Runs after authentication, so a caller is its token's subject;
 * before it (the token endpoint) the client address. Health probes are never limited.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const user = req.user as Principal | undefined;
    return Promise.resolve(user ? `sub:${user.subject}` : `ip:${String(req.ip)}`);
  }

  /**
   * One budget per caller across every route: ThrottlerGuard's own key adds the controller and
   * handler, which gave a caller RATE_LIMIT_PER_MINUTE requests on each route.
   */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const url = context.switchToHttp().getRequest<{ url: string }>().url;
    return Promise.resolve(url.startsWith('/health/'));
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new ApiError(
      429,
      PlatformErrorCode.RATE_LIMITED,
      `Too many requests: at most ${detail.limit} a minute per caller. Retry after ${retryAfter} s.`,
      { retryAfterSeconds: retryAfter },
      { 'retry-after': String(retryAfter) },
    );
  }
}
