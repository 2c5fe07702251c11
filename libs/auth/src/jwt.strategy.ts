import { Type } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { JwksClient } from 'jwks-rsa';
import { decode } from 'jsonwebtoken';
import { createPublicKey, KeyObject } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { BaseConfig } from '@revgate/platform';
import { Principal, principalFromClaims, VerifiedClaims } from './principal';

type KeyCallback = (error: Error | null, key?: string | Buffer) => void;

/**
 * Finds the verification key as a KeyObject, made once: handing passport-jwt a PEM string makes
 * jsonwebtoken parse it again on every request (it was an eighth of a request's CPU, measured).
 */
function keyProvider(
  config: BaseConfig,
  devPublicKey?: KeyObject,
): (req: unknown, token: string, done: KeyCallback) => void {
  // jsonwebtoken verifies with a KeyObject as well as a PEM; passport-jwt's types only know the PEM.
  const give = (done: KeyCallback, key: KeyObject): void => {
    done(null, key as unknown as Buffer);
  };
  if (config.AUTH_MODE !== 'jwks' || !config.AUTH_JWKS_URL) {
    if (!devPublicKey) throw new Error('The dev issuer key is missing');
    return (_req, _token, done) => {
      give(done, devPublicKey);
    };
  }
  const client = new JwksClient({
    jwksUri: config.AUTH_JWKS_URL,
    cache: true,
    cacheMaxAge: 10 * 60 * 1000,
    rateLimit: true,
    jwksRequestsPerMinute: 10,
  });
  const keys = new Map<string, KeyObject>();
  return (_req, token, done) => {
    const header = decode(token, { complete: true })?.header;
    const kid = header?.kid;
    if (!kid) {
      done(new Error('the token names no signing key (kid)'));
      return;
    }
    const known = keys.get(kid);
    if (known) {
      give(done, known);
      return;
    }
    client.getSigningKey(kid).then(
      (signingKey) => {
        const key = createPublicKey(signingKey.getPublicKey());
        if (keys.size >= 50) keys.clear(); // an IdP rotates a handful of keys; bound it anyway
        keys.set(kid, key);
        give(done, key);
      },
      (e: unknown) => {
        done(e instanceof Error ? e : new Error(String(e)));
      },
    );
  };
}

const expiries = new WeakMap<Principal, number>();

/** When the token a principal was made from expires (ms since the epoch), if it said. */
export function tokenExpiry(principal: Principal): number | undefined {
  return expiries.get(principal);
}

/**
 * A passport-jwt strategy under a name of its own, so several apps (or test instances) in one
 * process never share passport's global strategy registry.
 */
export function createJwtStrategy(
  name: string,
  config: BaseConfig,
  devPublicKey?: KeyObject,
): Type<object> {
  const secretOrKeyProvider = keyProvider(config, devPublicKey);

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
        secretOrKeyProvider,
      });
    }

    validate(claims: VerifiedClaims & { exp?: unknown }): Principal {
      const principal = principalFromClaims(claims);
      if (typeof claims.exp === 'number') expiries.set(principal, claims.exp * 1000);
      return principal;
    }
  }
  return JwtStrategy;
}
