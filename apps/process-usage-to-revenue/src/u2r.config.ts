import { applyDecorators } from '@nestjs/common';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { toInt } from '@revgate/platform';
import { EventsConfig } from '@revgate/events';

const HTTP_URL = { protocols: ['http', 'https'], require_tld: false, require_protocol: true };

const int = (name: string, min: number, max: number): PropertyDecorator => {
  const message = `${name} must be an integer from ${min} to ${max}`;
  return applyDecorators(toInt(), IsInt({ message }), Min(min, { message }), Max(max, { message }));
};

/** The usage-to-revenue process API: where billing and the ERP are, and how hard to use them. */
export class U2rConfig extends EventsConfig {
  @int('PORT', 0, 65535)
  override PORT = 3006;

  /** A batch of 1,000 events with their properties can pass 1 MiB. */
  @int('BODY_LIMIT_BYTES', 1024, 104857600)
  override BODY_LIMIT_BYTES = 8 * 1024 * 1024;

  /** The billing system API (pricing, usage lines, invoices). */
  @IsUrl(HTTP_URL, {
    message: 'BILLING_API_URL must be an http(s) URL, e.g. http://127.0.0.1:3002',
  })
  BILLING_API_URL = 'http://127.0.0.1:3002';

  /** The ERP system API (AR invoices, journal entries). */
  @IsUrl(HTTP_URL, { message: 'ERP_API_URL must be an http(s) URL, e.g. http://127.0.0.1:3004' })
  ERP_API_URL = 'http://127.0.0.1:3004';

  /** OAuth2 token endpoints; default to <API>/auth/token. */
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'BILLING_API_TOKEN_URL must be an http(s) URL' })
  BILLING_API_TOKEN_URL?: string;

  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'ERP_API_TOKEN_URL must be an http(s) URL' })
  ERP_API_TOKEN_URL?: string;

  /** The client this app calls billing and the ERP as (needs billing:read/write, erp:read/write). */
  @IsString()
  @Matches(/\S/, { message: 'U2R_CLIENT_ID must not be blank' })
  U2R_CLIENT_ID = 'revgate-dev';

  @IsString()
  @Matches(/\S/, { message: 'U2R_CLIENT_SECRET must not be blank' })
  U2R_CLIENT_SECRET = 'revgate-dev-secret';

  /** How long one call to billing or the ERP may take. */
  @int('UPSTREAM_TIMEOUT_MS', 100, 300000)
  UPSTREAM_TIMEOUT_MS = 60000;

  /** The ERP's budget: calls in flight at once (also the `erp` posting queue's concurrency). */
  @int('ERP_CONCURRENCY', 1, 256)
  ERP_CONCURRENCY = 8;

  /** The ERP's budget: calls started per second; 0 is no limit. */
  @int('ERP_RATE_PER_SECOND', 0, 100000)
  ERP_RATE_PER_SECOND = 0;

  /** Calls to billing in flight at once. */
  @int('BILLING_CONCURRENCY', 1, 256)
  BILLING_CONCURRENCY = 8;

  /** Subscriptions a billing run invoices per step (one batch request per step to billing). */
  @int('BILLING_RUN_CHUNK', 1, 500)
  BILLING_RUN_CHUNK = 500;

  /** Invoices one posting workflow of the `erp` queue posts, one after the other. */
  @int('ERP_POSTING_CHUNK', 1, 1000)
  ERP_POSTING_CHUNK = 50;
}
