import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import {
  ACCOUNTING_PERIOD,
  ArInvoiceDto,
  DateRangeDto,
  ERP_EXTERNAL_ID,
  ERP_EXTERNAL_ID_MESSAGE,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
} from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import type { PaymentStatus } from '../../providers/erp-provider.port';
import { LedgerLineResponse, RecordResponse, SyncPageQuery } from '../../common.dto';

export const PAYMENT_STATUSES = ['unpaid', 'partially_paid', 'paid'] as const;

/** An AR invoice to post, in the canonical model. */
export class PostInvoiceRequest extends ArInvoiceDto {}

export class ArLineResponse {
  @ApiProperty({ example: 'PLATFORM-ANNUAL' })
  itemCode!: string;

  @ApiPropertyOptional()
  description?: string;

  @ApiProperty({ example: '10' })
  quantity!: string;

  @ApiProperty({ example: '12000.00' })
  amount!: string;

  @ApiProperty({ example: '480.00' })
  taxAmount!: string;

  @ApiPropertyOptional({ example: 'SW054000' })
  taxCode?: string;

  @ApiPropertyOptional({ type: DateRangeDto })
  servicePeriod?: DateRangeDto;

  @ApiProperty({
    description:
      'The account the revenue went to: the item revenue account, or deferred revenue when the service period runs past the posting period',
    example: '2400',
  })
  accountCode!: string;

  @ApiProperty({ description: 'True when accountCode is deferred revenue' })
  deferred!: boolean;
}

/** What posted invoices and credit memos answer with. */
export class ArDocumentResponse extends RecordResponse {
  @ApiProperty({ description: "The ERP's document number", example: 'INV-US01-000042' })
  number!: string;

  @ApiProperty({ description: "Revgate's id of the document" })
  externalId!: string;

  @ApiPropertyOptional({ example: 'US01-2026-000001' })
  reference?: string;

  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty({ example: 'ACME-001' })
  customerExternalId!: string;

  @ApiProperty({ format: 'date' })
  date!: string;

  @ApiPropertyOptional({ format: 'date' })
  dueDate?: string;

  @ApiProperty({ description: 'The accounting period posted to', example: '2026-01' })
  period!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiPropertyOptional()
  memo?: string;

  @ApiProperty({
    enum: ['posted'],
    description: 'Posting status: a refused posting leaves nothing',
  })
  status!: 'posted';

  @ApiProperty({ type: [ArLineResponse] })
  lines!: ArLineResponse[];

  @ApiProperty({ example: '12000.00' })
  subtotal!: string;

  @ApiProperty({ example: '480.00' })
  taxTotal!: string;

  @ApiProperty({ example: '12480.00' })
  total!: string;

  @ApiProperty({ type: [LedgerLineResponse], description: 'The balanced entry the posting made' })
  ledger!: LedgerLineResponse[];
}

export class InvoiceResponse extends ArDocumentResponse {
  @ApiProperty({ description: 'Credited by credit memos', example: '0.00' })
  amountCredited!: string;

  @ApiProperty({ description: 'Paid by payments', example: '0.00' })
  amountPaid!: string;

  @ApiProperty({ description: 'total − credited − paid', example: '12480.00' })
  amountDue!: string;

  @ApiProperty({
    enum: PAYMENT_STATUSES,
    description: 'Credits and payments both settle: paid once nothing is due',
  })
  paymentStatus!: PaymentStatus;
}

export class ListArDocumentsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;

  @ApiPropertyOptional({ example: 'ACME-001' })
  @IsOptional()
  @Matches(ERP_EXTERNAL_ID, { message: `customerExternalId ${ERP_EXTERNAL_ID_MESSAGE}` })
  customerExternalId?: string;

  @ApiPropertyOptional({ description: 'Posted in this period (YYYY-MM)', example: '2026-01' })
  @IsOptional()
  @Matches(ACCOUNTING_PERIOD, { message: 'period must be written YYYY-MM, e.g. 2026-01' })
  period?: string;
}

export class ListInvoicesQuery extends ListArDocumentsQuery {
  @ApiPropertyOptional({ enum: PAYMENT_STATUSES })
  @IsOptional()
  @IsIn(PAYMENT_STATUSES, {
    message: `paymentStatus must be one of ${PAYMENT_STATUSES.join(', ')}`,
  })
  paymentStatus?: PaymentStatus;
}

export class InvoicePage extends PageOf(InvoiceResponse) {}
