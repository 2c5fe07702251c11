import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, Matches } from 'class-validator';
import { ACCOUNTING_PERIOD, LEGAL_ENTITY_CODE, LEGAL_ENTITY_MESSAGE } from '@revgate/canonical';
import { RUN_STATUSES, type RunStatus } from '../billing-run.entity';

export class StartBillingRunRequest {
  @ApiProperty({ description: 'The usage period billed, YYYY-MM', example: '2026-01' })
  @Matches(ACCOUNTING_PERIOD, { message: 'period must be written YYYY-MM, e.g. 2026-01' })
  period!: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Only these legal entities (all when omitted)',
    example: ['US01'],
  })
  @IsOptional()
  @IsArray({ message: 'entities must be an array of legal entity codes' })
  @ArrayMaxSize(50, { message: 'entities must have at most 50 codes' })
  @ArrayUnique({ message: 'entities must not repeat a code' })
  @Matches(LEGAL_ENTITY_CODE, { each: true, message: LEGAL_ENTITY_MESSAGE })
  entities?: string[];
}

export class BillingRunCounts {
  @ApiProperty({ description: 'Subscriptions not invoiced yet' })
  pending!: number;

  @ApiProperty({ description: 'Invoiced, waiting for the ERP' })
  invoiced!: number;

  @ApiProperty({ description: 'Invoiced and posted to the ERP' })
  posted!: number;

  @ApiProperty({ description: 'Nothing due this period (billing had nothing to invoice)' })
  nothingToInvoice!: number;

  @ApiProperty({ description: 'Refused by billing or the ERP: see the reconciliation' })
  failed!: number;
}

export class BillingRunResponse {
  @ApiProperty({ example: 'billing-run:2026-01:all' })
  id!: string;

  @ApiProperty({ example: '2026-01' })
  period!: string;

  @ApiProperty({ type: [String] })
  entities!: string[];

  @ApiProperty({ enum: RUN_STATUSES })
  status!: RunStatus;

  @ApiPropertyOptional({ description: 'Subscriptions the run bills (once planned)' })
  total?: number;

  @ApiProperty({ description: 'Subscriptions finished: posted, nothing to invoice, or failed' })
  done!: number;

  @ApiProperty({ type: BillingRunCounts })
  counts!: BillingRunCounts;

  @ApiProperty({ description: 'Subscriptions finished per second so far' })
  ratePerSecond!: number;

  @ApiPropertyOptional({ description: 'Seconds left at that rate' })
  etaSeconds?: number;

  @ApiPropertyOptional()
  error?: string;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  completedAt?: string;
}
