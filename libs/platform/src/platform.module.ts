import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CORRELATION_HEADER,
  correlationIdFrom,
  runWithCorrelationId,
} from './correlation/correlation';
import { ProblemDetailsFilter } from './errors/problem.filter';
import { HealthController } from './health/health.controller';
import { ReadinessRegistry } from './health/readiness';
import { loggingParams } from './logging/logging';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { BaseConfig } from './config/config';

/** Injection token of the app's validated configuration (also provided under its own class). */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const APP_NAME = Symbol('APP_NAME');

export interface PlatformOptions {
  appName: string;
  config: BaseConfig;
  configClass: new () => BaseConfig;
  logStream?: DestinationStream;
}

/** Binds the correlation id to the async context of the whole request. */
function correlationMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  // Fastify's genReqId (bootstrap.ts) has already validated or made the id and set the header.
  const correlationId = correlationIdFrom(req.headers[CORRELATION_HEADER]);
  req.headers[CORRELATION_HEADER] = correlationId;
  res.setHeader(CORRELATION_HEADER, correlationId);
  runWithCorrelationId(correlationId, next);
}

@Global()
@Module({})
export class PlatformModule implements NestModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        LoggerModule.forRoot(
          loggingParams(options.appName, options.config.LOG_LEVEL, options.logStream),
        ),
        TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: options.configClass, useValue: options.config },
        { provide: APP_NAME, useValue: options.appName },
        { provide: MetricsService, useValue: new MetricsService(options.appName) },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        ReadinessRegistry,
      ],
      exports: [APP_CONFIG, options.configClass, APP_NAME, MetricsService, ReadinessRegistry],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(correlationMiddleware).forRoutes('/{*path}');
  }
}
