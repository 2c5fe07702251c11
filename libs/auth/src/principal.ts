import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiError } from '@revgate/platform';
import { AuthErrorCode } from './auth-error-code';

/** Claims Revgate reads beyond the registered ones. */
export const CLAIM_LEGAL_ENTITIES = 'legal_entities';
export const CLAIM_CUSTOMER = 'customer_id';

/** Who is calling, as established from a verified token. */
export interface Principal {
  /** `sub` of the token: the client or user id. Idempotency keys and audit entries are scoped to it. */
  subject: string;
  scopes: ReadonlySet<string>;
  /** Legal entities the caller may see; undefined means all. */
  legalEntities?: readonly string[];
  /** The one customer a portal user may see; undefined means not restricted to a customer. */
  customerId?: string;
}

export interface VerifiedClaims {
  sub?: unknown;
  scope?: unknown;
  [CLAIM_LEGAL_ENTITIES]?: unknown;
  [CLAIM_CUSTOMER]?: unknown;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((e) => typeof e === 'string');
}

function invalidToken(reason: string): ApiError {
  return new ApiError(
    401,
    AuthErrorCode.TOKEN_INVALID,
    `The access token is not valid: ${reason}.`,
    {},
    { 'www-authenticate': 'Bearer error="invalid_token"' },
  );
}

/**
 * A limiting claim that is present but malformed refuses the token: read as absent, it would lift
 * the limit. Without a subject, callers would share idempotency keys and audit entries.
 */
export function principalFromClaims(claims: VerifiedClaims): Principal {
  if (typeof claims.sub !== 'string' || claims.sub.length === 0)
    throw invalidToken('it has no sub (subject) claim');
  const entities = claims[CLAIM_LEGAL_ENTITIES];
  if (entities !== undefined && !isStringArray(entities)) {
    throw invalidToken(`its ${CLAIM_LEGAL_ENTITIES} claim must be an array of strings`);
  }
  const customer = claims[CLAIM_CUSTOMER];
  if (customer !== undefined && !(typeof customer === 'string' && customer.length > 0)) {
    throw invalidToken(`its ${CLAIM_CUSTOMER} claim must be a non-empty string`);
  }
  // OAuth2 `scope` (space-separated); Okta and Entra ID send `scp`, a string or an array.
  const scp = (claims as { scp?: unknown }).scp;
  const scopes = [
    ...(typeof claims.scope === 'string' ? claims.scope.split(' ') : []),
    ...(typeof scp === 'string' ? scp.split(' ') : isStringArray(scp) ? scp : []),
  ].filter(Boolean);
  return {
    subject: claims.sub,
    scopes: new Set(scopes),
    legalEntities: entities,
    customerId: typeof customer === 'string' ? customer : undefined,
  };
}

/** True when the caller may see objects of this legal entity. */
export function canSeeEntity(principal: Principal, legalEntity: string): boolean {
  return principal.legalEntities === undefined || principal.legalEntities.includes(legalEntity);
}

/** The verified caller of the current request. */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<{ user?: Principal }>();
  if (!request.user) throw new Error('Caller used on a public route');
  return request.user;
});
