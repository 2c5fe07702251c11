import { Transform } from 'class-transformer';

export { SyncPageQuery } from '@revgate/platform';

/** Query-string booleans: only the words true and false. */
export const QueryBoolean = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  );
