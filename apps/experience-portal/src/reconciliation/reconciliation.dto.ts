import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class PortalReconciliationQuery {
  @ApiProperty({ example: '2026-11', description: 'The accounting period (YYYY-MM)' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be written YYYY-MM, e.g. 2026-01' })
  period!: string;

  @ApiPropertyOptional({
    example: 'US01',
    description: 'One legal entity; absent: every one you may see',
  })
  @IsOptional()
  @Matches(/^[A-Z0-9][A-Z0-9_-]{1,19}$/, {
    message: 'legalEntity must be a legal entity code such as US01',
  })
  legalEntity?: string;
}

export const BOOKING_VARIANCES = [
  'booking_without_order',
  'order_needs_attention',
  'order_not_invoiced',
  'invoice_not_posted',
  'receivable_amount_differs',
] as const;

export class RecordLinks {
  @ApiProperty({ description: 'The per-deal trace in this API' }) trace!: string;
  @ApiPropertyOptional({ description: 'The order in the quote-to-cash API' }) order?: string;
  @ApiPropertyOptional({ description: 'The open exception in this API' }) exception?: string;
  @ApiPropertyOptional({ description: 'The invoice in the billing API' }) invoice?: string;
  @ApiPropertyOptional({ description: 'The receivable in the ERP API' }) receivable?: string;
}

export class BookingVariance {
  @ApiProperty({ enum: BOOKING_VARIANCES }) cause!: string;
  @ApiProperty({ description: 'What differs and why, in words' }) detail!: string;
}

export class BookingRow {
  @ApiProperty({ format: 'uuid' }) opportunityId!: string;
  @ApiProperty() opportunityName!: string;
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty({ example: 'US01' }) legalEntity!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ format: 'date-time', description: 'When it was closed-won' }) bookedAt!: string;
  @ApiProperty({ example: '12000.00', description: 'The deal amount (decimal string)' })
  bookingAmount!: string;
  @ApiPropertyOptional({ format: 'uuid' }) orderId?: string;
  @ApiPropertyOptional() orderStatus?: string;
  @ApiPropertyOptional() invoiceNumber?: string;
  @ApiPropertyOptional() invoiceStatus?: string;
  @ApiPropertyOptional({ description: 'Invoice total, tax included (decimal string)' })
  invoiceTotal?: string;
  @ApiPropertyOptional() receivableNumber?: string;
  @ApiPropertyOptional({ description: 'Receivable total in the ERP (decimal string)' })
  receivableTotal?: string;
  @ApiProperty({ type: [BookingVariance] }) variances!: BookingVariance[];
  @ApiProperty({ type: RecordLinks }) links!: RecordLinks;
}

export class CurrencyTotals {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ description: 'Closed-won deal amounts' }) booked!: string;
  @ApiProperty({ description: 'Totals of their invoices' }) invoiced!: string;
  @ApiProperty({ description: 'Totals of their receivables in the ERP' }) receivables!: string;
}

export class BookingsSection {
  @ApiProperty() bookings!: number;
  @ApiProperty({ description: 'Bookings with an order' }) ordered!: number;
  @ApiProperty({ description: 'Orders with a finalized invoice' }) invoiced!: number;
  @ApiProperty({ description: 'Invoices with their receivable in the ERP' }) posted!: number;
  @ApiProperty() rowsWithVariances!: number;
  @ApiProperty({ type: [CurrencyTotals] }) totals!: CurrencyTotals[];
  @ApiProperty({ type: [BookingRow], description: 'Each booking of the period' })
  rows!: BookingRow[];
  @ApiProperty({ description: 'More records than PORTAL_SCAN_LIMIT: the section is partial' })
  truncated!: boolean;
}

export class UsageVarianceRow {
  @ApiPropertyOptional() customerId?: string;
  @ApiPropertyOptional() subscriptionId?: string;
  @ApiProperty() meterCode!: string;
  @ApiProperty() cause!: string;
  @ApiProperty() detail!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  links!: Record<string, string>;
}

export class UsageSection {
  @ApiProperty({ description: 'Usage events of the period in the ledger' }) eventsIngested!: number;
  @ApiProperty({ description: 'Rows (customer, subscription, meter)' }) rows!: number;
  @ApiProperty({ description: 'Rows rated' }) rated!: number;
  @ApiProperty({ description: 'Rows on an invoice' }) invoiced!: number;
  @ApiProperty({ description: 'Rows whose invoice is posted to the ERP' }) posted!: number;
  @ApiProperty() rowsWithVariances!: number;
  @ApiProperty({ type: [UsageVarianceRow] }) variances!: UsageVarianceRow[];
}

export class RevenueRow {
  @ApiProperty() legalEntity!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() billed!: string;
  @ApiProperty() recognized!: string;
  @ApiProperty() deferred!: string;
  @ApiProperty({ description: 'billed = recognized + deferred' }) balanced!: boolean;
  @ApiProperty({ description: 'Released by the revenue journals of the period' }) released!: string;
  @ApiProperty({ type: [String], description: 'Variances, in words' }) variances!: string[];
}

export class PortalReconciliationResponse {
  @ApiProperty() period!: string;
  @ApiPropertyOptional() legalEntity?: string;
  @ApiProperty({ type: BookingsSection, description: 'Bookings ↔ invoices ↔ receivables' })
  bookings!: BookingsSection;
  @ApiPropertyOptional({ type: UsageSection, description: 'The usage funnel' })
  usage?: UsageSection;
  @ApiProperty({ type: [RevenueRow], description: 'billed = recognized + deferred' })
  revenue!: RevenueRow[];
  @ApiProperty({
    type: [String],
    description: 'APIs that did not answer: their sections are missing',
  })
  unavailable!: string[];
}
