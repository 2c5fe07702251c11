import { QueryFailedError } from 'typeorm';

/** True when the error is Postgres refusing a duplicate under this unique constraint or index. */
export function isUniqueViolation(e: unknown, constraint: string): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const driverError = e.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === constraint;
}
