import { ApiError, PlatformErrorCode } from '../errors/problem';

/** Strong entity tag for a row version. */
export function etagFor(version: number): string {
  return `"v${version}"`;
}

/**
 * Reads an If-Match header. Returns the version the caller expects, or undefined when the header is
 * absent or `*`. A malformed tag is a 412, as RFC 9110 treats a non-matching tag.
 */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  // If-Match uses the strong comparison (RFC 9110 §13.1.1): a weak tag never matches.
  const m = /^"v(\d{1,9})"$/.exec(ifMatch.trim());
  if (!m?.[1]) {
    throw new ApiError(
      412,
      PlatformErrorCode.PRECONDITION_FAILED,
      `If-Match ${ifMatch} is not an ETag this API issued.`,
    );
  }
  return Number(m[1]);
}

export function staleWrite(resource: string, current: number): ApiError {
  return new ApiError(
    412,
    PlatformErrorCode.PRECONDITION_FAILED,
    `The ${resource} was changed since you read it (its ETag is now ${etagFor(current)}). Read it again and re-apply your change.`,
    { currentETag: etagFor(current) },
  );
}
