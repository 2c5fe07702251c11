import { Inject, Injectable } from '@nestjs/common';
import { sign } from 'jsonwebtoken';
import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import { APP_CONFIG, ApiError, BaseConfig } from '@revgate/platform';
import { AuthErrorCode } from '../auth-error-code';
import { CLAIM_CUSTOMER, CLAIM_LEGAL_ENTITIES } from '../principal';
import { DevClient, parseDevClients } from './clients';
import { loadOrCreateSigningKey, SigningKey } from './keys';

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** The development issuer of the embedded default: OAuth2 client credentials, RS256. */
@Injectable()
export class DevIssuerService {
  readonly key: SigningKey;
  private readonly clients: DevClient[];

  constructor(@Inject(APP_CONFIG) private readonly config: BaseConfig) {
    this.key = loadOrCreateSigningKey(config.REVGATE_DATA_DIR);
    this.clients = parseDevClients(config.AUTH_DEV_CLIENTS);
  }

  issue(clientId: string, clientSecret: string, requestedScope?: string): IssuedToken {
    const client = this.clients.find((c) => c.clientId === clientId);
    if (!client || !sameSecret(client.clientSecret, clientSecret)) {
      throw new ApiError(
        401,
        AuthErrorCode.INVALID_CLIENT,
        'Unknown client or wrong client secret.',
        { error: 'invalid_client' },
        { 'www-authenticate': 'Basic realm="revgate"' },
      );
    }
    const requested = requestedScope?.split(' ').filter(Boolean) ?? client.scopes;
    const refused = requested.filter((s) => !client.scopes.includes(s));
    if (refused.length > 0) {
      throw new ApiError(
        400,
        AuthErrorCode.INVALID_SCOPE,
        `Client ${clientId} may not request: ${refused.join(', ')}.`,
        { error: 'invalid_scope' },
      );
    }
    return this.sign({
      subject: client.clientId,
      scopes: requested,
      legalEntities: client.legalEntities,
      customerId: client.customerId,
    });
  }

  /** Signs a token directly (the `npm run token` helper and tests use this). */
  sign(input: {
    subject: string;
    scopes: string[];
    legalEntities?: string[];
    customerId?: string;
    ttlSeconds?: number;
  }): IssuedToken {
    const ttl = input.ttlSeconds ?? this.config.AUTH_TOKEN_TTL_SECONDS;
    const payload: Record<string, unknown> = { scope: input.scopes.join(' ') };
    if (input.legalEntities) payload[CLAIM_LEGAL_ENTITIES] = input.legalEntities;
    if (input.customerId) payload[CLAIM_CUSTOMER] = input.customerId;
    const token = sign(payload, this.key.privateKey, {
      algorithm: 'RS256',
      keyid: this.key.kid,
      expiresIn: ttl,
      issuer: this.config.AUTH_ISSUER,
      audience: this.config.AUTH_AUDIENCE,
      subject: input.subject,
      jwtid: randomUUID(),
    });
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: ttl,
      scope: input.scopes.join(' '),
    };
  }
}
