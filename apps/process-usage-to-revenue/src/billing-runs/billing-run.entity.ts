import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const RUN_STATUSES = ['running', 'completed', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A billing run: its business key is its id (billing-run:<period>:<entities>), so it runs once. */
@Entity({ name: 'billing_runs' })
export class BillingRunEntity {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  id!: string;

  @Column({ type: 'varchar', length: 7 })
  period!: string;

  /** Legal entities billed; empty means all. */
  @Column({ type: 'varchar', array: true, length: 20 })
  entities!: string[];

  @Column({ type: 'varchar', length: 12 })
  status!: RunStatus;

  /** Subscriptions the run bills, once planned. */
  @Column({ type: 'integer', nullable: true })
  total!: number | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  error!: string | null;

  @Column({ name: 'started_by', type: 'varchar', length: 200 })
  startedBy!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}

export const ITEM_STATUSES = [
  'pending',
  'invoiced',
  'posted',
  'nothing_to_invoice',
  'failed',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/**
 * A subscription billed for a period: at most one per period, whichever run bills it, so a period
 * run again (or by another entity filter) bills nothing twice.
 */
@Entity({ name: 'billed_subscriptions' })
@Index('idx_billed_subscriptions_run', ['runId', 'chunk'])
@Index('uq_billed_subscriptions_invoice', ['invoiceId'], {
  unique: true,
  where: 'invoice_id is not null',
})
export class BilledSubscriptionEntity {
  @PrimaryColumn({ type: 'varchar', length: 7 })
  period!: string;

  @PrimaryColumn({ name: 'subscription_id', type: 'varchar', length: 128 })
  subscriptionId!: string;

  @Column({ name: 'run_id', type: 'varchar', length: 200 })
  runId!: string;

  @Column({ type: 'integer' })
  chunk!: number;

  @Column({ name: 'customer_id', type: 'varchar', length: 128 })
  customerId!: string;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: ItemStatus;

  @Column({ name: 'invoice_id', type: 'uuid', nullable: true })
  invoiceId!: string | null;

  @Column({ name: 'invoice_number', type: 'varchar', length: 50, nullable: true })
  invoiceNumber!: string | null;

  @Column({ type: 'numeric', nullable: true })
  total!: string | null;

  /** The finalized invoice as billing answered it. */
  @Column({ type: 'jsonb', nullable: true })
  invoice!: Record<string, unknown> | null;

  /** The ERP's posting: document number and, per line, its account and whether it was deferred. */
  @Column({ type: 'jsonb', nullable: true })
  posting!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  problem!: { step: string; code: string; detail: string } | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Billing products as the ERP needs them (its item code is the sku). */
@Entity({ name: 'billing_products' })
export class BillingProductEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  id!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  sku!: string | null;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  /** Revenue is summarized per family; null for products read before families existed. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  family!: string | null;

  @Column({ name: 'one_time_recognition', type: 'varchar', length: 20, nullable: true })
  oneTimeRecognition!: string | null;
}

/** ERP customers this app made sure exist (find-or-create by external id), per legal entity. */
@Entity({ name: 'erp_customers' })
export class ErpCustomerEntity {
  @PrimaryColumn({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @PrimaryColumn({ name: 'external_id', type: 'varchar', length: 128 })
  externalId!: string;

  @Column({ name: 'ensured_at', type: 'timestamptz' })
  ensuredAt!: Date;
}
