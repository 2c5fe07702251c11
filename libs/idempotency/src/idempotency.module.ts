import { Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { PinoLogger } from 'nestjs-pino';
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

@Module({
  providers: [
    IdempotencyInterceptor,
    { provide: APP_INTERCEPTOR, useExisting: IdempotencyInterceptor },
    IdempotencyJanitor,
  ],
  exports: [IdempotencyInterceptor],
})
export class IdempotencyModule {}
