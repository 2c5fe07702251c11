import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2 } from '@nestjs/swagger';

export const PUBLIC_ROUTE = 'revgate:public';
export const REQUIRED_SCOPES = 'revgate:scopes';
export const CUSTOMER_SCOPED = 'revgate:customer-scoped';

/** The route needs no token (health, docs, the token endpoint itself). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** The caller's token must carry every one of these scopes; otherwise 403 INSUFFICIENT_SCOPE. */
export const RequireScopes = (...scopes: string[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(REQUIRED_SCOPES, scopes), ApiBearerAuth(), ApiOAuth2(scopes));

/**
 * The route honours the customer claim (a portal user limited to one customer). Tokens that carry
 * that claim are refused everywhere else, so a route that does not filter by customer never leaks.
 */
export const CustomerScoped = (): MethodDecorator & ClassDecorator =>
  SetMetadata(CUSTOMER_SCOPED, true);
