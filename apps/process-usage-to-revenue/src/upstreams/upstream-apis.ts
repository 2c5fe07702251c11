import { Injectable } from '@nestjs/common';
import type { Client } from 'openapi-fetch';
import { systemApi, type billing, type erp } from '@revgate/clients';
import { ClientCredentialsTokenProvider, Upstreams } from '@revgate/resilience';
import { U2rConfig } from '../u2r.config';

/**
 * The typed clients of the system APIs this app calls, each through its upstream client: one
 * breaker and one budget per system. The ERP's budget (ERP_CONCURRENCY calls in flight,
 * ERP_RATE_PER_SECOND started) is the ceiling every ERP call of the app waits under; a 429 is
 * retried after its Retry-After.
 */
@Injectable()
export class SystemApis {
  readonly billing: Client<billing.paths>;
  readonly erp: Client<erp.paths>;

  constructor(upstreams: Upstreams, config: U2rConfig) {
    const auth = (url: string, tokenUrl?: string): ClientCredentialsTokenProvider =>
      new ClientCredentialsTokenProvider({
        tokenUrl: tokenUrl ?? `${url}/auth/token`,
        clientId: config.U2R_CLIENT_ID,
        clientSecret: config.U2R_CLIENT_SECRET,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      });
    const retry = { attempts: 8, baseDelayMs: 200, maxDelayMs: 10_000 };
    // A run waits its turn rather than fail: a budget wait is bounded by the call timeout only.
    const breaker = {
      volumeThreshold: 50,
      errorThresholdPercentage: 80,
      resetTimeoutMs: 5_000,
      rollingWindowMs: 10_000,
    };
    this.billing = systemApi<billing.paths>(
      upstreams.client({
        name: 'billing',
        baseUrl: config.BILLING_API_URL,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        retry,
        breaker,
        budget: {
          concurrency: config.BILLING_CONCURRENCY,
          ratePerSecond: Infinity,
          maxWaitMs: 600_000,
        },
        auth: auth(config.BILLING_API_URL, config.BILLING_API_TOKEN_URL),
      }),
    );
    this.erp = systemApi<erp.paths>(
      upstreams.client({
        name: 'erp',
        baseUrl: config.ERP_API_URL,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        retry,
        breaker,
        budget: {
          concurrency: config.ERP_CONCURRENCY,
          ratePerSecond: config.ERP_RATE_PER_SECOND > 0 ? config.ERP_RATE_PER_SECOND : Infinity,
          maxWaitMs: 600_000,
        },
        auth: auth(config.ERP_API_URL, config.ERP_API_TOKEN_URL),
      }),
    );
  }
}
