import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ACCOUNTING_PERIOD } from '@revgate/canonical';

export class ReconciliationQuery {
  @ApiProperty({ example: '2026-01' })
  @Matches(ACCOUNTING_PERIOD, { message: 'period must be written YYYY-MM, e.g. 2026-01' })
  period!: string;
}

export const VARIANCE_CAUSES = [
  'held_for_review',
  'unknown_subscription_or_meter',
  'not_rated',
  'rated_differs_from_events',
  'refused_by_billing',
  'not_invoiced',
  'invoiced_differs_from_rated',
  'not_posted',
  'posting_refused',
] as const;
export type VarianceCause = (typeof VARIANCE_CAUSES)[number];

export class ReconciliationLinks {
  @ApiProperty({
    example: '/u2r/v1/usage-events?period=2026-01&subscriptionId=sub_1&meterCode=api_calls',
  })
  events!: string;

  @ApiPropertyOptional({ example: '/billing/v1/invoices/0b6f…' })
  invoice?: string;

  @ApiPropertyOptional({ example: '/erp/v1/invoices/US01/0b6f…' })
  erpInvoice?: string;

  @ApiPropertyOptional({ example: '/u2r/v1/billing-runs/billing-run:2026-01:all' })
  billingRun?: string;
}

export class ReconciliationVariance {
  @ApiProperty({ enum: VARIANCE_CAUSES })
  cause!: VarianceCause;

  @ApiProperty({ description: 'What differs and why, in words' })
  detail!: string;

  @ApiPropertyOptional({ description: 'The quantity the variance is about' })
  quantity?: string;
}

export class ReconciliationRow {
  @ApiProperty()
  customerId!: string;

  @ApiPropertyOptional({ description: 'Absent when the usage could not be tied to a subscription' })
  subscriptionId?: string;

  @ApiProperty()
  meterCode!: string;

  @ApiProperty({
    description: 'Usage events in the ledger for the period (cancelled and held included)',
  })
  eventsIngested!: number;

  @ApiProperty({ description: 'Their total quantity' })
  quantityIngested!: string;

  @ApiProperty({ description: 'Of them, held for review' })
  eventsHeld!: number;

  @ApiProperty({ description: 'Cancellations that count' })
  eventsCancelled!: number;

  @ApiPropertyOptional({ description: "The meter's aggregate rated (absent: not rated)" })
  quantityRated?: string;

  @ApiPropertyOptional({ description: 'Quantity on the invoice (its usage line)' })
  quantityInvoiced?: string;

  @ApiPropertyOptional()
  invoiceNumber?: string;

  @ApiProperty({ description: 'The invoice is posted to the ERP' })
  postedToErp!: boolean;

  @ApiPropertyOptional({ description: "The ERP's document number" })
  erpDocument?: string;

  @ApiProperty({ type: [ReconciliationVariance] })
  variances!: ReconciliationVariance[];

  @ApiProperty({ type: ReconciliationLinks })
  links!: ReconciliationLinks;
}

export const REVENUE_VARIANCE_CAUSES = ['revenue_out_of_balance', 'revenue_not_released'] as const;
export type RevenueVarianceCause = (typeof REVENUE_VARIANCE_CAUSES)[number];

export class RevenueVariance {
  @ApiProperty({ enum: REVENUE_VARIANCE_CAUSES })
  cause!: RevenueVarianceCause;

  @ApiProperty({ description: 'What differs and why, in words' })
  detail!: string;

  @ApiProperty({ description: 'The amount the variance is about', example: '100.00' })
  amount!: string;
}

export class RevenueReconciliation {
  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ description: 'Invoice lines posted to the ERP up to the end of the period' })
  billed!: string;

  @ApiProperty({ description: 'Recognized up to the end of the period' })
  recognized!: string;

  @ApiProperty({ description: 'Deferred at the end of the period' })
  deferred!: string;

  @ApiProperty({ description: 'billed = recognized + deferred' })
  balanced!: boolean;

  @ApiProperty({
    description: 'Deferred revenue the period recognizes, to be released by journals',
  })
  toRelease!: string;

  @ApiProperty({ description: 'Released by the revenue journals posted to the ERP for the period' })
  released!: string;

  @ApiProperty({ type: [RevenueVariance] })
  variances!: RevenueVariance[];

  @ApiProperty({
    description: 'The waterfall and the close',
    example: {
      waterfall: '/u2r/v1/periods/2026-01/revenue',
      close: '/u2r/v1/periods/2026-01/close',
    },
  })
  links!: Record<string, string>;
}

export class ReconciliationResponse {
  @ApiProperty({ example: '2026-01' })
  period!: string;

  @ApiProperty({ description: 'Rows (customer, subscription, meter)' })
  rows!: number;

  @ApiProperty({ description: 'Rows with at least one variance' })
  rowsWithVariances!: number;

  @ApiProperty({ description: 'Usage events of the period in the ledger' })
  eventsIngested!: number;

  @ApiProperty({ type: [ReconciliationRow] })
  lines!: ReconciliationRow[];

  @ApiProperty({
    type: [RevenueReconciliation],
    description: 'Per legal entity and currency: billed = recognized + deferred, and the release',
  })
  revenue!: RevenueReconciliation[];
}
