import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from 'typeorm';
import type {
  AmendmentOutcome,
  AmendmentTypeValue,
  BillingInterval,
  CreditMemoLineType,
  CreditMemoReason,
  CreditMemoTaxStatus,
  InvoiceLineType,
  InvoiceStatus,
  InvoiceTaxStatus,
  LineSourceKind,
  LineTaxStatus,
  OneTimeRecognition,
  PaymentMethod,
  PaymentStatus,
  PaymentTerms,
  PriceType,
  ProrationBehavior,
  SubscriptionStatus,
  Taxability,
  UsageType,
} from '@revgate/canonical';
import type { PriceDefinition } from '../../pricing';
import type {
  AmendmentLine,
  PendingFinalization,
  PostalAddress,
  UsagePricing,
} from '../billing-provider.port';

// Storage of the sandbox adapter: a simulation of Stripe's billing objects in the app's own schema.
// Amounts are numeric(24,4) (every currency has at most 4 minor-unit decimals); unit amounts and
// quantities keep their exact decimals.

@Entity({ name: 'customers' })
@Index('idx_customers_updated', ['updatedAt', 'id'])
@Index('idx_customers_legal_entity', ['legalEntity'])
export class CustomerEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('uq_customers_external_id', { unique: true })
  @Column({ name: 'external_id', type: 'varchar', length: 100, nullable: true })
  externalId!: string | null;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ name: 'bill_to', type: 'jsonb' })
  billTo!: PostalAddress;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ name: 'payment_terms', type: 'varchar', length: 20 })
  paymentTerms!: PaymentTerms;

  @Column({ name: 'tax_exemption_number', type: 'varchar', length: 25, nullable: true })
  taxExemptionNumber!: string | null;

  @Column({ name: 'vat_id', type: 'varchar', length: 20, nullable: true })
  vatId!: string | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'products' })
@Index('idx_products_updated', ['updatedAt', 'id'])
export class ProductEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('uq_products_external_id', { unique: true })
  @Column({ name: 'external_id', type: 'varchar', length: 100, nullable: true })
  externalId!: string | null;

  @Index('uq_products_sku', { unique: true })
  @Column({ type: 'varchar', length: 50, nullable: true })
  sku!: string | null;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  @Column({ name: 'tax_code', type: 'varchar', length: 25 })
  taxCode!: string;

  @Column({ type: 'varchar', length: 64, default: 'general' })
  family!: string;

  @Column({ name: 'one_time_recognition', type: 'varchar', length: 20, default: 'point_in_time' })
  oneTimeRecognition!: OneTimeRecognition;

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'prices' })
@Index('idx_prices_updated', ['updatedAt', 'id'])
@Index('idx_prices_product', ['productId'])
export class PriceEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('uq_prices_external_id', { unique: true })
  @Column({ name: 'external_id', type: 'varchar', length: 100, nullable: true })
  externalId!: string | null;

  @ManyToOne(() => ProductEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id' })
  product?: ProductEntity;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  nickname!: string | null;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 10 })
  type!: PriceType;

  @Column({ name: 'billing_interval', type: 'varchar', length: 5, nullable: true })
  interval!: BillingInterval | null;

  @Column({ name: 'usage_type', type: 'varchar', length: 10, nullable: true })
  usageType!: UsageType | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  meter!: string | null;

  /** The pricing engine's PriceDefinition, exactly as validated. */
  @Column({ type: 'jsonb' })
  definition!: PriceDefinition;

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'subscriptions' })
@Index('idx_subscriptions_updated', ['updatedAt', 'id'])
@Index('idx_subscriptions_customer', ['customerId'])
export class SubscriptionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('uq_subscriptions_external_id', { unique: true })
  @Column({ name: 'external_id', type: 'varchar', length: 100, nullable: true })
  externalId!: string | null;

  @ManyToOne(() => CustomerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id' })
  customer?: CustomerEntity;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'billing_interval', type: 'varchar', length: 5 })
  billingInterval!: BillingInterval;

  @Column({ name: 'anchor_date', type: 'date' })
  anchorDate!: string;

  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate!: string | null;

  @Column({ type: 'varchar', length: 10 })
  status!: SubscriptionStatus;

  @Column({ name: 'cancel_at_period_end', type: 'boolean' })
  cancelAtPeriodEnd!: boolean;

  @Column({ name: 'canceled_at', type: 'timestamptz', nullable: true })
  canceledAt!: Date | null;

  @Column({ name: 'billed_through', type: 'date' })
  billedThrough!: string;

  @OneToMany(() => SubscriptionItemEntity, (item) => item.subscription)
  items?: SubscriptionItemEntity[];

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'subscription_items' })
@Index('idx_subscription_items_subscription', ['subscriptionId', 'position'])
export class SubscriptionItemEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => SubscriptionEntity, (s) => s.items, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id' })
  subscription?: SubscriptionEntity;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @ManyToOne(() => PriceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'price_id' })
  price?: PriceEntity;

  @Column({ name: 'price_id', type: 'uuid' })
  priceId!: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Column({ name: 'usage_type', type: 'varchar', length: 10 })
  usageType!: UsageType;

  @Column({ type: 'numeric', precision: 18, scale: 6, nullable: true })
  quantity!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  meter!: string | null;

  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom!: string;
}

@Entity({ name: 'amendments' })
@Index('idx_amendments_subscription', ['subscriptionId', 'createdAt'])
export class AmendmentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => SubscriptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id' })
  subscription?: SubscriptionEntity;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId!: string;

  @Column({ type: 'varchar', length: 30 })
  type!: AmendmentTypeValue;

  @Column({ name: 'effective_date', type: 'date' })
  effectiveDate!: string;

  @Column({ name: 'proration_behavior', type: 'varchar', length: 20 })
  prorationBehavior!: ProrationBehavior;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'jsonb' })
  lines!: AmendmentLine[];

  @Column({ type: 'numeric', precision: 24, scale: 4 })
  total!: string;

  @Column({ type: 'varchar', length: 20 })
  outcome!: AmendmentOutcome;

  @Column({ name: 'credit_memo_id', type: 'uuid', nullable: true })
  creditMemoId!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 200 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'invoices' })
@Index('idx_invoices_updated', ['updatedAt', 'id'])
@Index('idx_invoices_customer', ['customerId'])
@Index('idx_invoices_subscription', ['subscriptionId'])
export class InvoiceEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('uq_invoices_number', { unique: true })
  @Column({ type: 'varchar', length: 40, nullable: true })
  number!: string | null;

  @Column({ type: 'varchar', length: 15 })
  status!: InvoiceStatus;

  @ManyToOne(() => CustomerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id' })
  customer?: CustomerEntity;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @ManyToOne(() => SubscriptionEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'subscription_id' })
  subscription?: SubscriptionEntity;

  @Column({ name: 'subscription_id', type: 'uuid', nullable: true })
  subscriptionId!: string | null;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'payment_terms', type: 'varchar', length: 20 })
  paymentTerms!: PaymentTerms;

  @Column({ name: 'issue_date', type: 'date', nullable: true })
  issueDate!: string | null;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate!: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  memo!: string | null;

  @Column({ type: 'numeric', precision: 24, scale: 4 })
  subtotal!: string;

  @Column({ name: 'total_tax', type: 'numeric', precision: 24, scale: 4 })
  totalTax!: string;

  @Column({ type: 'numeric', precision: 24, scale: 4 })
  total!: string;

  @Column({ name: 'amount_paid', type: 'numeric', precision: 24, scale: 4 })
  amountPaid!: string;

  @Column({ name: 'amount_credited', type: 'numeric', precision: 24, scale: 4 })
  amountCredited!: string;

  @Column({ name: 'tax_status', type: 'varchar', length: 20 })
  taxStatus!: InvoiceTaxStatus;

  @Column({ name: 'tax_transaction_code', type: 'varchar', length: 50, nullable: true })
  taxTransactionCode!: string | null;

  @Column({ name: 'tax_notes', type: 'jsonb' })
  taxNotes!: string[];

  @OneToMany(() => InvoiceLineEntity, (line) => line.invoice)
  lines?: InvoiceLineEntity[];

  @Column({ name: 'finalized_at', type: 'timestamptz', nullable: true })
  finalizedAt!: Date | null;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true })
  voidedAt!: Date | null;

  @Column({ name: 'void_reason', type: 'varchar', length: 255, nullable: true })
  voidReason!: string | null;

  @Column({ name: 'uncollectible_at', type: 'timestamptz', nullable: true })
  uncollectibleAt!: Date | null;

  /** A draft's finalization begun and not finished (PendingFinalization in the port). */
  @Column({ name: 'pending_finalization', type: 'jsonb', nullable: true })
  pendingFinalization!: PendingFinalization | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** An invoice line; with no invoice yet, a line waiting for the next invoice (Stripe's InvoiceItem). */
@Entity({ name: 'invoice_lines' })
@Index('idx_invoice_lines_invoice', ['invoiceId', 'position'])
@Index('idx_invoice_lines_pending', ['subscriptionId'], { where: 'invoice_id IS NULL' })
@Index('idx_invoice_lines_usage_period', ['subscriptionItemId', 'periodFrom', 'periodTo'], {
  where: "source_kind = 'usage'",
})
@Index('uq_invoice_lines_usage_ref', ['subscriptionId', 'sourceRef'], {
  unique: true,
  where: "source_kind = 'usage'",
})
export class InvoiceLineEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => InvoiceEntity, (i) => i.lines, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: InvoiceEntity;

  @Column({ name: 'invoice_id', type: 'uuid', nullable: true })
  invoiceId!: string | null;

  @Column({ type: 'integer', nullable: true })
  position!: number | null;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ name: 'subscription_id', type: 'uuid', nullable: true })
  subscriptionId!: string | null;

  @Column({ type: 'varchar', length: 15 })
  type!: InvoiceLineType;

  @Column({ type: 'varchar', length: 500 })
  description!: string;

  @Column({ name: 'product_id', type: 'uuid', nullable: true })
  productId!: string | null;

  @Column({ name: 'price_id', type: 'uuid', nullable: true })
  priceId!: string | null;

  @Column({ name: 'subscription_item_id', type: 'uuid', nullable: true })
  subscriptionItemId!: string | null;

  @Column({ type: 'numeric', precision: 18, scale: 6, nullable: true })
  quantity!: string | null;

  /** Exact: unit prices may carry more decimals than the currency. */
  @Column({ name: 'unit_amount', type: 'numeric', nullable: true })
  unitAmount!: string | null;

  @Column({ type: 'numeric', precision: 24, scale: 4 })
  amount!: string;

  @Column({ name: 'period_from', type: 'date', nullable: true })
  periodFrom!: string | null;

  @Column({ name: 'period_to', type: 'date', nullable: true })
  periodTo!: string | null;

  @Column({ type: 'boolean' })
  proration!: boolean;

  @Column({ name: 'source_kind', type: 'varchar', length: 30 })
  sourceKind!: LineSourceKind;

  @Column({ name: 'source_id', type: 'uuid', nullable: true })
  sourceId!: string | null;

  @Column({ name: 'source_ref', type: 'varchar', length: 200, nullable: true })
  sourceRef!: string | null;

  @Column({ name: 'applies_to_line_id', type: 'uuid', nullable: true })
  appliesToLineId!: string | null;

  @Column({ name: 'tax_code', type: 'varchar', length: 25, nullable: true })
  taxCode!: string | null;

  @Column({ name: 'tax_status', type: 'varchar', length: 20, nullable: true })
  taxStatus!: LineTaxStatus | null;

  @Column({ name: 'tax_rate', type: 'numeric', nullable: true })
  taxRate!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  taxability!: Taxability | null;

  @Column({ type: 'jsonb', nullable: true })
  jurisdiction!: { country: string; region?: string; name: string; taxName: string } | null;

  /** Usage lines: the meter and how the running total of the period was priced. */
  @Column({ type: 'jsonb', nullable: true })
  usage!: UsagePricing | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'credit_memos' })
@Index('idx_credit_memos_updated', ['updatedAt', 'id'])
@Index('idx_credit_memos_customer', ['customerId', 'createdAt'])
@Index('idx_credit_memos_invoice', ['invoiceId'])
export class CreditMemoEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('uq_credit_memos_number', { unique: true })
  @Column({ type: 'varchar', length: 40 })
  number!: string;

  @Column({ name: 'invoice_id', type: 'uuid', nullable: true })
  invoiceId!: string | null;

  @ManyToOne(() => CustomerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id' })
  customer?: CustomerEntity;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ name: 'subscription_id', type: 'uuid', nullable: true })
  subscriptionId!: string | null;

  @Column({ name: 'amendment_id', type: 'uuid', nullable: true })
  amendmentId!: string | null;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 30 })
  reason!: CreditMemoReason;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  memo!: string | null;

  @Column({ type: 'numeric', precision: 24, scale: 4 })
  subtotal!: string;

  @Column({ name: 'total_tax', type: 'numeric', precision: 24, scale: 4 })
  totalTax!: string;

  @Column({ type: 'numeric', precision: 24, scale: 4 })
  total!: string;

  @Column({ name: 'applied_amount', type: 'numeric', precision: 24, scale: 4 })
  appliedAmount!: string;

  @OneToMany(() => CreditMemoLineEntity, (line) => line.creditMemo)
  lines?: CreditMemoLineEntity[];

  @OneToMany(() => CreditMemoApplicationEntity, (a) => a.creditMemo)
  applications?: CreditMemoApplicationEntity[];

  @Column({ name: 'tax_status', type: 'varchar', length: 20, default: 'not_reported' })
  taxStatus!: CreditMemoTaxStatus;

  @Column({ name: 'tax_transaction_code', type: 'varchar', length: 50, nullable: true })
  taxTransactionCode!: string | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'credit_memo_lines' })
@Index('idx_credit_memo_lines_memo', ['creditMemoId', 'position'])
export class CreditMemoLineEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => CreditMemoEntity, (m) => m.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'credit_memo_id' })
  creditMemo?: CreditMemoEntity;

  @Column({ name: 'credit_memo_id', type: 'uuid' })
  creditMemoId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'varchar', length: 15 })
  type!: CreditMemoLineType;

  @Column({ type: 'varchar', length: 500 })
  description!: string;

  @Column({ name: 'invoice_line_id', type: 'uuid', nullable: true })
  invoiceLineId!: string | null;

  @Column({ name: 'period_from', type: 'date', nullable: true })
  periodFrom!: string | null;

  @Column({ name: 'period_to', type: 'date', nullable: true })
  periodTo!: string | null;

  @Column({ type: 'numeric', precision: 24, scale: 4 })
  amount!: string;

  @Column({ name: 'tax_rate', type: 'numeric', nullable: true })
  taxRate!: string | null;
}

@Entity({ name: 'credit_memo_applications' })
@Index('idx_credit_memo_applications_memo', ['creditMemoId'])
@Index('idx_credit_memo_applications_invoice', ['invoiceId'])
export class CreditMemoApplicationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => CreditMemoEntity, (m) => m.applications, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'credit_memo_id' })
  creditMemo?: CreditMemoEntity;

  @Column({ name: 'credit_memo_id', type: 'uuid' })
  creditMemoId!: string;

  @ManyToOne(() => InvoiceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: InvoiceEntity;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId!: string;

  @Column({ type: 'numeric', precision: 24, scale: 4 })
  amount!: string;

  @Column({ name: 'applied_at', type: 'timestamptz' })
  appliedAt!: Date;
}

@Entity({ name: 'payments' })
@Index('idx_payments_updated', ['updatedAt', 'id'])
@Index('idx_payments_invoice', ['invoiceId'])
export class PaymentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => InvoiceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: InvoiceEntity;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'numeric', precision: 24, scale: 4 })
  amount!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: PaymentStatus;

  @Index('uq_payments_reference', { unique: true })
  @Column({ type: 'varchar', length: 200 })
  reference!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  method!: PaymentMethod | null;

  @Column({ name: 'failure_reason', type: 'varchar', length: 255, nullable: true })
  failureReason!: string | null;

  @Column({ name: 'refund_reason', type: 'varchar', length: 255, nullable: true })
  refundReason!: string | null;

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt!: Date | null;

  @Column({ name: 'refunded_at', type: 'timestamptz', nullable: true })
  refundedAt!: Date | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * The last number used per legal entity, series (INV, CM) and year. Taken under a row lock in the
 * transaction that issues the document, so a number is used exactly when its document commits: no
 * gaps, no duplicates.
 */
@Entity({ name: 'document_sequences' })
export class DocumentSequenceEntity {
  @PrimaryColumn({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @PrimaryColumn({ type: 'varchar', length: 5 })
  series!: string;

  @PrimaryColumn({ type: 'integer' })
  year!: number;

  @Column({ name: 'last_number', type: 'integer' })
  lastNumber!: number;
}
