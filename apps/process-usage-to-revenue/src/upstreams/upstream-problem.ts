import { ApiError } from '@revgate/platform';
import { U2rErrorCode } from '../u2r-error-code';

/** What a system API answered, as a problem of this app (a failed step, retried by its workflow). */
export function upstreamProblem(system: string, status: number, error: unknown): ApiError {
  const problem = (error ?? {}) as { code?: string; detail?: string };
  return new ApiError(
    502,
    U2rErrorCode.UPSTREAM_UNAVAILABLE,
    `${system} answered ${status}${problem.code ? ` ${problem.code}` : ''}: ${problem.detail ?? 'no detail'}`,
  );
}

/** The stable code and detail of a system API's problem answer. */
export function problemOf(error: unknown, status: number): { code: string; detail: string } {
  const problem = (error ?? {}) as { code?: string; detail?: string };
  return { code: problem.code ?? `HTTP_${status}`, detail: problem.detail ?? `answered ${status}` };
}
