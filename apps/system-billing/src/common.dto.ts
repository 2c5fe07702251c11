import { Transform } from 'class-transformer';
import { ValidateIf } from 'class-validator';

export { SyncPageQuery } from '@revgate/platform';

/** Query-string booleans: only the words true and false. */
export const QueryBoolean = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  );

/**
 * An optional field that, when sent, must be a value: unlike @IsOptional(), null is validated (and
 * so rejected) instead of being let through to a column that cannot hold it.
 */
export const IsOmittable = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);
