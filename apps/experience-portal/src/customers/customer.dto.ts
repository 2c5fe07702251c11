import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class CustomerView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'US01' }) legalEntity!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiPropertyOptional() email?: string;
}

export class CustomerSubscriptionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['active', 'past_due', 'canceled'] }) status!: string;
  @ApiProperty({ example: 'month' }) billingInterval!: string;
  @ApiProperty({ format: 'date' }) startDate!: string;
  @ApiPropertyOptional({ format: 'date' }) billedThrough?: string;
  @ApiProperty({ description: 'Items: product, quantity, and the meter for usage items' })
  items!: { productId: string; quantity?: string; meter?: string }[];
}

export class CustomerInvoiceView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiPropertyOptional() number?: string;
  @ApiProperty({ enum: ['draft', 'finalized', 'paid', 'void', 'uncollectible'] }) status!: string;
  @ApiPropertyOptional({ format: 'date' }) issueDate?: string;
  @ApiPropertyOptional({ format: 'date' }) dueDate?: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ description: 'Decimal string' }) total!: string;
  @ApiProperty({ description: 'Decimal string' }) amountRemaining!: string;
}

export class CustomerPaymentView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) invoiceId!: string;
  @ApiProperty({ enum: ['settled', 'failed', 'refunded'] }) status!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ description: 'Decimal string' }) amount!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class MeterUsageView {
  @ApiProperty() meterCode!: string;
  @ApiProperty() events!: number;
  @ApiProperty({ description: 'Decimal string' }) quantity!: string;
}

export class SubscriptionUsageView {
  @ApiProperty({ format: 'uuid' }) subscriptionId!: string;
  @ApiProperty({ type: [MeterUsageView] }) meters!: MeterUsageView[];
}

export class CustomerUsageView {
  @ApiProperty({ example: '2026-11', description: 'This period (UTC)' }) period!: string;
  @ApiProperty({ type: [SubscriptionUsageView] }) subscriptions!: SubscriptionUsageView[];
}

export class CustomerBillingResponse {
  @ApiProperty({ type: CustomerView }) customer!: CustomerView;
  @ApiProperty({ type: [CustomerSubscriptionView] }) subscriptions!: CustomerSubscriptionView[];
  @ApiProperty({ type: [CustomerInvoiceView], description: 'Newest change last, at most 100' })
  invoices!: CustomerInvoiceView[];
  @ApiProperty({ type: [CustomerPaymentView], description: 'At most 100' })
  payments!: CustomerPaymentView[];
  @ApiPropertyOptional({
    type: CustomerUsageView,
    description: 'Usage to date this period; absent when usage-to-revenue did not answer',
  })
  usage?: CustomerUsageView;
}
