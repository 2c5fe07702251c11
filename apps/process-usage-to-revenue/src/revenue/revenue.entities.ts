import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The revenue schedule of one posted invoice line: written with the ERP posting, in the same
 * transaction, so every posted line has exactly one. `deferred` says the ERP booked it to deferred
 * revenue (the period close releases it); otherwise the ERP booked it to revenue when posted, and
 * its one entry is the posting period.
 */
@Entity({ name: 'revenue_schedules' })
@Index('uq_revenue_schedules_line', ['invoiceId', 'invoiceLineId'], { unique: true })
@Index('idx_revenue_schedules_entity', ['legalEntity', 'currency', 'postingPeriod'])
export class RevenueScheduleEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  /** The document's external id in the ERP: the billing invoice or credit memo id. */
  @Column({ name: 'invoice_id', type: 'varchar', length: 128 })
  invoiceId!: string;

  @Column({ name: 'invoice_number', type: 'varchar', length: 50, nullable: true })
  invoiceNumber!: string | null;

  @Column({ name: 'invoice_line_id', type: 'varchar', length: 128 })
  invoiceLineId!: string;

  /** invoice, or credit_memo (its schedule negative: it takes revenue back). */
  @Column({ name: 'document_type', type: 'varchar', length: 12 })
  documentType!: 'invoice' | 'credit_memo';

  /**
   * billing_run: recorded with the run's posting, from billing's invoice lines; erp: an AR
   * document another flow posted (quote-to-cash), read back from the ERP when a period is closed.
   */
  @Column({ type: 'varchar', length: 12 })
  source!: 'billing_run' | 'erp';

  /** Known for the documents a billing run posted. */
  @Column({ name: 'subscription_id', type: 'varchar', length: 128, nullable: true })
  subscriptionId!: string | null;

  /** The billing customer id, or the ERP customer's external id for documents read from the ERP. */
  @Column({ name: 'customer_id', type: 'varchar', length: 128 })
  customerId!: string;

  @Column({ name: 'product_id', type: 'varchar', length: 128, nullable: true })
  productId!: string | null;

  @Column({ name: 'product_family', type: 'varchar', length: 64 })
  productFamily!: string;

  @Column({ name: 'item_code', type: 'varchar', length: 50 })
  itemCode!: string;

  @Column({ name: 'line_type', type: 'varchar', length: 20 })
  lineType!: string;

  @Column({ type: 'varchar', length: 20 })
  method!: string;

  @Column({ type: 'numeric' })
  total!: string;

  @Column({ type: 'boolean' })
  deferred!: boolean;

  @Column({ name: 'deferred_account', type: 'varchar', length: 20, nullable: true })
  deferredAccount!: string | null;

  @Column({ name: 'revenue_account', type: 'varchar', length: 20 })
  revenueAccount!: string;

  /** The ERP period the invoice was posted in (YYYY-MM). */
  @Column({ name: 'posting_period', type: 'varchar', length: 7 })
  postingPeriod!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** What a schedule recognizes in one period; a schedule's entries sum to its total. */
@Entity({ name: 'revenue_schedule_entries' })
@Index('idx_revenue_schedule_entries_period', ['period'])
export class RevenueScheduleEntryEntity {
  @PrimaryColumn({ name: 'schedule_id', type: 'uuid' })
  scheduleId!: string;

  @PrimaryColumn({ type: 'varchar', length: 7 })
  period!: string;

  @Column({ type: 'numeric' })
  amount!: string;
}

export const CLOSE_STATUSES = ['running', 'completed', 'failed'] as const;
export type CloseStatus = (typeof CLOSE_STATUSES)[number];

/**
 * A period's revenue close: one row per period; each time it is started (attempt 1, 2 …) its
 * workflow, revenue-close:<period>:<attempt>, releases what the journals posted before have not.
 */
@Entity({ name: 'revenue_closes' })
export class RevenueCloseEntity {
  @PrimaryColumn({ type: 'varchar', length: 7 })
  period!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: CloseStatus;

  /** 1, then one more each time a failed close is started again (its workflow id has it). */
  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  error!: string | null;

  @Column({ name: 'started_by', type: 'varchar', length: 200 })
  startedBy!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}

export const JOURNAL_STATUSES = ['pending', 'posted', 'refused'] as const;
export type JournalStatus = (typeof JOURNAL_STATUSES)[number];

/**
 * A revenue journal of a period for one legal entity and currency: its lines are fixed when the
 * close plans it, and its external id in the ERP (revenue:<period>:<entity>:<currency>, then
 * :2, :3 … for what a later close releases) makes a repeated posting find the first.
 */
@Entity({ name: 'revenue_journals' })
export class RevenueJournalEntity {
  @PrimaryColumn({ type: 'varchar', length: 7 })
  period!: string;

  @PrimaryColumn({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @PrimaryColumn({ type: 'char', length: 3 })
  currency!: string;

  /** 1 for the first close of the period, then one more per close that had more to release. */
  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  /** What it releases per deferred account, revenue account and product family (JournalSource[]). */
  @Column({ type: 'jsonb' })
  sources!: object[];

  @Column({ name: 'external_id', type: 'varchar', length: 100 })
  externalId!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: JournalStatus;

  /** The revenue released: the sum of the period's entries of deferred schedules. */
  @Column({ type: 'numeric' })
  amount!: string;

  /** Dr deferred revenue, Cr revenue, per account pair and product family. */
  @Column({ type: 'jsonb' })
  lines!: object[];

  @Column({ name: 'erp_number', type: 'varchar', length: 50, nullable: true })
  erpNumber!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  problem!: { code: string; detail: string } | null;

  @Column({ name: 'posted_at', type: 'timestamptz', nullable: true })
  postedAt!: Date | null;
}
