import {
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { toBool, toInt } from '@revgate/platform';
import { EventsConfig } from '@revgate/events';

/**
 * The ERPs the API can front: the sandbox, and Tryton 6.0 over JSON-RPC (providers/tryton, with
 * its ERP_TRYTON_* variables). NetSuite follows with its issue.
 */
export const ERP_PROVIDERS: readonly string[] = ['sandbox', 'tryton'];

const HTTP_URL = { protocols: ['http', 'https'], require_tld: false, require_protocol: true };
const withTryton = (c: ErpConfig): boolean => c.ERP_PROVIDER === 'tryton';

const FAULT_RATE = /^(0(\.\d{1,6})?|1(\.0{1,6})?)$/;

/** The app produces events (postings, period changes): its config carries the relay and webhook variables. */
export class ErpConfig extends EventsConfig {
  @toInt()
  @IsInt({ message: 'PORT must be an integer from 0 to 65535' })
  @Min(0, { message: 'PORT must be an integer from 0 to 65535' })
  @Max(65535, { message: 'PORT must be an integer from 0 to 65535' })
  override PORT = 3004;

  /** Which ERP the API fronts. */
  @IsIn(ERP_PROVIDERS, { message: `ERP_PROVIDER must be one of ${ERP_PROVIDERS.join(', ')}` })
  ERP_PROVIDER = 'sandbox';

  /** Seed demo legal entities (US01, DE01) with a chart and open periods into an empty sandbox. */
  @toBool()
  @IsBoolean({ message: 'ERP_SEED_DEMO must be true or false' })
  ERP_SEED_DEMO = true;

  /** Sandbox governance at start (PUT /sandbox/governance changes it at run time); 0 turns a limit off. */
  @toInt()
  @IsInt({ message: 'ERP_SANDBOX_CONCURRENCY_LIMIT must be an integer from 0 to 10000' })
  @Min(0, { message: 'ERP_SANDBOX_CONCURRENCY_LIMIT must be an integer from 0 to 10000' })
  @Max(10000, { message: 'ERP_SANDBOX_CONCURRENCY_LIMIT must be an integer from 0 to 10000' })
  ERP_SANDBOX_CONCURRENCY_LIMIT = 0;

  @toInt()
  @IsInt({ message: 'ERP_SANDBOX_RATE_PER_SECOND must be an integer from 0 to 100000' })
  @Min(0, { message: 'ERP_SANDBOX_RATE_PER_SECOND must be an integer from 0 to 100000' })
  @Max(100000, { message: 'ERP_SANDBOX_RATE_PER_SECOND must be an integer from 0 to 100000' })
  ERP_SANDBOX_RATE_PER_SECOND = 0;

  @toInt()
  @IsInt({ message: 'ERP_SANDBOX_LATENCY_MS must be an integer from 0 to 60000' })
  @Min(0, { message: 'ERP_SANDBOX_LATENCY_MS must be an integer from 0 to 60000' })
  @Max(60000, { message: 'ERP_SANDBOX_LATENCY_MS must be an integer from 0 to 60000' })
  ERP_SANDBOX_LATENCY_MS = 0;

  /** Share of calls that fail (the ERP's 500, answered as 502 ERP_PROVIDER_ERROR), 0 to 1. */
  @Matches(FAULT_RATE, {
    message: 'ERP_SANDBOX_FAULT_RATE must be a decimal from 0 to 1, e.g. 0.05',
  })
  ERP_SANDBOX_FAULT_RATE = '0';

  /** Seed of the fault draws, so a run fails the same calls every time. */
  @toInt()
  @IsInt({ message: 'ERP_SANDBOX_FAULT_SEED must be an integer' })
  ERP_SANDBOX_FAULT_SEED = 1;

  /** Tryton's server root (no database), e.g. http://127.0.0.1:8000. Required with ERP_PROVIDER=tryton. */
  @ValidateIf(withTryton)
  @IsUrl(HTTP_URL, {
    message:
      'ERP_TRYTON_URL must be the http(s) URL of the Tryton server, e.g. http://127.0.0.1:8000',
  })
  ERP_TRYTON_URL?: string;

  /** The Tryton database the companies live in. */
  @ValidateIf(withTryton)
  @IsString({
    message: 'ERP_TRYTON_DATABASE must name the Tryton database (letters, digits, . _ -)',
  })
  @Matches(/^[A-Za-z0-9_.-]{1,63}$/, {
    message: 'ERP_TRYTON_DATABASE must name the Tryton database (letters, digits, . _ -)',
  })
  ERP_TRYTON_DATABASE?: string;

  /** The Tryton user the connector logs in as: every company, company_filter "all". */
  @ValidateIf(withTryton)
  @IsString()
  @Matches(/\S/, { message: 'ERP_TRYTON_USER must not be blank' })
  ERP_TRYTON_USER = 'admin';

  @ValidateIf(withTryton)
  @IsString({ message: 'ERP_TRYTON_PASSWORD must be set with ERP_PROVIDER=tryton' })
  @Matches(/\S/, { message: 'ERP_TRYTON_PASSWORD must be set with ERP_PROVIDER=tryton' })
  ERP_TRYTON_PASSWORD?: string;

  /** How long one call to Tryton may take before it counts as lost (ERP_UNAVAILABLE; a retry finds what it did). */
  @toInt()
  @IsInt({ message: 'ERP_TRYTON_TIMEOUT_MS must be an integer from 1000 to 300000' })
  @Min(1000, { message: 'ERP_TRYTON_TIMEOUT_MS must be an integer from 1000 to 300000' })
  @Max(300000, { message: 'ERP_TRYTON_TIMEOUT_MS must be an integer from 1000 to 300000' })
  ERP_TRYTON_TIMEOUT_MS = 30000;

  /** How long a login may take (Tryton hashes the password and slows down after failed attempts). */
  @toInt()
  @IsInt({ message: 'ERP_TRYTON_LOGIN_TIMEOUT_MS must be an integer from 1000 to 300000' })
  @Min(1000, { message: 'ERP_TRYTON_LOGIN_TIMEOUT_MS must be an integer from 1000 to 300000' })
  @Max(300000, { message: 'ERP_TRYTON_LOGIN_TIMEOUT_MS must be an integer from 1000 to 300000' })
  ERP_TRYTON_LOGIN_TIMEOUT_MS = 60000;

  /** Calls this process has in flight to Tryton at once (its posts of one company run one at a time anyway). */
  @toInt()
  @IsInt({ message: 'ERP_TRYTON_CONCURRENCY must be an integer from 1 to 64' })
  @Min(1, { message: 'ERP_TRYTON_CONCURRENCY must be an integer from 1 to 64' })
  @Max(64, { message: 'ERP_TRYTON_CONCURRENCY must be an integer from 1 to 64' })
  ERP_TRYTON_CONCURRENCY = 4;

  /** How long a request may wait for its turn before it is refused (429 ERP_CONCURRENCY_LIMITED). */
  @toInt()
  @IsInt({ message: 'ERP_TRYTON_MAX_WAIT_MS must be an integer from 100 to 600000' })
  @Min(100, { message: 'ERP_TRYTON_MAX_WAIT_MS must be an integer from 100 to 600000' })
  @Max(600000, { message: 'ERP_TRYTON_MAX_WAIT_MS must be an integer from 100 to 600000' })
  ERP_TRYTON_MAX_WAIT_MS = 60000;

  /** How long master data read from Tryton (charts, periods, customers, items) is reused; 0 never. */
  @toInt()
  @IsInt({ message: 'ERP_TRYTON_CACHE_TTL_MS must be an integer from 0 to 3600000' })
  @Min(0, { message: 'ERP_TRYTON_CACHE_TTL_MS must be an integer from 0 to 3600000' })
  @Max(3600000, { message: 'ERP_TRYTON_CACHE_TTL_MS must be an integer from 0 to 3600000' })
  ERP_TRYTON_CACHE_TTL_MS = 30000;
}
