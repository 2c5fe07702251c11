import { Body, Controller, Get, Headers, HttpCode, Optional, Post } from '@nestjs/common';
import { ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError, ApiProblems, Public } from '@revgate/platform';
import { AuthErrorCode } from '../auth-error-code';
import { DevIssuerService } from './dev-issuer.service';
import { TokenRequest, TokenResponse } from './token.dto';

function basicCredentials(header: string | undefined): [string, string] | undefined {
  const m = header && /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return [formDecode(decoded.slice(0, colon)), formDecode(decoded.slice(colon + 1))];
}

/** RFC 6749 §2.3.1: Basic credentials are percent-encoded first; a stray `%` is taken literally (not a 500). */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

@ApiTags('Auth')
@Public()
@Controller('auth')
export class TokenController {
  constructor(@Optional() private readonly issuer?: DevIssuerService) {}

  private requireIssuer(): DevIssuerService {
    if (!this.issuer) {
      throw new ApiError(
        404,
        AuthErrorCode.DEV_ISSUER_DISABLED,
        'The development issuer is off (AUTH_MODE=jwks): get tokens from your identity provider.',
      );
    }
    return this.issuer;
  }

  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Get an access token (OAuth2 client credentials) from the development issuer',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiOkResponse({ type: TokenResponse })
  @ApiProblems(400, 404)
  token(
    @Body() body: TokenRequest,
    @Headers('authorization') authorization?: string,
  ): TokenResponse {
    const issuer = this.requireIssuer();
    const basic = basicCredentials(authorization);
    const clientId = basic?.[0] ?? body.client_id;
    const clientSecret = basic?.[1] ?? body.client_secret;
    if (!clientId || !clientSecret) {
      throw new ApiError(
        401,
        AuthErrorCode.INVALID_CLIENT,
        'Send client_id and client_secret, in the body or as HTTP Basic.',
        { error: 'invalid_client' },
      );
    }
    return issuer.issue(clientId, clientSecret, body.scope);
  }

  @Get('jwks.json')
  @ApiOperation({ summary: 'Public keys of the development issuer (JWKS)' })
  @ApiOkResponse({ description: 'JSON Web Key Set' })
  @ApiProblems(404)
  jwks(): { keys: object[] } {
    return { keys: [this.requireIssuer().key.jwk] };
  }
}
