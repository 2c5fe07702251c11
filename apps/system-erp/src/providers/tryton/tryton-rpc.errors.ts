/**
 * What can go wrong on a call to Tryton, by what the caller can do about it. Tryton answers
 * application errors with HTTP 200 and `error: [type, args]`; session and transport problems are HTTP
 * statuses with an HTML or empty body (scripts/tryton/NOTES.md, "Error shapes").
 */
export type TrytonErrorKind =
  /** A business rule or validation refused the call (UserError: message, description, domain). */
  | 'user'
  /** Tryton asks for an acknowledgement before it goes on (UserWarning: name, message). */
  | 'warning'
  /** Login refused, or a session still refused after logging in again (401, LoginException). */
  | 'auth'
  /** Too many failed logins for this login name (429). */
  | 'rate_limited'
  /** Another transaction changed the record (ConcurrencyException): retry. */
  | 'concurrency'
  /** No answer in time: the call may or may not have run. */
  | 'timeout'
  /** Connection refused or reset, a 5xx, or a body that is not Tryton's JSON. */
  | 'transport'
  /** Tryton raised something untyped (a bad field name, a programming error), or 403/404. */
  | 'server';

export class TrytonRpcError extends Error {
  override name = 'TrytonRpcError';

  constructor(
    readonly kind: TrytonErrorKind,
    /** The JSON-RPC method called (never its parameters: they may hold personal data). */
    readonly method: string,
    message: string,
    /** HTTP status when the server answered with one other than 200. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Worth trying the same call again later (maybe after finding what the first one did). */
  get transient(): boolean {
    return (
      this.kind === 'timeout' ||
      this.kind === 'transport' ||
      this.kind === 'concurrency' ||
      this.kind === 'rate_limited'
    );
  }
}

/** Tryton's UserError: `message` is the text shown to a user, `description` its help. */
export class TrytonUserError extends TrytonRpcError {
  override name = 'TrytonUserError';

  constructor(
    method: string,
    readonly userMessage: string,
    readonly description: string,
  ) {
    super('user', method, userMessage);
  }
}

/** Tryton's UserWarning: acknowledge it (res.user.warning named `warningName`) to go on. */
export class TrytonUserWarning extends TrytonRpcError {
  override name = 'TrytonUserWarning';

  constructor(
    method: string,
    readonly warningName: string,
    readonly userMessage: string,
    readonly description: string,
  ) {
    super('warning', method, userMessage);
  }
}
