import { Inject, Injectable } from '@nestjs/common';
import type { Client } from 'openapi-fetch';
import { systemApi, type billing, type crm, type erp, type q2c, type u2r } from '@revgate/clients';
import { APP_CONFIG, ApiError } from '@revgate/platform';
import {
  ClientCredentialsTokenProvider,
  UpstreamUnavailableError,
  Upstreams,
  type UpstreamClient,
} from '@revgate/resilience';
import type { PortalConfig } from './portal.config';
import { PortalErrorCode } from './portal-error-code';

/** The APIs the portal reads, by the names its answers use. */
export const API_NAMES = ['crm', 'billing', 'tax', 'erp', 'q2c', 'u2r'] as const;
export type ApiName = (typeof API_NAMES)[number];

/** The app behind each API, as the overview names them. */
export const APP_OF: Record<ApiName, string> = {
  crm: 'system-crm',
  billing: 'system-billing',
  tax: 'system-tax',
  erp: 'system-erp',
  q2c: 'process-quote-to-cash',
  u2r: 'process-usage-to-revenue',
};

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The problem an API answered, for the portal to act upon (a 404 read as absent, a 409 passed on).
 * Left alone, it answers 502 PORTAL_UPSTREAM_REFUSED with the API's own status and code.
 */
export class ApiRefusal extends ApiError {
  constructor(
    readonly api: ApiName,
    readonly upstreamStatus: number,
    readonly upstreamCode: string,
    readonly upstreamDetail: string,
  ) {
    super(
      502,
      PortalErrorCode.UPSTREAM_REFUSED,
      `The ${api} API refused the portal's request (${upstreamStatus} ${upstreamCode}): ${upstreamDetail}`,
      { upstream: api, upstreamStatus, upstreamCode },
    );
  }
}

/** 503 with Retry-After: an API the answer needs gave none (down, slow, breaker open). */
export function unavailable(e: UpstreamUnavailableError): ApiError {
  return new ApiError(
    503,
    PortalErrorCode.UPSTREAM_UNAVAILABLE,
    `The ${e.upstream} API did not answer (${e.reason.replace(/_/g, ' ')}); try again in ${e.retryAfterSeconds} s.`,
    { upstream: e.upstream },
    { 'retry-after': String(e.retryAfterSeconds) },
  );
}

/**
 * The process and system APIs the portal reads, as typed clients (libs/clients) over the
 * resilience client: one breaker per API, reads retried, a client-credentials token per API.
 */
@Injectable()
export class PortalApis {
  readonly crm: Client<crm.paths>;
  readonly billing: Client<billing.paths>;
  readonly erp: Client<erp.paths>;
  readonly q2c: Client<q2c.paths>;
  readonly u2r: Client<u2r.paths>;
  readonly upstreams: Record<ApiName, UpstreamClient>;

  constructor(@Inject(APP_CONFIG) config: PortalConfig, upstreams: Upstreams) {
    const base: Record<ApiName, string> = {
      crm: config.CRM_API_URL,
      billing: config.BILLING_API_URL,
      tax: config.TAX_API_URL,
      erp: config.ERP_API_URL,
      q2c: config.Q2C_API_URL,
      u2r: config.U2R_API_URL,
    };
    const upstream = (name: ApiName): UpstreamClient =>
      upstreams.client({
        name,
        baseUrl: base[name],
        timeoutMs: config.PORTAL_UPSTREAM_TIMEOUT_MS,
        retry: { attempts: 2, baseDelayMs: 100, maxDelayMs: 1000 },
        breaker: {
          volumeThreshold: 10,
          errorThresholdPercentage: 50,
          resetTimeoutMs: 10_000,
          rollingWindowMs: 10_000,
        },
        auth: new ClientCredentialsTokenProvider({
          tokenUrl: config.PORTAL_API_TOKEN_URL ?? `${base[name].replace(/\/+$/, '')}/auth/token`,
          clientId: config.PORTAL_CLIENT_ID,
          clientSecret: config.PORTAL_CLIENT_SECRET,
          timeoutMs: config.PORTAL_UPSTREAM_TIMEOUT_MS,
        }),
      });
    this.upstreams = {
      crm: upstream('crm'),
      billing: upstream('billing'),
      tax: upstream('tax'),
      erp: upstream('erp'),
      q2c: upstream('q2c'),
      u2r: upstream('u2r'),
    };
    this.crm = systemApi<crm.paths>(this.upstreams.crm);
    this.billing = systemApi<billing.paths>(this.upstreams.billing);
    this.erp = systemApi<erp.paths>(this.upstreams.erp);
    this.q2c = systemApi<q2c.paths>(this.upstreams.q2c);
    this.u2r = systemApi<u2r.paths>(this.upstreams.u2r);
  }

  /** An app's Prometheus metrics, as text. */
  async metrics(api: ApiName): Promise<string> {
    const res = await this.upstreams[api].request<string>({ method: 'GET', path: '/metrics' });
    if (res.status !== 200)
      throw new ApiRefusal(api, res.status, `HTTP_${res.status}`, res.text.slice(0, 200));
    return res.text;
  }
}

/** The data of a success; the API's problem as an ApiRefusal; no answer as a 503 problem. */
export async function read<T>(api: ApiName, call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch (e) {
    if (e instanceof UpstreamUnavailableError) throw unavailable(e);
    throw e;
  }
  if (answer.response.ok && answer.data !== undefined) return answer.data;
  const problem = (answer.error ?? {}) as { code?: unknown; detail?: unknown };
  throw new ApiRefusal(
    api,
    answer.response.status,
    typeof problem.code === 'string' ? problem.code : `HTTP_${answer.response.status}`,
    typeof problem.detail === 'string' ? problem.detail : `HTTP ${answer.response.status}`,
  );
}

/** Like read, but an API's 404 is undefined. */
export async function readOptional<T>(
  api: ApiName,
  call: Promise<Answer<T>>,
): Promise<T | undefined> {
  try {
    return await read(api, call);
  } catch (e) {
    if (e instanceof ApiRefusal && e.upstreamStatus === 404) return undefined;
    throw e;
  }
}

interface ListPage<T> {
  data: T[];
  nextCursor?: string | null;
}

/**
 * Every item of a paged list, up to `limit` items: `truncated` says when more were left.
 * `page(cursor)` asks one page.
 */
export async function readAll<T>(
  api: ApiName,
  page: (cursor: string | undefined) => Promise<Answer<ListPage<T>>>,
  limit: number,
): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const answer = await read(api, page(cursor));
    items.push(...answer.data);
    cursor = answer.nextCursor ?? undefined;
    if (items.length >= limit)
      return {
        items: items.slice(0, limit),
        truncated: items.length > limit || cursor !== undefined,
      };
  } while (cursor);
  return { items, truncated: false };
}

/** `work` over every item, at most `concurrency` at a time, results in the items' order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
