import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ApiError, ProblemFieldError } from './problem';

/**
 * Why one item of a batch was refused: the problem the item would have got on its own (status,
 * stable code, detail, field errors), without the request-level members (instance, correlation id),
 * which the batch response as a whole carries.
 */
export class ItemProblem {
  @ApiProperty({ example: 422, description: 'The HTTP status the item would have got on its own' })
  status!: number;

  @ApiProperty({ example: 'Unprocessable Entity' })
  title!: string;

  @ApiProperty({ description: 'Stable, machine-readable error code', example: 'TAX_CODE_UNKNOWN' })
  code!: string;

  @ApiProperty({ example: 'Tax code XX000000 is not known.' })
  detail!: string;

  @ApiPropertyOptional({ type: [ProblemFieldError] })
  errors?: ProblemFieldError[];
}

/** The item problem of an error the API reports on purpose. */
export function toItemProblem(error: ApiError): ItemProblem {
  const errors = error.extensions.errors;
  return {
    status: error.status,
    title: STATUS_CODES[error.status] ?? 'Error',
    code: error.code,
    detail: error.detail,
    ...(Array.isArray(errors) ? { errors: errors as ProblemFieldError[] } : {}),
  };
}
