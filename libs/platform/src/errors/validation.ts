import { Param, ParseUUIDPipe, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, PlatformErrorCode } from './problem';

export interface FieldError {
  pointer: string;
  detail: string;
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const pointer = `${parent}/${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((detail) => ({ pointer, detail }));
    return [...own, ...flattenValidationErrors(e.children ?? [], pointer)];
  });
}

export function validationProblem(errors: FieldError[]): ApiError {
  const n = errors.length;
  return new ApiError(
    400,
    PlatformErrorCode.VALIDATION_FAILED,
    `The request has ${n} invalid field${n === 1 ? '' : 's'}: ${errors.map((e) => e.detail).join('; ')}.`,
    { errors },
  );
}

/** Whitelist, reject unknown fields, transform to DTO classes; errors become VALIDATION_FAILED. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationProblem(flattenValidationErrors(errors)),
  });
}

/** A path id that must be a UUID; anything else is a VALIDATION_FAILED naming the parameter. */
export const UuidParam = (name: string): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        validationProblem([{ pointer: name, detail: `${name} must be a UUID` }]),
    }),
  );
