import {
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  RequestMethod,
  UseInterceptors,
} from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { PinoLogger } from 'nestjs-pino';
import { EnhancesRoutes, PUBLIC_ROUTE, type DeclaredRoute } from '@revgate/platform';
import { IdempotencyInterceptor } from './idempotency.interceptor';

const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Removes expired idempotency records once an hour. */
@Injectable()
export class IdempotencyJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly interceptor: IdempotencyInterceptor,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(IdempotencyJanitor.name);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.interceptor.purgeExpired().then(
        (n) => n > 0 && this.logger.info({ purged: n }, 'expired idempotency keys removed'),
        (e: unknown) => this.logger.warn({ err: e }, 'idempotency purge failed; will retry'),
      );
    }, PURGE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}

const WRITES = new Set([RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH]);

/**
 * The interceptor goes on every authenticated POST, PUT and PATCH route of the app, as if each
 * handler said @UseInterceptors(IdempotencyInterceptor). Not a global interceptor: Nest would run
 * its interceptor pipeline (rxjs, an async resource bound per request) on every read for nothing —
 * about a seventh of a by-id read's CPU, measured. Public routes have no caller to key records by.
 */
export function idempotentWrites({ controller, method, handler, httpMethod }: DeclaredRoute): void {
  if (!WRITES.has(httpMethod)) return;
  if (Reflect.getMetadata(PUBLIC_ROUTE, handler) || Reflect.getMetadata(PUBLIC_ROUTE, controller))
    return;
  const present =
    (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
  if (present.includes(IdempotencyInterceptor)) return;
  UseInterceptors(IdempotencyInterceptor)(controller.prototype as object, method, {
    value: handler,
  });
}

@EnhancesRoutes(idempotentWrites)
@Module({
  providers: [IdempotencyInterceptor, IdempotencyJanitor],
  exports: [IdempotencyInterceptor],
})
export class IdempotencyModule {}
