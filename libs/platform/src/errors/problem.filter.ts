import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CORRELATION_HEADER, correlationIdFrom } from '../correlation/correlation';
import { ApiError, PlatformErrorCode, PROBLEM_CONTENT_TYPE } from './problem';

const CODE_BY_STATUS: Record<number, PlatformErrorCode> = {
  400: PlatformErrorCode.VALIDATION_FAILED,
  401: PlatformErrorCode.UNAUTHENTICATED,
  403: PlatformErrorCode.FORBIDDEN,
  404: PlatformErrorCode.NOT_FOUND,
  405: PlatformErrorCode.METHOD_NOT_ALLOWED,
  409: PlatformErrorCode.CONFLICT,
  412: PlatformErrorCode.PRECONDITION_FAILED,
  413: PlatformErrorCode.PAYLOAD_TOO_LARGE,
  415: PlatformErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: PlatformErrorCode.RATE_LIMITED,
  503: PlatformErrorCode.SERVICE_UNAVAILABLE,
};

/** Fastify's own request errors (body parsing, limits) carry a statusCode and an FST_ code. */
interface FrameworkError {
  statusCode: number;
  code?: string;
  message: string;
}

function isFrameworkError(e: unknown): e is FrameworkError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { statusCode?: unknown }).statusCode === 'number' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

interface Mapped {
  status: number;
  code: string;
  detail: string;
  extensions: Record<string, unknown>;
  headers: Record<string, string>;
}

function fromFramework(e: FrameworkError): Mapped | undefined {
  const base = { extensions: {}, headers: {} };
  if (e.statusCode === 413) {
    return {
      ...base,
      status: 413,
      code: PlatformErrorCode.PAYLOAD_TOO_LARGE,
      detail: 'The request body is larger than this endpoint accepts.',
    };
  }
  if (e.statusCode === 415) {
    return {
      ...base,
      status: 415,
      code: PlatformErrorCode.UNSUPPORTED_MEDIA_TYPE,
      detail: 'Send the body as application/json.',
    };
  }
  if (e.statusCode === 400 && (e instanceof SyntaxError || e.code?.startsWith('FST_ERR_CTP'))) {
    return {
      ...base,
      status: 400,
      code: PlatformErrorCode.MALFORMED_REQUEST,
      detail: `The request body could not be parsed: ${e.message}`,
    };
  }
  if (e.statusCode >= 400 && e.statusCode < 500 && e.code?.startsWith('FST_')) {
    return {
      ...base,
      status: e.statusCode,
      code: CODE_BY_STATUS[e.statusCode] ?? PlatformErrorCode.MALFORMED_REQUEST,
      detail: e.message,
    };
  }
  return undefined;
}

function fromHttpException(e: HttpException, path: string): Mapped {
  const status = e.getStatus();
  const response = e.getResponse();
  let detail = e.message;
  const extensions: Record<string, unknown> = {};
  if (typeof response === 'object') {
    const { message, details } = response as { message?: unknown; details?: unknown };
    if (typeof message === 'string') detail = message;
    else if (Array.isArray(message)) detail = message.map(String).join('; ');
    // A failed readiness check (terminus) says which dependency is down.
    if (details && typeof details === 'object') {
      const down = Object.entries(details as Record<string, { status?: string }>)
        .filter(([, check]) => check.status !== 'up')
        .map(([name]) => name);
      detail = `Not ready: ${down.join(', ') || 'a dependency'} did not answer.`;
      extensions.checks = details;
    }
  }
  if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /.test(detail)) {
    return {
      status,
      code: PlatformErrorCode.ROUTE_NOT_FOUND,
      detail: `No route matches ${path}.`,
      extensions: {},
      headers: {},
    };
  }
  const code =
    CODE_BY_STATUS[status] ?? (status >= 500 ? PlatformErrorCode.INTERNAL_ERROR : `HTTP_${status}`);
  return { status, code, detail, extensions, headers: {} };
}

/** SQLSTATEs that mean "try again" (the database chose a victim) or "input it cannot store". */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01', '55P03']);
const BAD_INPUT_SQLSTATES = new Set(['22021', '22P05', '22001', '22003']);

function sqlState(e: unknown): string | undefined {
  const driverError = (e as { driverError?: { code?: unknown } } | null)?.driverError;
  return typeof driverError?.code === 'string' ? driverError.code : undefined;
}

function fromDatabase(e: unknown): Mapped | undefined {
  const state = sqlState(e);
  if (state && RETRYABLE_SQLSTATES.has(state)) {
    return {
      status: 409,
      code: PlatformErrorCode.CONCURRENT_UPDATE,
      detail: 'Another request changed the same records at the same moment; retry this one.',
      extensions: {},
      headers: { 'retry-after': '1' },
    };
  }
  if (state && BAD_INPUT_SQLSTATES.has(state)) {
    return {
      status: 400,
      code: PlatformErrorCode.VALIDATION_FAILED,
      detail:
        'The request contains text or a number that cannot be stored (e.g. a NUL character, or a value out of range).',
      extensions: {},
      headers: {},
    };
  }
  return undefined;
}

/**
 * What of an unexpected error goes to the log: never the SQL parameters a database error carries
 * (they hold customers' names, addresses and tax numbers).
 */
function loggable(e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  return { type: e.name, message: e.message, stack: e.stack, sqlState: sqlState(e) };
}

/** Every error leaves the gateway as RFC 9457 application/problem+json with a stable code. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const path = request.url.split('?')[0] ?? request.url;
    const correlationId = correlationIdFrom(request.headers[CORRELATION_HEADER]);

    let mapped: Mapped | undefined;
    if (exception instanceof ApiError) {
      mapped = {
        status: exception.status,
        code: exception.code,
        detail: exception.detail,
        extensions: exception.extensions,
        headers: exception.headers,
      };
    } else if (exception instanceof HttpException) {
      mapped = fromHttpException(exception, path);
    } else if (isFrameworkError(exception)) {
      mapped = fromFramework(exception);
    } else {
      mapped = fromDatabase(exception);
    }

    const body: Record<string, unknown> = {};
    if (!mapped || mapped.status >= 500) {
      const errorId = randomUUID();
      this.logger.error(
        { err: loggable(exception), errorId, correlationId, path },
        `Unhandled error ${errorId} on ${request.method} ${path}`,
      );
      mapped ??= {
        status: 500,
        code: PlatformErrorCode.INTERNAL_ERROR,
        detail: `An unexpected error occurred. Quote errorId ${errorId} when you report it.`,
        extensions: {},
        headers: {},
      };
      body.errorId = errorId;
    }

    sendProblem(reply, mapped, path, correlationId, body);
  }
}

function sendProblem(
  reply: FastifyReply,
  mapped: Mapped,
  path: string,
  correlationId: string,
  body: Record<string, unknown> = {},
): void {
  Object.assign(body, {
    ...mapped.extensions,
    type: `urn:revgate:problem:${mapped.code}`,
    title: STATUS_CODES[mapped.status] ?? 'Error',
    status: mapped.status,
    code: mapped.code,
    detail: mapped.detail,
    instance: path,
    correlationId,
  });
  if (reply.sent) return;
  void reply
    .status(mapped.status)
    .headers({ ...mapped.headers, [CORRELATION_HEADER]: correlationId })
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(body));
}

/**
 * Fastify's router refuses some URLs before any route runs — a malformed percent-encoding
 * (FST_ERR_BAD_URL), a path parameter over its length limit (FST_ERR_MAX_PARAM_LENGTH) — so Nest's
 * filter never sees them. Given to the adapter as `frameworkErrors`, this answers them as problems
 * too: 400 MALFORMED_REQUEST, or 414 for an over-long parameter.
 */
export function answerFrameworkError(
  error: { code?: string; message: string },
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  const path = request.url.split('?')[0] ?? request.url;
  sendProblem(
    reply,
    {
      status,
      code: PlatformErrorCode.MALFORMED_REQUEST,
      detail:
        status === 414
          ? 'A path parameter is longer than this API accepts.'
          : `The request URL could not be read: ${error.message}`,
      extensions: {},
      headers: {},
    },
    path,
    correlationIdFrom(request.headers[CORRELATION_HEADER]),
  );
}

/** A problem answered from a plain Fastify route (one Nest does not see), as the filter would. */
export function answerProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
): void {
  sendProblem(
    reply,
    { status, code, detail, extensions: {}, headers: {} },
    request.url.split('?')[0] ?? request.url,
    correlationIdFrom(request.headers[CORRELATION_HEADER]),
  );
}
