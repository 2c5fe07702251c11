import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { CORRELATION_ID_PATTERN } from '@revgate/platform';

export class TraceQuery {
  @ApiPropertyOptional({ description: 'The per-deal trace key (X-Correlation-Id of the deal)' })
  @IsOptional()
  @Matches(CORRELATION_ID_PATTERN, {
    message: 'correlationId must be 1 to 128 letters, digits, dots, colons, dashes or underscores',
  })
  correlationId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The quote-to-cash order' })
  @IsOptional()
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The billing invoice' })
  @IsOptional()
  @IsUUID('all', { message: 'invoiceId must be a UUID' })
  invoiceId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The CRM opportunity' })
  @IsOptional()
  @IsUUID('all', { message: 'opportunityId must be a UUID' })
  opportunityId?: string;
}

export const TRACE_SYSTEMS = ['crm', 'q2c', 'billing', 'tax', 'erp', 'operator'] as const;

export class TraceEvent {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: TRACE_SYSTEMS, description: 'Where it happened' }) system!: string;
  @ApiProperty({
    example: 'post_receivable',
    description: 'What happened (a step, a stage, an action)',
  })
  kind!: string;
  @ApiProperty({ example: 'Post the receivable to the ERP' }) title!: string;
  @ApiProperty({ enum: ['done', 'failed', 'running', 'skipped', 'info'] }) status!: string;
  @ApiPropertyOptional() detail?: string;
}

export class TraceCrmView {
  @ApiProperty({ format: 'uuid' }) opportunityId!: string;
  @ApiPropertyOptional({ format: 'uuid' }) accountId?: string;
  @ApiPropertyOptional() opportunityName?: string;
  @ApiPropertyOptional() stage?: string;
  @ApiPropertyOptional({ description: 'Amount of the deal (decimal string)' }) amount?: string;
  @ApiPropertyOptional({ description: 'The billing status written back to the CRM' })
  billingStatus?: string;
}

export class TraceBillingView {
  @ApiPropertyOptional() customerId?: string;
  @ApiPropertyOptional() subscriptionId?: string;
  @ApiPropertyOptional() subscriptionStatus?: string;
  @ApiPropertyOptional() invoiceId?: string;
  @ApiPropertyOptional() invoiceNumber?: string;
  @ApiPropertyOptional() invoiceStatus?: string;
  @ApiPropertyOptional({ description: 'Invoice total (decimal string)' }) invoiceTotal?: string;
  @ApiPropertyOptional() currency?: string;
}

export class TraceTaxView {
  @ApiPropertyOptional({ description: 'The committed tax transaction' }) transactionCode?: string;
  @ApiPropertyOptional({ description: 'Tax on the invoice (decimal string)' }) totalTax?: string;
}

export class TraceErpView {
  @ApiPropertyOptional() customerExternalId?: string;
  @ApiPropertyOptional({ description: "The receivable's id in the ERP" }) invoiceId?: string;
  @ApiPropertyOptional() invoiceNumber?: string;
  @ApiPropertyOptional() period?: string;
  @ApiPropertyOptional({ description: 'Receivable total (decimal string)' }) total?: string;
  @ApiPropertyOptional() amountDue?: string;
  @ApiPropertyOptional() paymentStatus?: string;
}

export class TraceSystems {
  @ApiProperty({ type: TraceCrmView }) crm!: TraceCrmView;
  @ApiProperty({ type: TraceBillingView }) billing!: TraceBillingView;
  @ApiProperty({ type: TraceTaxView }) tax!: TraceTaxView;
  @ApiProperty({ type: TraceErpView }) erp!: TraceErpView;
}

export class TraceResponse {
  @ApiProperty() correlationId!: string;
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty() orderStatus!: string;
  @ApiPropertyOptional() legalEntity?: string;
  @ApiProperty({ type: TraceSystems, description: "Each system's ids and state" })
  systems!: TraceSystems;
  @ApiProperty({ type: [TraceEvent], description: 'Across the systems, in time order' })
  timeline!: TraceEvent[];
  @ApiProperty({
    type: [String],
    description: 'Systems that did not answer: their part of the trace is missing',
  })
  unavailable!: string[];
}
