import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from '@revgate/portal-api';

export type Schemas = components['schemas'];

/** An RFC 9457 problem the API answered, or a network failure dressed as one. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly correlationId?: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'Problem';
  }
}

const TOKEN_KEY = 'revgate.portal.token';

export interface Session {
  token: string;
  subject: string;
  scopes: string[];
  expiresAt: number;
  customerId?: string;
}

/** The claims of a JWT, read (not verified: the API verifies every call). */
function claimsOf(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  const value: unknown = JSON.parse(json);
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

export function sessionOf(token: string): Session | undefined {
  try {
    const c = claimsOf(token);
    const exp = typeof c.exp === 'number' ? c.exp * 1000 : 0;
    if (exp <= Date.now()) return undefined;
    return {
      token,
      subject: typeof c.sub === 'string' ? c.sub : 'unknown',
      scopes: typeof c.scope === 'string' ? c.scope.split(' ').filter(Boolean) : [],
      expiresAt: exp,
      ...(typeof c.customer_id === 'string' ? { customerId: c.customer_id } : {}),
    };
  } catch {
    return undefined;
  }
}

export function storedSession(): Session | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? sessionOf(token) : undefined;
}

export function forgetSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Client credentials at the portal's token endpoint (the development issuer by default). */
export async function signIn(clientId: string, clientSecret: string): Promise<Session> {
  const res = await fetch('/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  const body = (await res.json()) as { access_token?: string; code?: string; detail?: string };
  if (!res.ok || !body.access_token) throw asProblem(res.status, body, 'The sign-in was refused.');
  const session = sessionOf(body.access_token);
  if (!session) throw asProblem(500, {}, 'The token could not be read.');
  sessionStorage.setItem(TOKEN_KEY, body.access_token);
  return session;
}

function asProblem(status: number, body: unknown, fallback: string): Problem {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return new Problem(
    status,
    typeof b.code === 'string' ? b.code : `HTTP_${status}`,
    typeof b.detail === 'string' ? b.detail : fallback,
    typeof b.correlationId === 'string' ? b.correlationId : undefined,
  );
}

const auth: Middleware = {
  onRequest({ request }) {
    const session = storedSession();
    if (session) request.headers.set('authorization', `Bearer ${session.token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

/** The data of an answer, or its problem thrown. */
export async function data<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response };
  try {
    answer = await call;
  } catch (e) {
    throw asProblem(
      0,
      {},
      `The portal did not answer: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (answer.response.status === 401) forgetSession();
  if (answer.data !== undefined && answer.response.ok) return answer.data;
  throw asProblem(answer.response.status, answer.error, answer.response.statusText);
}

/** The problem of a failure, whatever was thrown. */
export function problemOf(e: unknown): Problem {
  return e instanceof Problem
    ? e
    : new Problem(0, 'UI_ERROR', e instanceof Error ? e.message : String(e));
}

/** A text field of a submitted form ('' when absent). */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
