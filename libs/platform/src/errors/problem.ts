import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Codes of the HTTP layer shared by every app. Domains declare their own codes in their own enums. */
export enum PlatformErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  MALFORMED_REQUEST = 'MALFORMED_REQUEST',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  ROUTE_NOT_FOUND = 'ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  CONFLICT = 'CONFLICT',
  CONCURRENT_UPDATE = 'CONCURRENT_UPDATE',
  PRECONDITION_FAILED = 'PRECONDITION_FAILED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED = 'RATE_LIMITED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_ERROR = 'INTERNAL_ERROR',
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * An error the API reports on purpose: it becomes an RFC 9457 problem with a stable `code`.
 * Extensions are extra members of the problem object (e.g. `errors`, `currentVersion`).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

export class ProblemFieldError {
  @ApiProperty({
    description: 'JSON pointer (or query/header name) of the offending input',
    example: '/lines/0/quantity',
  })
  pointer!: string;

  @ApiProperty({ example: 'quantity must be a positive decimal string' })
  detail!: string;
}

/** RFC 9457 problem details, as every Revgate error is returned (`application/problem+json`). */
export class ProblemResponse {
  @ApiProperty({ example: 'urn:revgate:problem:VALIDATION_FAILED' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ description: 'Stable, machine-readable error code', example: 'VALIDATION_FAILED' })
  code!: string;

  @ApiProperty({ example: 'The request has 1 invalid field.' })
  detail!: string;

  @ApiProperty({ example: '/crm/v1/accounts' })
  instance!: string;

  @ApiProperty({ example: '6f1c7c1e-3d0a-4a4f-9d55-1c1f7f0e9a10' })
  correlationId!: string;

  @ApiPropertyOptional({ description: 'Present on 5xx: quote it to support' })
  errorId?: string;

  @ApiPropertyOptional({ type: [ProblemFieldError] })
  errors?: ProblemFieldError[];
}
