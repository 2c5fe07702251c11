import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { DestinationStream } from 'pino';
import type { Params } from 'nestjs-pino';
import { CORRELATION_HEADER, correlationIdFrom } from '../correlation/correlation';

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

const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

/** The request path. Inside middleware, url is relative to where it is mounted; originalUrl is not. */
function pathOf(req: IncomingMessage & { originalUrl?: string }): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
}

export function loggingParams(appName: string, level: string, stream?: DestinationStream): Params {
  return {
    // Every route, in the path syntax of Nest 11 (nestjs-pino's default `*` is deprecated and warns).
    forRoutes: [{ path: '/{*path}', method: RequestMethod.ALL }],
    pinoHttp: [
      {
        level,
        name: appName,
        base: { app: appName },
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        // The correlation id is the request id: one key across every line of a request.
        genReqId: (req: IncomingMessage) => {
          const id = correlationIdFrom(req.headers[CORRELATION_HEADER]);
          req.headers[CORRELATION_HEADER] = id;
          return id;
        },
        customProps: (req: IncomingMessage) => ({
          correlationId: (req as IncomingMessage & { id?: unknown }).id,
        }),
        autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.includes(pathOf(req)) },
        quietReqLogger: true,
        serializers: {
          req: (req: { method?: string; url?: string }) => ({ method: req.method, url: req.url }),
          res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        },
      },
      ...(stream ? [stream] : []),
    ] as Params['pinoHttp'],
  };
}
