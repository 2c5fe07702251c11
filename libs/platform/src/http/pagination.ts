import { Type as TransformType } from 'class-transformer';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
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
