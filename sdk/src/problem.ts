/** One invalid input of a VALIDATION_FAILED problem. */
export interface ProblemFieldError {
  /** JSON pointer (or query/header name) of the offending input, e.g. `/lines/0/quantity`. */
  pointer: string;
  detail: string;
}

/** The body of an RFC 9457 `application/problem+json` answer, as every Revgate API sends it. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Stable, machine-readable code, e.g. `Q2C_PRODUCT_UNMAPPED`. */
  code: string;
  correlationId?: string;
  instance?: string;
  /** On 5xx: quote it to support. */
  errorId?: string;
  errors?: ProblemFieldError[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function fieldErrors(v: unknown): ProblemFieldError[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((e: unknown) => {
    if (!isRecord(e)) return [];
    const pointer = text(e.pointer);
    const detail = text(e.detail);
    return pointer !== undefined && detail !== undefined ? [{ pointer, detail }] : [];
  });
}

/** An API's refusal or failure: the problem it answered, thrown as an Error. */
export class RevgateProblem extends Error implements ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly correlationId?: string;
  readonly instance?: string;
  readonly errorId?: string;
  readonly errors: ProblemFieldError[];
  /** Seconds to wait before trying again (429, 503), from the Retry-After header. */
  readonly retryAfterSeconds?: number;

  constructor(problem: ProblemDetails, retryAfterSeconds?: number) {
    super(`${String(problem.status)} ${problem.code}: ${problem.detail}`);
    this.name = 'RevgateProblem';
    this.type = problem.type;
    this.title = problem.title;
    this.status = problem.status;
    this.detail = problem.detail;
    this.code = problem.code;
    this.correlationId = problem.correlationId;
    this.instance = problem.instance;
    this.errorId = problem.errorId;
    this.errors = problem.errors ?? [];
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * The problem of an answer that is not a success: its problem+json body (already parsed, as
   * openapi-fetch's `error`, or as text), or, for a body that is none (a proxy's HTML page), a
   * problem made from the status.
   */
  static from(body: unknown, response: Response): RevgateProblem {
    let parsed = body;
    if (typeof body === 'string') {
      try {
        parsed = JSON.parse(body) as unknown;
      } catch {
        // not JSON: described from the status below
      }
    }
    const p = isRecord(parsed) ? parsed : {};
    const code = text(p.code) ?? `HTTP_${String(response.status)}`;
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    return new RevgateProblem(
      {
        type: text(p.type) ?? 'about:blank',
        title: text(p.title) ?? (response.statusText || `HTTP ${String(response.status)}`),
        status: typeof p.status === 'number' ? p.status : response.status,
        detail:
          text(p.detail) ??
          (typeof body === 'string' && body !== ''
            ? body.slice(0, 500)
            : `HTTP ${String(response.status)}`),
        code,
        correlationId:
          text(p.correlationId) ?? response.headers.get('x-correlation-id') ?? undefined,
        instance: text(p.instance),
        errorId: text(p.errorId),
        errors: fieldErrors(p.errors),
      },
      Number.isFinite(retryAfter) ? retryAfter : undefined,
    );
  }

  /** Reads a failed answer's body and makes its problem. */
  static async fromResponse(response: Response): Promise<RevgateProblem> {
    return RevgateProblem.from(await response.text(), response);
  }
}
