import { Inject, Injectable } from '@nestjs/common';
import type { Client } from 'openapi-fetch';
import { systemApi, type billing, type crm, type erp } from '@revgate/clients';
import { APP_CONFIG } from '@revgate/platform';
import {
  ClientCredentialsTokenProvider,
  Upstreams,
  type UpstreamClient,
} from '@revgate/resilience';
import type { Q2cConfig } from './q2c.config';

export type SystemName = 'crm' | 'billing' | 'erp';

/**
 * The system APIs quote-to-cash orchestrates, as typed clients (libs/clients) over the resilience
 * client: one breaker and budget per system, the ERP's budget from ERP_CONCURRENCY and
 * ERP_RATE_PER_SECOND, a client-credentials token per system.
 */
@Injectable()
export class SystemApis {
  readonly crm: Client<crm.paths>;
  readonly billing: Client<billing.paths>;
  readonly erp: Client<erp.paths>;
  readonly upstreams: Record<SystemName, UpstreamClient>;

  constructor(@Inject(APP_CONFIG) config: Q2cConfig, upstreams: Upstreams) {
    const upstream = (
      name: SystemName,
      baseUrl: string,
      budget?: { concurrency: number; ratePerSecond: number },
    ): UpstreamClient =>
      upstreams.client({
        name,
        baseUrl,
        timeoutMs: config.SYSTEM_API_TIMEOUT_MS,
        retry: { attempts: 3, baseDelayMs: 200, maxDelayMs: 5000 },
        breaker: {
          volumeThreshold: 10,
          errorThresholdPercentage: 50,
          resetTimeoutMs: config.SYSTEM_API_BREAKER_RESET_SECONDS * 1000,
          rollingWindowMs: 10_000,
        },
        ...(budget ? { budget: { ...budget, maxWaitMs: 60_000 } } : {}),
        auth: new ClientCredentialsTokenProvider({
          tokenUrl: config.SYSTEM_API_TOKEN_URL ?? `${baseUrl.replace(/\/+$/, '')}/auth/token`,
          clientId: config.SYSTEM_API_CLIENT_ID,
          clientSecret: config.SYSTEM_API_CLIENT_SECRET,
          timeoutMs: config.SYSTEM_API_TIMEOUT_MS,
        }),
      });
    this.upstreams = {
      crm: upstream('crm', config.CRM_API_URL),
      billing: upstream('billing', config.BILLING_API_URL),
      erp: upstream('erp', config.ERP_API_URL, {
        concurrency: config.ERP_CONCURRENCY,
        ratePerSecond: config.ERP_RATE_PER_SECOND,
      }),
    };
    this.crm = systemApi<crm.paths>(this.upstreams.crm);
    this.billing = systemApi<billing.paths>(this.upstreams.billing);
    this.erp = systemApi<erp.paths>(this.upstreams.erp);
  }
}

/** A problem a system API answered (problem+json), with the system it came from. */
export class SystemRefusal extends Error {
  constructor(
    readonly system: SystemName,
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: { pointer: string; detail: string }[] = [],
  ) {
    super(`${system} refused (${status} ${code}): ${detail}`);
    this.name = 'SystemRefusal';
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a success, or the system's refusal as a SystemRefusal. */
export function answered<T>(system: SystemName, answer: Answer<T>): T {
  if (answer.response.ok && answer.data !== undefined) return answer.data;
  const problem = (answer.error ?? {}) as {
    code?: unknown;
    detail?: unknown;
    errors?: unknown;
  };
  throw new SystemRefusal(
    system,
    answer.response.status,
    typeof problem.code === 'string' ? problem.code : `HTTP_${answer.response.status}`,
    typeof problem.detail === 'string' ? problem.detail : `HTTP ${answer.response.status}`,
    Array.isArray(problem.errors) ? (problem.errors as { pointer: string; detail: string }[]) : [],
  );
}
