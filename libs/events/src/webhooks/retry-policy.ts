export interface RetryPolicy {
  /** Delay after the first failed attempt. */
  baseSeconds: number;
  /** No delay is longer (jitter aside). */
  maxDelaySeconds: number;
  /** A delivery that has failed this many attempts is dead. */
  maxAttempts: number;
}

/** Each retry waits three times longer than the one before: 10 s, 30 s, 90 s, 4.5 min… */
const FACTOR = 3;
/** ±20 %, so receivers that failed together are not all retried at the same second. */
const JITTER = 0.2;
/** A Retry-After further out than this is not believed: a day is the longest a delivery waits. */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

/** The delay before the retry that follows failed attempt number `attempt` (1-based), in seconds. */
export function backoffSeconds(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  const plain = Math.min(
    policy.maxDelaySeconds,
    policy.baseSeconds * FACTOR ** Math.min(exponent, 30),
  );
  return plain * (1 - JITTER + 2 * JITTER * random());
}

/** Retry-After as seconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Math.min(Number(text), MAX_RETRY_AFTER_SECONDS);
  const at = Date.parse(text);
  if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined;
  return Math.min(Math.max(0, (at - now.getTime()) / 1000), MAX_RETRY_AFTER_SECONDS);
}

/**
 * When a failed delivery is tried again, or undefined when it is dead: the backoff, or later when
 * the receiver asked for it with Retry-After.
 */
export function nextAttemptAt(
  now: Date,
  attempts: number,
  policy: RetryPolicy,
  retryAfterSeconds?: number,
  random: () => number = Math.random,
): Date | undefined {
  if (attempts >= policy.maxAttempts) return undefined;
  const delay = Math.max(backoffSeconds(attempts, policy, random), retryAfterSeconds ?? 0);
  return new Date(now.getTime() + Math.ceil(delay * 1000));
}
