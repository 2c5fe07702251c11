import type { Principal } from '@revgate/auth';
import { ApiError, validationProblem } from '@revgate/platform';
import { EventsErrorCode } from '../events-error-code';
import { unknownPatterns } from './event-type-pattern';
import { SsrfGuard, UrlRefusal } from './ssrf-guard';

/** A subscription sees every legal entity's events, so only a token without that limit may use them. */
export function assertUnlimited(caller: Principal): void {
  if (caller.legalEntities !== undefined) {
    throw new ApiError(
      403,
      EventsErrorCode.WEBHOOK_LEGAL_ENTITY_FORBIDDEN,
      "Webhooks carry every legal entity's events: only a token without a legal_entities limit may read or manage them.",
    );
  }
}

export function assertKnownEventTypes(patterns: readonly string[], known: readonly string[]): void {
  const unknown = unknownPatterns(patterns, known);
  if (unknown.length === 0) return;
  throw new ApiError(
    422,
    EventsErrorCode.WEBHOOK_EVENT_TYPE_UNKNOWN,
    `${unknown.join(', ')} ${unknown.length === 1 ? 'matches' : 'match'} no event this API emits. Its events: ${known.join(', ')}.`,
    {
      errors: unknown.map((p) => ({
        pointer: `/eventTypes/${patterns.indexOf(p)}`,
        detail: `${p} matches no event this API emits`,
      })),
    },
  );
}

/** The URL as it will be stored (normalized), or the problem that refuses it. */
export async function checkedUrl(guard: SsrfGuard, raw: string): Promise<string> {
  try {
    return (await guard.checkUrl(raw)).href;
  } catch (e) {
    if (!(e instanceof UrlRefusal)) throw e;
    if (e.kind === 'invalid') throw validationProblem([{ pointer: '/url', detail: e.message }]);
    throw new ApiError(
      422,
      e.kind === 'forbidden'
        ? EventsErrorCode.WEBHOOK_URL_FORBIDDEN
        : EventsErrorCode.WEBHOOK_URL_UNRESOLVABLE,
      e.message,
    );
  }
}
