import { Type } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { BaseConfig } from '@revgate/platform';
import { Principal, principalFromClaims, VerifiedClaims } from './principal';

/**
 * A passport-jwt strategy under a name of its own, so several apps (or test instances) in one
 * process never share passport's global strategy registry.
 */
export function createJwtStrategy(
  name: string,
  config: BaseConfig,
  devPublicKeyPem?: string,
): Type<object> {
  if (config.AUTH_MODE === 'dev' && !devPublicKeyPem)
    throw new Error('The dev issuer key is missing');
  const keySource =
    config.AUTH_MODE === 'jwks' && config.AUTH_JWKS_URL
      ? {
          secretOrKeyProvider: passportJwtSecret({
            jwksUri: config.AUTH_JWKS_URL,
            cache: true,
            cacheMaxAge: 10 * 60 * 1000,
            rateLimit: true,
            jwksRequestsPerMinute: 10,
          }),
        }
      : { secretOrKey: devPublicKeyPem ?? '' };

  class JwtStrategy extends PassportStrategy(Strategy, name) {
    constructor() {
      super({
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        algorithms: ['RS256'],
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
        ignoreExpiration: false,
        // passport-jwt has no other way to allow for clock skew with an external IdP
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        jsonWebTokenOptions: { clockTolerance: 5 },
        ...keySource,
      });
    }

    validate(claims: VerifiedClaims): Principal {
      return principalFromClaims(claims);
    }
  }
  return JwtStrategy;
}
