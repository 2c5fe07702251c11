import { Type as TransformType } from 'class-transformer';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Type } from '@nestjs/common';
import { ApiError, PlatformErrorCode } from '../errors/problem';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Items per page' })
  @IsOptional()
  @TransformType(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({ description: "Opaque cursor from the previous page's nextCursor" })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a cursor returned by a previous page' })
  cursor?: string;
}

/** Cursors are opaque to callers: base64url of the sort key of the last item returned. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, parts: number): string[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === parts &&
      value.every((v) => typeof v === 'string')
    ) {
      return value;
    }
  } catch {
    // fall through to the problem below
  }
  throw invalidCursor();
}

export function invalidCursor(): ApiError {
  return new ApiError(
    400,
    PlatformErrorCode.VALIDATION_FAILED,
    'cursor is not a cursor this API returned.',
    {
      errors: [{ pointer: 'cursor', detail: 'cursor is not a cursor this API returned' }],
    },
  );
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** A named page class for the OpenAPI spec: `{ data: Item[], nextCursor }`. */
export function PageOf<T>(item: Type<T>): Type<Page<T>> {
  class PageClass implements Page<T> {
    @ApiProperty({ type: [item] })
    data!: T[];

    @ApiProperty({
      type: String,
      nullable: true,
      description: 'Pass as `cursor` to get the next page; null on the last page',
    })
    nextCursor!: string | null;
  }
  Object.defineProperty(PageClass, 'name', { value: `${item.name.replace(/Response$/, '')}Page` });
  return PageClass;
}

/**
 * A date, or a date-time with a zone (RFC 3339). ISO 8601 also allows week and ordinal dates, basic
 * format and zone-less times, which the database cannot read or would read in the server's zone.
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const UPDATED_SINCE_MESSAGE =
  'updatedSince must be an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z';

/** Lists with keyset pagination and incremental sync by update time. */
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

/** A keyset page request: items ordered by (updatedAt, id), after the last one seen. */
export interface KeysetWindow {
  limit: number;
  after?: { updatedAt: string; id: string };
  updatedSince?: Date;
  /** Restrict to these legal entities (the caller's claim); undefined means all. */
  legalEntities?: readonly string[];
}

/** One page read from storage: the items and whether more follow. */
export interface Slice<T> {
  items: T[];
  hasMore: boolean;
}

const CURSOR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CURSOR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True only for the exact form toISOString() writes, which is all a cursor of ours can hold. */
function isCursorInstant(value: string): boolean {
  const time = Date.parse(value);
  return (
    CURSOR_INSTANT.test(value) && !Number.isNaN(time) && new Date(time).toISOString() === value
  );
}

/** Turns a list request's cursor and filters into a keyset window. */
export function keysetWindow(
  query: { limit: number; cursor?: string; updatedSince?: string },
  legalEntities?: readonly string[],
): KeysetWindow {
  let after: KeysetWindow['after'];
  if (query.cursor) {
    const [updatedAt = '', id = ''] = decodeCursor(query.cursor, 2);
    if (!isCursorInstant(updatedAt) || !CURSOR_ID.test(id)) throw invalidCursor();
    after = { updatedAt, id };
  }
  return {
    limit: query.limit,
    after,
    updatedSince: query.updatedSince ? new Date(query.updatedSince) : undefined,
    legalEntities,
  };
}

/** The API page of a slice: `nextCursor` points after its last item while more follow. */
export function keysetPage<T extends { id: string; updatedAt: Date }, R>(
  slice: Slice<T>,
  map: (item: T) => R,
): Page<R> {
  const last = slice.items.at(-1);
  return {
    data: slice.items.map(map),
    nextCursor:
      slice.hasMore && last ? encodeCursor([last.updatedAt.toISOString(), last.id]) : null,
  };
}
