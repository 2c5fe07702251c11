import createClient, { type Client } from 'openapi-fetch';
import type { UpstreamClient } from '@revgate/resilience';

/** Headers that only steer the upstream client, never sent. */
const IDEMPOTENT_HINT = 'x-revgate-idempotent';
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const);
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const isMethod = (m: string): m is Method => (METHODS as ReadonlySet<string>).has(m);

/**
 * A fetch that sends through an upstream client: its budget, breaker, timeout and retries. A POST
 * or PATCH is retried only with an Idempotency-Key (which every process step sends) or with the
 * `x-revgate-idempotent: true` hint for calls the upstream dedupes by content.
 */
export function upstreamFetch(upstream: UpstreamClient): (input: Request) => Promise<Response> {
  return async (input: Request): Promise<Response> => {
    const url = new URL(input.url);
    const method = input.method.toUpperCase();
    if (!isMethod(method)) throw new Error(`${method} is not a method the system APIs use`);
    const headers: Record<string, string> = {};
    input.headers.forEach((value, name) => {
      if (name !== IDEMPOTENT_HINT && name !== 'content-length') headers[name] = value;
    });
    const idempotencyKey = headers['idempotency-key'];
    delete headers['idempotency-key'];
    const text = await input.text();
    const res = await upstream.request({
      method,
      path: `${url.pathname}${url.search}`,
      headers,
      ...(text === '' ? {} : { rawBody: text }),
      ...(idempotencyKey ? { idempotencyKey } : {}),
      idempotent: input.headers.get(IDEMPOTENT_HINT) === 'true',
    });
    // A body is not allowed with these statuses in a Response.
    const empty = res.status === 204 || res.status === 304;
    return new Response(empty ? null : res.text, { status: res.status, headers: res.headers });
  };
}

/**
 * A typed client of a Revgate API (`Paths` from sdk/src/generated) over an upstream
 * client. Paths are the spec's, base path included ('/billing/v1/invoices/{id}'). An answer comes
 * back as `{ data }` or `{ error }` (the problem); no answer throws UpstreamUnavailableError.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- openapi-fetch's own bound on paths
export function systemApi<Paths extends {}>(upstream: UpstreamClient): Client<Paths> {
  return createClient<Paths>({
    // The upstream client adds its own base URL; this one only gives Request a valid URL.
    baseUrl: 'http://upstream.invalid',
    fetch: upstreamFetch(upstream),
  });
}

/** The header that marks a POST safe to retry without an Idempotency-Key. */
export const idempotentHint = { [IDEMPOTENT_HINT]: 'true' } as const;
