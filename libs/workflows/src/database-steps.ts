import type { StepConfig } from '@dbos-inc/dbos-sdk';
import { QueryRunnerAlreadyReleasedError } from 'typeorm';

/** SQLSTATE classes of a database that went away: connection exception, operator intervention. */
const CONNECTION_SQLSTATE_CLASSES = new Set(['08', '57']);
/** query_canceled (class 57): a statement timeout, not an outage; running it again would not help. */
const QUERY_CANCELED = '57014';
const CONNECTION_ERRNOS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'EAI_AGAIN',
]);
/** What node-postgres says, without a code, of a connection it lost or could not make. */
const CONNECTION_MESSAGES = [
  /connection terminated/i,
  /not queryable/i,
  /timeout exceeded when trying to connect/i,
  /server closed the connection/i,
];

/**
 * Whether an error says the database (or the way to it) is gone for now — a restart, a failover,
 * a dropped connection — rather than refusing the work. Looks through TypeORM's QueryFailedError
 * (driverError) and error causes.
 */
export function isConnectionError(error: unknown): boolean {
  // TypeORM releases a query runner whose connection raised an error: the next query of that
  // transaction fails with this instead of the lost connection's own error.
  if (error instanceof QueryRunnerAlreadyReleasedError) return true;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, message, driverError, cause } = current as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string') {
      if (CONNECTION_ERRNOS.has(code)) return true;
      if (
        code.length === 5 &&
        code !== QUERY_CANCELED &&
        CONNECTION_SQLSTATE_CLASSES.has(code.slice(0, 2))
      )
        return true;
    }
    if (typeof message === 'string' && CONNECTION_MESSAGES.some((m) => m.test(message)))
      return true;
    current = driverError ?? cause;
  }
  return false;
}

/**
 * Options for a workflow step that only reads or writes the app's own database (a workflow's
 * bookkeeping): retried while the database is unreachable, for about two minutes (1 + 2 + 4 … s),
 * and never for any other error. Without them, a connection lost in a restart failed the step and
 * ended its workflow for good (DBOS records a workflow's error as its outcome). A step is run at
 * least once anyway (a crash reruns it), so a retried one must be safe to run again, as these are.
 */
export const DATABASE_STEP: Readonly<StepConfig> = Object.freeze({
  retriesAllowed: true,
  maxAttempts: 8,
  intervalSeconds: 1,
  backoffRate: 2,
  shouldRetry: isConnectionError,
});

/** DATABASE_STEP under a step's name. */
export function databaseStep(name: string): StepConfig {
  return { ...DATABASE_STEP, name };
}
