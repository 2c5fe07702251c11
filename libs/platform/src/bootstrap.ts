import {
  DynamicModule,
  INestApplication,
  Module,
  RawBodyRequest,
  RequestMethod,
  Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
// nestjs-pino's request store: a request's logs go to its app's logger (several apps share a test process).
import { storage as requestLoggers, Store as RequestLoggerStore } from 'nestjs-pino/storage';
import type { RawServerDefault } from 'fastify';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { BaseConfig, ConfigError, loadConfig } from './config/config';
import {
  CORRELATION_HEADER,
  correlationIdFrom,
  runWithCorrelationId,
} from './correlation/correlation';
import { ApiError, PlatformErrorCode } from './errors/problem';
import { answerFrameworkError } from './errors/problem.filter';
import { createValidationPipe, validationProblem } from './errors/validation';
import { logRequestCompleted } from './logging/logging';
import { applyRouteEnhancers } from './http/route-enhancers';
import { MetricsService } from './metrics/metrics.service';
import { buildOpenApi, stableJson } from './openapi/openapi';
import { PlatformModule, ROOT_LOGGER } from './platform.module';

export interface AppSpec<C extends BaseConfig = BaseConfig> {
  /** e.g. `system-crm` */
  name: string;
  title: string;
  description: string;
  /** Without slashes, e.g. `crm/v1`. */
  basePath: string;
  version: string;
  config: new () => C;
  /** The app's root feature module; it receives its config by injecting the config class. */
  module: Type | DynamicModule;
  /** Scopes the app's routes use, for the OAuth2 section of the docs. */
  scopes: Record<string, string>;
  /** More to set up on the running app (not for the spec writer), e.g. static files. */
  configure?(app: NestFastifyApplication, config: C): Promise<void>;
}

export interface CreateAppOptions {
  logStream?: DestinationStream;
  /** Build the module graph without instantiating providers (no database): for the spec writer. */
  preview?: boolean;
}

/** Work to run once the app has closed (e.g. stopping an embedded database it started). */
const afterCloseTasks: (() => Promise<void>)[] = [];
export function runAfterClose(task: () => Promise<void>): void {
  afterCloseTasks.push(task);
}

@Module({})
class RootModule {}

/** Routes that live outside the app's versioned base path. */
const UNPREFIXED = [
  { path: 'health/live', method: RequestMethod.GET },
  { path: 'health/ready', method: RequestMethod.GET },
  { path: 'metrics', method: RequestMethod.GET },
  { path: 'auth/token', method: RequestMethod.POST },
  { path: 'auth/jwks.json', method: RequestMethod.GET },
];

/**
 * JSON and form bodies, parsed as Nest would, except that a body that cannot be parsed is a
 * MALFORMED_REQUEST: Nest turns Fastify's parse errors into bare HttpExceptions, which the problem
 * filter cannot tell from any other 400. A JSON request keeps its raw bytes as `request.rawBody`
 * (Nest's RawBodyRequest).
 */
function registerBodyParsers(app: NestFastifyApplication): void {
  // Fastify's own JSON parser, for its protection against __proto__ and constructor poisoning.
  const parseJson = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', {}, (request, body, done) => {
    // The bytes as received, for checks that must see them unparsed (webhook signatures).
    (request as RawBodyRequest<typeof request>).rawBody = body;
    void parseJson(request, body.toString('utf8'), (error: Error | null, value?: unknown) => {
      if (error) {
        done(
          new ApiError(
            400,
            PlatformErrorCode.MALFORMED_REQUEST,
            `The request body could not be parsed: ${error.message}`,
          ),
          undefined,
        );
      } else if (value === null) {
        // Nest's ValidationPipe reads a null body as {}: a PATCH would apply an empty change.
        done(
          validationProblem([{ pointer: '', detail: 'the request body must not be null' }]),
          undefined,
        );
      } else {
        done(null, value);
      }
    });
  });
  app.useBodyParser('application/x-www-form-urlencoded', {}, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  });
}

/** The one way every Revgate app is assembled: same adapter, pipes, errors, logging, docs. */
export async function createApp<C extends BaseConfig>(
  spec: AppSpec<C>,
  config: C,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const root: DynamicModule = {
    module: RootModule,
    imports: [
      PlatformModule.forRoot({
        appName: spec.name,
        config,
        configClass: spec.config,
        logStream: options.logStream,
      }),
      spec.module,
    ],
  };
  // Before Nest reads the routes: what imported modules change on them (e.g. idempotent writes).
  applyRouteEnhancers(root);
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: false,
    return503OnClosing: true,
    frameworkErrors: answerFrameworkError,
    // The correlation id is the request id: accepted from the caller or made here, then used by the
    // request logger, the problem details, outbound calls and events.
    genReqId: (req: IncomingMessage) => {
      const id = correlationIdFrom(req.headers[CORRELATION_HEADER]);
      req.headers[CORRELATION_HEADER] = id;
      return id;
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    bufferLogs: true,
    abortOnError: false,
    preview: options.preview ?? false,
    bodyParser: false, // registerBodyParsers() instead
  });
  registerBodyParsers(app);
  if (!options.preview) app.useLogger(app.get(Logger));
  app.setGlobalPrefix(spec.basePath, { exclude: UNPREFIXED });
  app.useGlobalPipes(createValidationPipe());

  if (!options.preview) {
    const metrics = app.get(MetricsService);
    const root = app.get<PinoLogger>(ROOT_LOGGER);
    const fastify = app.getHttpAdapter().getInstance();
    // The request's correlation id (made by genReqId) and the app's logger, bound to the async
    // context of everything the request runs: as a Fastify hook, not Nest middleware (middie), which
    // cost more than the binding itself.
    fastify.addHook('onRequest', (request, reply, done) => {
      const correlationId = request.id;
      void reply.header(CORRELATION_HEADER, correlationId);
      requestLoggers.run(new RequestLoggerStore(root), () => {
        runWithCorrelationId(correlationId, done);
      });
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      metrics.httpDuration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      logRequestCompleted(root, request, reply.statusCode, reply.elapsedTime);
      done();
    });
  }

  if (spec.configure && !options.preview) await spec.configure(app, config);

  if (config.DOCS_ENABLED && !options.preview) {
    const document = buildOpenApi(app, { ...spec, basePath: spec.basePath });
    SwaggerModule.setup(`${spec.basePath}/docs`, app, document, {
      jsonDocumentUrl: `${spec.basePath}/docs-json`,
      customSiteTitle: spec.title,
      swaggerOptions: { persistAuthorization: true },
    });
  }
  return app;
}

/** Writes the app's OpenAPI document without touching a database. */
export async function writeOpenApi<C extends BaseConfig>(
  spec: AppSpec<C>,
  outFile: string,
): Promise<void> {
  const config = loadConfig(spec.config, {});
  const app = await createApp(spec, config, { preview: true });
  const document = buildOpenApi(app, spec);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, stableJson(document));
  await app.close();
}

async function closeGracefully(app: INestApplication, timeoutMs: number): Promise<void> {
  const timer = setTimeout(() => {
    process.stderr.write(`Shutdown took longer than ${timeoutMs} ms; exiting.\n`);
    process.exit(1);
  }, timeoutMs);
  timer.unref();
  await app.close();
  for (const task of afterCloseTasks.splice(0)) await task();
  clearTimeout(timer);
}

/**
 * Entry point of every app's main.ts: validate configuration, start, serve, and shut down cleanly
 * on SIGTERM/SIGINT. `node main.js openapi <file>` writes the spec instead.
 */
export async function runApp<C extends BaseConfig>(spec: AppSpec<C>): Promise<void> {
  if (process.argv[2] === 'openapi') {
    await writeOpenApi(spec, process.argv[3] ?? `openapi/${spec.name}.v${spec.version}.json`);
    return;
  }
  let config: C;
  try {
    config = loadConfig(spec.config);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${spec.name} cannot start. ${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  let app: NestFastifyApplication;
  try {
    app = await createApp(spec, config);
  } catch (e) {
    process.stderr.write(
      `${spec.name} failed to start: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    for (const task of afterCloseTasks.splice(0)) await task().catch(() => undefined);
    process.exit(1);
  }
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    app.get(Logger).log(`${signal} received: finishing in-flight requests and shutting down`);
    closeGracefully(app, config.SHUTDOWN_TIMEOUT_MS).then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`Shutdown failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  try {
    await app.listen(config.PORT, config.HOST);
  } catch (e) {
    process.stderr.write(
      `${spec.name} failed to start: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    await closeGracefully(app, config.SHUTDOWN_TIMEOUT_MS).catch(() => undefined);
    process.exit(1);
  }
  const url = await app.getUrl();
  app
    .get(Logger)
    .log(`${spec.name} listening on ${url}/${spec.basePath} (docs: ${url}/${spec.basePath}/docs)`);
}
