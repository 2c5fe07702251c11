import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import {
  ACCOUNTING_PERIOD,
  CustomerPaymentDto,
  ERP_EXTERNAL_ID,
  ERP_EXTERNAL_ID_MESSAGE,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
  PaymentApplicationDto,
} from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { LedgerLineResponse, RecordResponse, SyncPageQuery } from '../../common.dto';

/** A customer payment to post and apply, in the canonical model. */
export class PostPaymentRequest extends CustomerPaymentDto {}

export class PaymentResponse extends RecordResponse {
  @ApiProperty({ example: 'PAY-US01-000007' })
  number!: string;

  @ApiProperty()
  externalId!: string;

  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty({ example: 'ACME-001' })
  customerExternalId!: string;

  @ApiProperty({ format: 'date' })
  date!: string;

  @ApiProperty({ example: '2026-02' })
  period!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ example: '12480.00' })
  amount!: string;

  @ApiProperty({ description: 'The cash account debited', example: '1000' })
  cashAccount!: string;

  @ApiPropertyOptional()
  memo?: string;

  @ApiProperty({ type: [PaymentApplicationDto] })
  applications!: PaymentApplicationDto[];

  @ApiProperty({ example: '12480.00' })
  appliedAmount!: string;

  @ApiProperty({ description: "Left on the customer's account", example: '0.00' })
  unappliedAmount!: string;

  @ApiProperty({ type: [LedgerLineResponse], description: 'Dr cash, Cr receivable' })
  ledger!: LedgerLineResponse[];
}

export class ListPaymentsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;

  @ApiPropertyOptional({ example: 'ACME-001' })
  @IsOptional()
  @Matches(ERP_EXTERNAL_ID, { message: `customerExternalId ${ERP_EXTERNAL_ID_MESSAGE}` })
  customerExternalId?: string;

  @ApiPropertyOptional({ example: '2026-02' })
  @IsOptional()
  @Matches(ACCOUNTING_PERIOD, { message: 'period must be written YYYY-MM, e.g. 2026-01' })
  period?: string;
}

export class PaymentPage extends PageOf(PaymentResponse) {}
