import { applyDecorators } from '@nestjs/common';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { BaseConfig, toInt } from '@revgate/platform';

const HTTP_URL = { protocols: ['http', 'https'], require_tld: false, require_protocol: true };
const url = (name: string, example: string): PropertyDecorator =>
  IsUrl(HTTP_URL, { message: `${name} must be an http(s) URL, e.g. ${example}` });
const int = (name: string, min: number, max: number): PropertyDecorator => {
  const message = `${name} must be an integer from ${min} to ${max}`;
  return applyDecorators(toInt(), IsInt({ message }), Min(min, { message }), Max(max, { message }));
};

/**
 * The experience API and finance portal: where the process and system APIs it reads are, the
 * client it reads them as, and where the built web UI is.
 */
export class PortalConfig extends BaseConfig {
  @int('PORT', 0, 65535)
  override PORT = 3007;

  @url('CRM_API_URL', 'http://127.0.0.1:3001')
  CRM_API_URL = 'http://127.0.0.1:3001';

  @url('BILLING_API_URL', 'http://127.0.0.1:3002')
  BILLING_API_URL = 'http://127.0.0.1:3002';

  @url('TAX_API_URL', 'http://127.0.0.1:3003')
  TAX_API_URL = 'http://127.0.0.1:3003';

  @url('ERP_API_URL', 'http://127.0.0.1:3004')
  ERP_API_URL = 'http://127.0.0.1:3004';

  @url('Q2C_API_URL', 'http://127.0.0.1:3005')
  Q2C_API_URL = 'http://127.0.0.1:3005';

  @url('U2R_API_URL', 'http://127.0.0.1:3006')
  U2R_API_URL = 'http://127.0.0.1:3006';

  /**
   * OAuth2 token endpoint of the identity provider the APIs trust. Unset: each API's own
   * development issuer (`<its URL>/auth/token`).
   */
  @IsOptional()
  @url('PORTAL_API_TOKEN_URL', 'https://login.example.com/oauth2/token')
  PORTAL_API_TOKEN_URL?: string;

  /**
   * The client the portal reads the other APIs as (client credentials): it needs their read
   * scopes, `q2c:operate` for the workbench's actions, and `metrics:read` for the overview.
   */
  @IsString()
  @Matches(/\S/, { message: 'PORTAL_CLIENT_ID must not be blank' })
  PORTAL_CLIENT_ID = 'revgate-dev';

  @IsString()
  @Matches(/\S/, { message: 'PORTAL_CLIENT_SECRET must not be blank' })
  PORTAL_CLIENT_SECRET = 'revgate-dev-secret';

  /** How long one call to another API may take. */
  @int('PORTAL_UPSTREAM_TIMEOUT_MS', 100, 120000)
  PORTAL_UPSTREAM_TIMEOUT_MS = 10000;

  /** How long the overview is kept before it is read again from the other APIs. */
  @int('PORTAL_OVERVIEW_CACHE_SECONDS', 0, 3600)
  PORTAL_OVERVIEW_CACHE_SECONDS = 5;

  /** Most records the overview and the reconciliation read from one list (then they say so). */
  @int('PORTAL_SCAN_LIMIT', 100, 1000000)
  PORTAL_SCAN_LIMIT = 10000;

  /** Where the built web UI is; unset: `web/` beside the app's build. */
  @IsOptional()
  @IsString()
  PORTAL_WEB_DIR?: string;
}
