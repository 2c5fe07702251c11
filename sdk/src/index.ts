import createClient, { type Client } from 'openapi-fetch';
import { APIS, type ApiPaths } from './generated/apis';
import { RevgateProblem } from './problem';
import { ClientCredentialsTokenProvider, type FetchLike } from './token-provider';

export * from './generated/apis';
export * from './problem';
export * from './token-provider';

/** An API's short name: `crm`, `billing`, `tax`, `erp`, `q2c`, `u2r`, … */
export type ApiName = keyof ApiPaths;

export interface RevgateOptions {
  /** One origin that serves every API (a gateway), e.g. `https://api.example.com`. */
  baseUrl?: string;
  /** The origin of each API, e.g. `{ crm: 'http://127.0.0.1:3001' }`; wins over `baseUrl`. */
  baseUrls?: Partial<Record<ApiName, string>>;
  clientId: string;
  clientSecret: string;
  /** One token endpoint for every API (an external IdP); by default each API's `<origin>/auth/token`. */
  tokenUrl?: string;
  /** Space-separated scopes to ask for; by default every scope the client may have. */
  scope?: string;
  /** Sent as X-Correlation-Id on every call that does not set its own (a function: per call). */
  correlationId?: string | (() => string);
  /** A token is renewed this many seconds before it expires (default 30). */
  refreshBeforeSeconds?: number;
  fetch?: FetchLike;
}

/** A typed client per API; each call's paths, parameters, bodies and answers come from its spec. */
export type Revgate = { readonly [K in ApiName]: Client<ApiPaths[K]> };

/**
 * An Idempotency-Key header for a mutating call: the same key and body again replays the first
 * answer (`Idempotent-Replayed: true`) instead of doing it twice. Pass your own key to make a retry
 * after a crash safe (e.g. your order number), or get a fresh one. Use as `params: { header: … }`
 * or `headers: …`.
 */
export function idempotencyKey(key: string = globalThis.crypto.randomUUID()): {
  'Idempotency-Key': string;
} {
  return { 'Idempotency-Key': key };
}

/**
 * The data of a call's answer, or its problem thrown as a RevgateProblem:
 * `const order = await unwrap(revgate.q2c.GET('/q2c/v1/orders/{id}', { params: { path: { id } } }))`.
 */
export async function unwrap<D>(
  call: Promise<{ data?: D; error?: unknown; response: Response }>,
): Promise<D> {
  const { data, error, response } = await call;
  if (!response.ok) throw RevgateProblem.from(error, response);
  return data as D;
}

/**
 * The SDK: one typed client per API (only those with an origin can be used), each authenticating
 * with client credentials — a token cached per token endpoint, renewed before it expires, and asked
 * again once when an API answers 401.
 */
export function createRevgate(options: RevgateOptions): Revgate {
  const send: FetchLike = options.fetch ?? ((request) => fetch(request));
  const providers = new Map<string, ClientCredentialsTokenProvider>();
  const tokensFor = (tokenUrl: string): ClientCredentialsTokenProvider => {
    let provider = providers.get(tokenUrl);
    if (!provider) {
      provider = new ClientCredentialsTokenProvider({
        tokenUrl,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        scope: options.scope,
        refreshBeforeSeconds: options.refreshBeforeSeconds,
        fetch: send,
      });
      providers.set(tokenUrl, provider);
    }
    return provider;
  };

  const authenticated = (tokens: ClientCredentialsTokenProvider): FetchLike => {
    const prepare = async (request: Request): Promise<{ request: Request; token: string }> => {
      const token = await tokens.token();
      request.headers.set('authorization', `Bearer ${token}`);
      const correlationId =
        typeof options.correlationId === 'function'
          ? options.correlationId()
          : options.correlationId;
      if (correlationId !== undefined && !request.headers.has('x-correlation-id'))
        request.headers.set('x-correlation-id', correlationId);
      return { request, token };
    };
    return async (request) => {
      const again = request.clone();
      const first = await prepare(request);
      const response = await send(first.request);
      if (response.status !== 401) return response;
      // The token was revoked or the issuer's keys rotated: one new token, one more try.
      tokens.invalidate(first.token);
      await response.body?.cancel();
      return send((await prepare(again)).request);
    };
  };

  const clientOf = <K extends ApiName>(name: K): Client<ApiPaths[K]> => {
    const origin = (options.baseUrls?.[name] ?? options.baseUrl)?.replace(/\/+$/, '');
    if (origin === undefined)
      throw new Error(`No URL for the ${name} API: set baseUrls.${name} or baseUrl`);
    return createClient<ApiPaths[K]>({
      baseUrl: origin,
      fetch: authenticated(tokensFor(options.tokenUrl ?? `${origin}/auth/token`)),
    });
  };

  const revgate: Partial<Record<ApiName, unknown>> = {};
  for (const name of Object.keys(APIS) as ApiName[]) {
    let client: unknown;
    Object.defineProperty(revgate, name, {
      enumerable: true,
      get: () => (client ??= clientOf(name)),
    });
  }
  return revgate as Revgate;
}
