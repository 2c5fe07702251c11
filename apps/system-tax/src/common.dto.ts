import { ArgumentMetadata, Param, PipeTransform } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import {
  DOCUMENT_CODE,
  DOCUMENT_CODE_MESSAGE,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
} from '@revgate/canonical';
import { PageQuery, validationProblem } from '@revgate/platform';

/**
 * A date, or a date-time with a zone (RFC 3339). ISO 8601 also allows week and ordinal dates, basic
 * format and zone-less times, which the database cannot read or would read in the server's zone.
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const UPDATED_SINCE_MESSAGE =
  'updatedSince must be an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z';
export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

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

/** A path parameter that must match a pattern; anything else is a VALIDATION_FAILED naming it. */
class PatternPipe implements PipeTransform<string, string> {
  constructor(
    private readonly name: string,
    private readonly pattern: RegExp,
    private readonly message: string,
  ) {}

  transform(value: string, _metadata: ArgumentMetadata): string {
    if (!this.pattern.test(value))
      throw validationProblem([{ pointer: this.name, detail: this.message }]);
    return value;
  }
}

export const LegalEntityParam = (): ParameterDecorator =>
  Param('legalEntity', new PatternPipe('legalEntity', LEGAL_ENTITY_CODE, LEGAL_ENTITY_MESSAGE));

export const DocumentCodeParam = (): ParameterDecorator =>
  Param('code', new PatternPipe('code', DOCUMENT_CODE, DOCUMENT_CODE_MESSAGE));
