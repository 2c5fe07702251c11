import { ExecutionContext, Inject, Injectable, Type, CanActivate } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import {
  APP_CONFIG,
  ApiError,
  CUSTOMER_SCOPED,
  PUBLIC_ROUTE,
  REQUIRED_SCOPES,
  type BaseConfig,
} from '@revgate/platform';
import { AuthErrorCode } from './auth-error-code';
import { tokenExpiry } from './jwt.strategy';
import { Principal } from './principal';
import { VerifiedTokens } from './verified-tokens';

/** The token of `Authorization: Bearer <token>`, as passport-jwt reads it. */
const BEARER = /^bearer\s+(\S+)$/i;

const CHALLENGE = 'www-authenticate';

function unauthenticated(info: unknown): ApiError {
  const name = info instanceof Error ? info.name : '';
  const message = info instanceof Error ? info.message : '';
  if (name === 'TokenExpiredError') {
    return new ApiError(
      401,
      AuthErrorCode.TOKEN_EXPIRED,
      'The access token has expired; get a new one.',
      {},
      { [CHALLENGE]: 'Bearer error="invalid_token", error_description="token expired"' },
    );
  }
  if (!message || /no auth token/i.test(message)) {
    return new ApiError(
      401,
      AuthErrorCode.TOKEN_MISSING,
      'Send an access token: Authorization: Bearer <token>.',
      {},
      { [CHALLENGE]: 'Bearer realm="revgate"' },
    );
  }
  // Say what was wrong with the token, never echo it.
  const reason = /audience/.test(message)
    ? 'it was issued for another audience'
    : /issuer/.test(message)
      ? 'it was issued by another issuer'
      : /signature|algorithm|secret or public key|signing key/i.test(message)
        ? 'its signature or algorithm is not accepted (RS256 signed by the configured issuer is required)'
        : 'it is malformed';
  return new ApiError(
    401,
    AuthErrorCode.TOKEN_INVALID,
    `The access token is not valid: ${reason}.`,
    {},
    { [CHALLENGE]: 'Bearer error="invalid_token"' },
  );
}

/** Every route needs a verified token unless marked @Public(); @RequireScopes() adds scope checks. */
export function createAuthGuard(strategyName: string): Type<CanActivate> {
  @Injectable()
  class RevgateAuthGuard extends AuthGuard(strategyName) {
    private readonly verified: VerifiedTokens;

    constructor(
      private readonly reflector: Reflector,
      @Inject(APP_CONFIG) config: BaseConfig,
    ) {
      super();
      this.verified = new VerifiedTokens(config.AUTH_VERIFIED_TOKEN_CACHE_SECONDS * 1000);
    }

    /** Sets request.user from the token: remembered if it was verified lately, else verified. */
    private async authenticate(context: ExecutionContext): Promise<void> {
      const request = context
        .switchToHttp()
        .getRequest<{ headers: Record<string, string | string[] | undefined>; user?: Principal }>();
      const header = request.headers.authorization;
      const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
      const known = token === undefined ? undefined : this.verified.get(token);
      if (known) {
        request.user = known;
        return;
      }
      await (super.canActivate(context) as Promise<boolean>);
      if (token !== undefined && request.user)
        this.verified.remember(token, request.user, tokenExpiry(request.user));
    }

    override async canActivate(context: ExecutionContext): Promise<boolean> {
      const targets = [context.getHandler(), context.getClass()];
      if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
      await this.authenticate(context);
      const required = this.reflector.getAllAndOverride<string[] | undefined>(
        REQUIRED_SCOPES,
        targets,
      );
      const principal = context.switchToHttp().getRequest<{ user: Principal }>().user;
      // Deny by default: a route that declares no scope is a mistake, not an open door.
      if (!required || required.length === 0) {
        throw new ApiError(
          403,
          AuthErrorCode.INSUFFICIENT_SCOPE,
          'This operation declares no scope and is closed.',
        );
      }
      if (
        principal.customerId !== undefined &&
        !this.reflector.getAllAndOverride<boolean>(CUSTOMER_SCOPED, targets)
      ) {
        throw new ApiError(
          403,
          AuthErrorCode.CUSTOMER_SCOPE_UNSUPPORTED,
          'Your token is limited to one customer, and this operation is not available to customer-limited callers.',
        );
      }
      const missing = required.filter((s) => !principal.scopes.has(s));
      if (missing.length > 0) {
        throw new ApiError(
          403,
          AuthErrorCode.INSUFFICIENT_SCOPE,
          `This operation needs the scope ${missing.join(', ')}.`,
          { requiredScopes: required },
          { [CHALLENGE]: `Bearer error="insufficient_scope", scope="${required.join(' ')}"` },
        );
      }
      return true;
    }

    override handleRequest<TUser = Principal>(
      err: unknown,
      user: TUser | false,
      info: unknown,
    ): TUser {
      if (err instanceof ApiError) throw err;
      if (err || !user) throw unauthenticated(info ?? err);
      return user;
    }
  }
  return RevgateAuthGuard;
}
