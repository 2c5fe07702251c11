import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO8601, IsOptional } from 'class-validator';
import { PageQuery } from '@revgate/platform';

export const LEGAL_ENTITY_PATTERN = /^[A-Z0-9][A-Z0-9_-]{1,19}$/;
export const LEGAL_ENTITY_MESSAGE = 'legalEntity must be 2–20 characters: capital letters, digits, _ or - (e.g. US01)';
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;
export const EXTERNAL_ID_MESSAGE = 'externalId must be 1–100 characters: letters, digits, . _ : -';

/** Lists support keyset pagination and incremental sync by update time. */
export class SyncPageQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Only items updated at or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'updatedSince must be an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z' })
  updatedSince?: string;
}

/** Query-string booleans: only the words true and false. */
export const QueryBoolean = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
