import { SetMetadata } from '@nestjs/common';

export const OMIT_FROM_REPLAY = 'revgate:idempotency-omit';

/**
 * The response carries something shown once (a secret): the stored copy that an Idempotency-Key
 * replay answers leaves these top-level fields out, so it never rests in clear in the idempotency
 * table.
 */
export const OmitFromReplay = (...fields: string[]): MethodDecorator =>
  SetMetadata(OMIT_FROM_REPLAY, fields);

/** The body to store for replays: without the fields the route named. */
export function withoutFields(body: unknown, fields: readonly string[] | undefined): unknown {
  if (!fields?.length || body === null || typeof body !== 'object' || Array.isArray(body))
    return body;
  return Object.fromEntries(Object.entries(body).filter(([k]) => !fields.includes(k)));
}
