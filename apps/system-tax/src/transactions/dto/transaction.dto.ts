import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import {
  CUSTOMER_CODE,
  DOCUMENT_CODE,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
  TAX_DOCUMENT_TYPES,
  TAX_TRANSACTION_STATUSES,
  TaxTransactionResponse,
} from '@revgate/canonical';
import type { TaxDocumentType, TaxTransactionStatus } from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
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
