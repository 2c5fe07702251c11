import type { Params } from 'nestjs-pino';
import { pino, type DestinationStream, type Logger } from 'pino';
import { currentCorrelationId } from '../correlation/correlation';

/** Paths of log fields never written in clear: credentials and personal data. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  '*.password',
  '*.client_secret',
  '*.clientSecret',
  '*.secret',
  '*.token',
  '*.access_token',
  '*.email',
  '*.phone',
  '*.taxRegistration.number',
];

/** Paths whose requests are not logged (probes and scrapes). */
const QUIET_PATHS: ReadonlySet<string> = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * The app's root logger. Every line written while a request (or a job bound with
 * runWithCorrelationId) runs carries its correlation id, added when the line is written: a logger
 * per request (pino-http's child) cost a tenth of a request's CPU even when nothing was logged.
 */
export function createRootLogger(
  appName: string,
  level: string,
  stream?: DestinationStream,
): Logger {
  const options = {
    level,
    name: appName,
    base: { app: appName },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: (line: object): object => {
      if ('correlationId' in line) return {};
      const correlationId = currentCorrelationId();
      return correlationId === undefined ? {} : { correlationId };
    },
  };
  return stream ? pino(options, stream) : pino(options);
}

/**
 * nestjs-pino on the app's root logger. It binds no middleware of its own (no routes): the
 * platform's onRequest hook binds the logger and the correlation id to the request instead.
 */
export function loggingParams(root: Logger): Params {
  return { pinoHttp: { logger: root }, useExisting: true, forRoutes: [] };
}

/** The line written when a request completes (at info; 5xx at error). */
export function logRequestCompleted(
  root: Logger,
  request: { method: string; url: string; id: unknown },
  statusCode: number,
  responseTimeMs: number,
): void {
  const path = request.url.split('?')[0] ?? '';
  if (QUIET_PATHS.has(path)) return;
  const level = statusCode >= 500 ? 'error' : 'info';
  if (!root.isLevelEnabled(level)) return;
  root[level](
    {
      correlationId: request.id,
      req: { method: request.method, url: request.url },
      res: { statusCode },
      responseTime: Math.round(responseTimeMs),
    },
    'request completed',
  );
}
