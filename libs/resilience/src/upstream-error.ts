/** Why an upstream could not give an answer. */
export type UnavailableReason =
  | 'timeout'
  | 'network'
  | 'server_error'
  | 'rate_limited'
  | 'breaker_open'
  | 'budget_exhausted'
  | 'auth_refused';

/**
 * The upstream gave no usable answer after the retries its call allowed: down, too slow, saturated,
 * or its breaker is open. Callers answer their own 503 with `Retry-After: retryAfterSeconds` and
 * write nothing, or park the work until then.
 */
export class UpstreamUnavailableError extends Error {
  constructor(
    readonly upstream: string,
    readonly reason: UnavailableReason,
    readonly retryAfterSeconds: number,
    detail: string,
    /** The last HTTP status seen, if the upstream answered at all. */
    readonly status?: number,
  ) {
    super(`${upstream}: ${detail}`);
    this.name = 'UpstreamUnavailableError';
  }
}
