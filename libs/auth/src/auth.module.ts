import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, APP_NAME, BaseConfig } from '@revgate/platform';
import { createAuthGuard } from './auth.guard';
import { DevIssuerService } from './dev-issuer/dev-issuer.service';
import { TokenController } from './dev-issuer/token.controller';
import { createJwtStrategy } from './jwt.strategy';
import { RateLimitGuard } from './rate-limit.guard';

let instances = 0;

@Module({})
export class AuthModule {
  /**
   * Verifies bearer tokens on every route (JWKS of an external IdP, or the dev issuer's key) and,
   * in dev mode, serves POST /auth/token.
   */
  static forApp(): DynamicModule {
    const strategyName = `revgate-jwt-${++instances}`;
    const strategy: Provider = {
      provide: 'REVGATE_JWT_STRATEGY',
      inject: [APP_CONFIG, APP_NAME, { token: DevIssuerService, optional: true }],
      useFactory: (config: BaseConfig, _app: string, issuer?: DevIssuerService) => {
        const Strategy = createJwtStrategy(strategyName, config, issuer?.key.publicKey);
        return new Strategy();
      },
    };
    const devIssuer: Provider = {
      provide: DevIssuerService,
      inject: [APP_CONFIG],
      useFactory: (config: BaseConfig) =>
        config.AUTH_MODE === 'dev' ? new DevIssuerService(config) : undefined,
    };
    return {
      module: AuthModule,
      imports: [
        PassportModule,
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: BaseConfig) => ({
            throttlers: [{ ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
            skipIf: () => config.RATE_LIMIT_PER_MINUTE === 0,
          }),
        }),
      ],
      controllers: [TokenController],
      // Guards run in this order: authenticate, then count the request against its caller.
      providers: [
        devIssuer,
        strategy,
        { provide: APP_GUARD, useClass: createAuthGuard(strategyName) },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
      exports: [DevIssuerService],
    };
  }
}
