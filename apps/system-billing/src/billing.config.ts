import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { toInt } from '@revgate/platform';
import { EventsConfig } from '@revgate/events';
import { parseLegalEntities } from './legal-entities';

const HTTP_URL = { protocols: ['http', 'https'], require_tld: false, require_protocol: true };

/** The app produces events: its config carries the relay and webhook variables. */
export class BillingConfig extends EventsConfig {
  @toInt()
  @IsInt({ message: 'PORT must be an integer from 0 to 65535' })
  @Min(0, { message: 'PORT must be an integer from 0 to 65535' })
  @Max(65535, { message: 'PORT must be an integer from 0 to 65535' })
  override PORT = 3002;

  /** Which billing system the API fronts. Only the sandbox exists so far; Stripe comes with the connectors issue. */
  @IsIn(['sandbox'], { message: 'BILLING_PROVIDER must be sandbox' })
  BILLING_PROVIDER = 'sandbox';

  /** JSON array of {code, name, address}: the legal entities that invoice, and where they are. */
  @IsOptional()
  @IsString()
  @ValidateBy({
    name: 'legalEntities',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && parseLegalEntities(value).problems.length === 0,
      defaultMessage: (args) =>
        `BILLING_LEGAL_ENTITIES ${typeof args?.value === 'string' ? parseLegalEntities(args.value).problems.join('; ') : 'must be a JSON string'}`,
    },
  })
  BILLING_LEGAL_ENTITIES?: string;

  /**
   * Base URL of the tax system API (e.g. http://127.0.0.1:3003). Unset: no tax is calculated and
   * invoices say so ("tax not calculated").
   */
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'TAX_API_URL must be an http(s) URL, e.g. http://127.0.0.1:3003' })
  TAX_API_URL?: string;

  /** OAuth2 token endpoint for the tax API (client credentials); defaults to TAX_API_URL/auth/token. */
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'TAX_API_TOKEN_URL must be an http(s) URL' })
  TAX_API_TOKEN_URL?: string;

  /** Client the billing API authenticates to the tax API as (needs tax:read and tax:write). */
  @IsString()
  @Matches(/\S/, { message: 'TAX_API_CLIENT_ID must not be blank' })
  TAX_API_CLIENT_ID = 'revgate-dev';

  @ValidateIf((c: BillingConfig) => c.TAX_API_URL !== undefined)
  @IsString()
  @Matches(/\S/, { message: 'TAX_API_CLIENT_SECRET must not be blank' })
  TAX_API_CLIENT_SECRET = 'revgate-dev-secret';

  /** How long a call to the tax API may take before it is abandoned (503 BILLING_TAX_UNAVAILABLE). */
  @toInt()
  @IsInt({ message: 'TAX_API_TIMEOUT_MS must be an integer from 100 to 120000' })
  @Min(100, { message: 'TAX_API_TIMEOUT_MS must be an integer from 100 to 120000' })
  @Max(120000, { message: 'TAX_API_TIMEOUT_MS must be an integer from 100 to 120000' })
  TAX_API_TIMEOUT_MS = 10000;
}
