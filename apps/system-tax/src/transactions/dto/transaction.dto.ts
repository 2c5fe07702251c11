import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  Matches,
  ValidateNested,
} from 'class-validator';
import {
  CommitTaxTransactionRequest,
  CUSTOMER_CODE,
  DOCUMENT_CODE,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
  TAX_DOCUMENT_TYPES,
  TAX_TRANSACTION_STATUSES,
  TaxTransactionResponse,
} from '@revgate/canonical';
import type { TaxDocumentType, TaxTransactionStatus } from '@revgate/canonical';
import { ItemProblem, PageOf } from '@revgate/platform';
import { DATE_ONLY, SyncPageQuery } from '../../common.dto';

// Committing, reading and voiding speak the canonical tax model (libs/canonical/src/tax).
export {
  CommitTaxTransactionRequest,
  TaxTransactionLineRequest,
  TaxTransactionResponse,
  VoidTaxTransactionRequest,
} from '@revgate/canonical';

export class ListTaxTransactionsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;

  @ApiPropertyOptional({ enum: TAX_TRANSACTION_STATUSES })
  @IsOptional()
  @IsIn(TAX_TRANSACTION_STATUSES, {
    message: `status must be one of ${TAX_TRANSACTION_STATUSES.join(', ')}`,
  })
  status?: TaxTransactionStatus;

  @ApiPropertyOptional({ enum: TAX_DOCUMENT_TYPES, description: 'Sales or returns only' })
  @IsOptional()
  @IsIn(TAX_DOCUMENT_TYPES, { message: `type must be one of ${TAX_DOCUMENT_TYPES.join(', ')}` })
  type?: TaxDocumentType;

  @ApiPropertyOptional({
    description: 'The returns of this sale: the code of the sale they credit',
    example: 'INV-2026-0001',
  })
  @IsOptional()
  @Matches(DOCUMENT_CODE, { message: 'referenceCode must be 1–50 letters, digits, . _ : or -' })
  referenceCode?: string;

  @ApiPropertyOptional({ example: 'ACME-001' })
  @IsOptional()
  @Matches(CUSTOMER_CODE, { message: 'customerCode must be 1–50 letters, digits, . _ : or -' })
  customerCode?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Tax date on or after this day' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'dateFrom must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'dateFrom must be a real calendar date' })
  dateFrom?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Tax date on or before this day' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'dateTo must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'dateTo must be a real calendar date' })
  dateTo?: string;
}

export class TaxTransactionPage extends PageOf(TaxTransactionResponse) {}

/** At most this many documents per batch (and the 1 MiB body limit still applies). */
export const MAX_BATCH_TRANSACTIONS = 500;

export class CommitTaxTransactionBatchRequest {
  @ApiProperty({
    type: [CommitTaxTransactionRequest],
    minItems: 1,
    maxItems: MAX_BATCH_TRANSACTIONS,
    description:
      'Sales to record and commit, each as POST /transactions would; codes unique per legal entity within the batch. Returns are committed one at a time (POST /transactions), since each is checked against its sale.',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'transactions must have at least one document' })
  @ArrayMaxSize(MAX_BATCH_TRANSACTIONS, {
    message: `transactions must have at most ${MAX_BATCH_TRANSACTIONS} documents; send several batches`,
  })
  @ValidateNested({ each: true })
  @Type(() => CommitTaxTransactionRequest)
  transactions!: CommitTaxTransactionRequest[];
}

export const BATCH_OUTCOMES = ['created', 'existing', 'refused'] as const;
export type BatchOutcome = (typeof BATCH_OUTCOMES)[number];

export class TaxTransactionBatchResult {
  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty({ example: 'INV-2026-0001' })
  code!: string;

  @ApiProperty({
    enum: BATCH_OUTCOMES,
    description:
      '`created`: recorded and committed now (its tax.transaction.committed.v1 event emitted); `existing`: already committed with this content, answered unchanged; `refused`: not recorded, see problem',
  })
  outcome!: BatchOutcome;

  @ApiPropertyOptional({ type: TaxTransactionResponse, description: 'Unless refused' })
  transaction?: TaxTransactionResponse;

  @ApiPropertyOptional({
    type: ItemProblem,
    description:
      'When refused: the problem the document would have got on its own (TAX_CODE_UNKNOWN, TAX_TRANSACTION_CODE_CONFLICT, TAX_TRANSACTION_VOIDED, …)',
  })
  problem?: ItemProblem;
}

export class TaxTransactionBatchResponse {
  @ApiProperty({ type: [TaxTransactionBatchResult], description: 'One per document, in order' })
  results!: TaxTransactionBatchResult[];

  @ApiProperty({ example: 498 })
  created!: number;

  @ApiProperty({ example: 1 })
  existing!: number;

  @ApiProperty({ example: 1 })
  refused!: number;
}
