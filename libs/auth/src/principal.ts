import { createParamDecorator, ExecutionContext } from '@nestjs/common';

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

export function principalFromClaims(claims: VerifiedClaims): Principal {
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
  const entities = claims[CLAIM_LEGAL_ENTITIES];
  const customer = claims[CLAIM_CUSTOMER];
  return {
    subject: typeof claims.sub === 'string' ? claims.sub : 'unknown',
    scopes: new Set(scopes),
    legalEntities: Array.isArray(entities) ? entities.filter((e): e is string => typeof e === 'string') : undefined,
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
