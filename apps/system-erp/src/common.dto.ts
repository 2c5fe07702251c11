import { ArgumentMetadata, Param, PipeTransform } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ACCOUNT_CODE,
  ACCOUNT_CODE_MESSAGE,
  ACCOUNTING_PERIOD,
  ERP_EXTERNAL_ID,
  ERP_EXTERNAL_ID_MESSAGE,
  ITEM_CODE,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
} from '@revgate/canonical';
import { validationProblem } from '@revgate/platform';

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

const pathParam = (name: string, pattern: RegExp, message: string) => (): ParameterDecorator =>
  Param(name, new PatternPipe(name, pattern, message));

export const LegalEntityParam = pathParam('legalEntity', LEGAL_ENTITY_CODE, LEGAL_ENTITY_MESSAGE);
export const EntityCodeParam = pathParam(
  'code',
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE.replace('legalEntity', 'code'),
);
export const ExternalIdParam = pathParam(
  'externalId',
  ERP_EXTERNAL_ID,
  `externalId ${ERP_EXTERNAL_ID_MESSAGE}`,
);
export const AccountCodeParam = pathParam('code', ACCOUNT_CODE, `code ${ACCOUNT_CODE_MESSAGE}`);
export const ItemCodeParam = pathParam(
  'code',
  ITEM_CODE,
  'code must be 1–50 letters, digits, . _ : / or -',
);
export const PeriodParam = pathParam(
  'period',
  ACCOUNTING_PERIOD,
  'period must be an accounting period written YYYY-MM, e.g. 2026-01',
);

export const LEGAL_ENTITY_PATH = {
  name: 'legalEntity',
  example: 'US01',
  description: 'Legal entity code',
};
export const ETAG_HEADER = {
  ETag: { description: 'Send as If-Match to change it', schema: { type: 'string' } },
};
export const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'ETag from your last read; a stale one gets 412',
};

/** One line of the entry a posting made in the general ledger. */
export class LedgerLineResponse {
  @ApiProperty({ example: '1200' })
  accountCode!: string;

  @ApiProperty({ description: 'Decimal string; "0" on a credit line', example: '12480.00' })
  debit!: string;

  @ApiProperty({ description: 'Decimal string; "0" on a debit line', example: '0' })
  credit!: string;

  @ApiPropertyOptional()
  memo?: string;

  @ApiPropertyOptional({ description: 'Receivable lines: the customer', example: 'ACME-001' })
  customerExternalId?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Journal lines: their analytic dimensions',
  })
  dimensions?: Record<string, string>;
}

/** Fields every versioned record answers with. */
export class RecordResponse {
  @ApiProperty({ description: "The ERP's own id of the record" })
  id!: string;

  @ApiProperty({ description: 'Row version; the ETag is "v<version>"' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
