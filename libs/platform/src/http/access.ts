import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2 } from '@nestjs/swagger';

export const PUBLIC_ROUTE = 'revgate:public';
export const REQUIRED_SCOPES = 'revgate:scopes';

/** The route needs no token (health, docs, the token endpoint itself). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** The caller's token must carry every one of these scopes; otherwise 403 INSUFFICIENT_SCOPE. */
export const RequireScopes = (...scopes: string[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(REQUIRED_SCOPES, scopes), ApiBearerAuth(), ApiOAuth2(scopes));
