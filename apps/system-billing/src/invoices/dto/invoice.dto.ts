import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsUUID,
} from 'class-validator';
import { INVOICE_STATUSES, InvoiceResponse } from '@revgate/canonical';
import type { InvoiceStatus } from '@revgate/canonical';
import { ItemProblem, PageOf } from '@revgate/platform';
import { SyncPageQuery } from '../../common.dto';

// Invoices speak the canonical billing model (libs/canonical/src/billing).
export {
  CreateInvoiceRequest,
  InvoiceResponse,
  OneTimeLineRequest,
  VoidInvoiceRequest,
} from '@revgate/canonical';

export class ListInvoicesQuery extends SyncPageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'subscriptionId must be a UUID' })
  subscriptionId?: string;

  @ApiPropertyOptional({ enum: INVOICE_STATUSES })
  @IsOptional()
  @IsIn(INVOICE_STATUSES, { message: `status must be one of ${INVOICE_STATUSES.join(', ')}` })
  status?: InvoiceStatus;
}

export class InvoicePage extends PageOf(InvoiceResponse) {}

/** At most this many drafts per batch finalization. */
export const MAX_BATCH_FINALIZATIONS = 500;

export class FinalizeInvoicesRequest {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: MAX_BATCH_FINALIZATIONS,
    uniqueItems: true,
    description:
      'The drafts to finalize. They are numbered in this order within each legal entity and year.',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'invoiceIds must name at least one draft' })
  @ArrayMaxSize(MAX_BATCH_FINALIZATIONS, {
    message: `invoiceIds must name at most ${MAX_BATCH_FINALIZATIONS} drafts; send several batches`,
  })
  @ArrayUnique({ message: 'invoiceIds must not name a draft twice' })
  @IsUUID('all', { each: true, message: 'each of invoiceIds must be a UUID' })
  invoiceIds!: string[];
}

export const FINALIZATION_OUTCOMES = ['finalized', 'failed'] as const;
export type FinalizationOutcome = (typeof FINALIZATION_OUTCOMES)[number];

export class InvoiceFinalizationResult {
  @ApiProperty({ format: 'uuid' })
  invoiceId!: string;

  @ApiProperty({ enum: FINALIZATION_OUTCOMES })
  outcome!: FinalizationOutcome;

  @ApiPropertyOptional({ type: InvoiceResponse, description: 'The finalized invoice' })
  invoice?: InvoiceResponse;

  @ApiPropertyOptional({
    type: ItemProblem,
    description:
      'When failed: the problem POST /invoices/{id}/finalize would have answered for this draft alone (BILLING_INVOICE_NOT_FOUND, BILLING_INVOICE_NOT_DRAFT, BILLING_TAX_REFUSED, BILLING_AMOUNT_INVALID, …). The draft is unchanged, and can be finalized again once the cause is fixed.',
  })
  problem?: ItemProblem;
}

export class FinalizeInvoicesResponse {
  @ApiProperty({ type: [InvoiceFinalizationResult], description: 'One per draft, in order' })
  results!: InvoiceFinalizationResult[];

  @ApiProperty({ example: 499 })
  finalized!: number;

  @ApiProperty({ example: 1 })
  failed!: number;
}
