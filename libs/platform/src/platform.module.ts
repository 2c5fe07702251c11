import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { ProblemDetailsFilter } from './errors/problem.filter';
import { HealthController } from './health/health.controller';
import { ReadinessRegistry } from './health/readiness';
import { createRootLogger, loggingParams } from './logging/logging';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { BaseConfig } from './config/config';

/** Injection token of the app's validated configuration (also provided under its own class). */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const APP_NAME = Symbol('APP_NAME');
/** Injection token of the app's root pino logger (the request hooks log through it). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export interface PlatformOptions {
  appName: string;
  config: BaseConfig;
  configClass: new () => BaseConfig;
  logStream?: DestinationStream;
}

@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const root = createRootLogger(options.appName, options.config.LOG_LEVEL, options.logStream);
    return {
      module: PlatformModule,
      imports: [
        LoggerModule.forRoot(loggingParams(root)),
        TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: options.configClass, useValue: options.config },
        { provide: APP_NAME, useValue: options.appName },
        { provide: ROOT_LOGGER, useValue: root },
        { provide: MetricsService, useValue: new MetricsService(options.appName) },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        ReadinessRegistry,
      ],
      exports: [
        APP_CONFIG,
        options.configClass,
        APP_NAME,
        ROOT_LOGGER,
        MetricsService,
        ReadinessRegistry,
      ],
    };
  }
}
