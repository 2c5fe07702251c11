import { applyDecorators } from '@nestjs/common';
import { IsInt, IsOptional, IsUrl, Matches, Max, Min } from 'class-validator';
import { toInt } from '@revgate/platform';
import { EventsConfig } from '@revgate/events';

const HTTP_URL = { protocols: ['http', 'https'], require_tld: false, require_protocol: true };
const url = (name: string): PropertyDecorator =>
  IsUrl(HTTP_URL, { message: `${name} must be an http(s) URL, e.g. http://127.0.0.1:3001` });
const int = (name: string, min: number, max: number): PropertyDecorator => {
  const message = `${name} must be an integer from ${min} to ${max}`;
  return applyDecorators(toInt(), IsInt({ message }), Min(min, { message }), Max(max, { message }));
};

/**
 * The quote-to-cash process API: where the system APIs it orchestrates are, the client it calls
 * them as, and the budget each of them gets. It produces events (ContractActivated), so its config
 * carries the relay and webhook variables too.
 */
export class Q2cConfig extends EventsConfig {
  @int('PORT', 0, 65535)
  override PORT = 3005;

  @url('CRM_API_URL')
  CRM_API_URL = 'http://127.0.0.1:3001';

  @url('BILLING_API_URL')
  BILLING_API_URL = 'http://127.0.0.1:3002';

  @url('ERP_API_URL')
  ERP_API_URL = 'http://127.0.0.1:3004';

  /**
   * OAuth2 token endpoint of the identity provider every system API trusts. Unset: each system
   * API's own development issuer (`<its URL>/auth/token`).
   */
  @IsOptional()
  @url('SYSTEM_API_TOKEN_URL')
  SYSTEM_API_TOKEN_URL?: string;

  /** The client quote-to-cash calls the system APIs as (client credentials). */
  @Matches(/\S/, { message: 'SYSTEM_API_CLIENT_ID must not be blank' })
  SYSTEM_API_CLIENT_ID = 'revgate-dev';

  @Matches(/\S/, { message: 'SYSTEM_API_CLIENT_SECRET must not be blank' })
  SYSTEM_API_CLIENT_SECRET = 'revgate-dev-secret';

  /** How long one call to a system API may take (each attempt). */
  @int('SYSTEM_API_TIMEOUT_MS', 100, 120000)
  SYSTEM_API_TIMEOUT_MS = 10000;

  /** How long a system's circuit breaker stays open before its trial call. */
  @int('SYSTEM_API_BREAKER_RESET_SECONDS', 1, 3600)
  SYSTEM_API_BREAKER_RESET_SECONDS = 30;

  /** Calls in flight to the ERP at once, per process (its concurrency governance). */
  @int('ERP_CONCURRENCY', 1, 256)
  ERP_CONCURRENCY = 4;

  /** Calls a second to the ERP, per process. */
  @int('ERP_RATE_PER_SECOND', 1, 10000)
  ERP_RATE_PER_SECOND = 10;

  /** Orders posting to the ERP at once, across every process of the app (the erp workflow queue). */
  @int('ERP_POSTING_CONCURRENCY', 1, 256)
  ERP_POSTING_CONCURRENCY = 4;

  /**
   * How long an order waits for billing's invoice.finalized event before it reads the invoice
   * itself (the event is the fast path; the read makes the order independent of webhook delivery).
   */
  @int('INVOICE_EVENT_WAIT_SECONDS', 0, 3600)
  INVOICE_EVENT_WAIT_SECONDS = 30;

  /**
   * Attempts of a step whose system does not answer, before the order parks as an outage (each
   * attempt is itself retried by the HTTP client), and the wait before the first retry (tripled
   * each time).
   */
  @int('STEP_RETRY_ATTEMPTS', 1, 20)
  STEP_RETRY_ATTEMPTS = 4;

  @int('STEP_RETRY_INTERVAL_SECONDS', 1, 600)
  STEP_RETRY_INTERVAL_SECONDS = 2;

  /** How long an order parked by an outage waits before it tries again on its own. */
  @int('OUTAGE_RETRY_SECONDS', 1, 86400)
  OUTAGE_RETRY_SECONDS = 300;

  /**
   * This app's URL as the system APIs reach it: with it, quote-to-cash subscribes at start to the
   * CRM's closed-won events and billing's invoice events (webhooks to `<url>/q2c/v1/events/...`).
   */
  @IsOptional()
  @url('Q2C_PUBLIC_URL')
  Q2C_PUBLIC_URL?: string;
}
