import { Transform } from 'class-transformer';
import { ValidateIf } from 'class-validator';

export const LEGAL_ENTITY_PATTERN = /^[A-Z0-9][A-Z0-9_-]{1,19}$/;
export const LEGAL_ENTITY_MESSAGE =
  'legalEntity must be 2–20 characters: capital letters, digits, _ or - (e.g. US01)';
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;
export const EXTERNAL_ID_MESSAGE = 'externalId must be 1–100 characters: letters, digits, . _ : -';
// validator's ISO 4217 and 3166 checks ignore case; codes are stored and compared in capitals.
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
export const CURRENCY_MESSAGE = 'currency must be an ISO 4217 code such as USD or EUR';
export const COUNTRY_PATTERN = /^[A-Z]{2}$/;
export const COUNTRY_MESSAGE = 'country must be an ISO 3166-1 alpha-2 code such as US or DE';

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
