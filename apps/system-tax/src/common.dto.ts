import { ArgumentMetadata, Param, PipeTransform } from '@nestjs/common';
import {
  DOCUMENT_CODE,
  DOCUMENT_CODE_MESSAGE,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
} from '@revgate/canonical';
import { validationProblem } from '@revgate/platform';

export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
export { SyncPageQuery } from '@revgate/platform';

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
