import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO8601, IsOptional, Matches, ValidateIf } from 'class-validator';
import { PageQuery } from '@revgate/platform';

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

/**
 * A date, or a date-time with a zone (RFC 3339). ISO 8601 also allows week and ordinal dates, basic
 * format and zone-less times, which the database cannot read or would read in the server's zone.
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const UPDATED_SINCE_MESSAGE =
  'updatedSince must be an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z';

/** Lists support keyset pagination and incremental sync by update time. */
export class SyncPageQuery extends PageQuery {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only items updated at or after this instant',
  })
  @IsOptional()
  @Matches(INSTANT, { message: UPDATED_SINCE_MESSAGE })
  @IsISO8601({ strict: true }, { message: UPDATED_SINCE_MESSAGE })
  updatedSince?: string;
}

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
