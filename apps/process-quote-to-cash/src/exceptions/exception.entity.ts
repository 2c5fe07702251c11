import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const EXCEPTION_STATUSES = ['open', 'retried', 'cleared', 'resolved', 'cancelled'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];
export const WORK_TYPES = ['order', 'amendment'] as const;
export type WorkType = (typeof WORK_TYPES)[number];

/**
 * An exception: a time a piece of work (an order, an amendment) waited on something, in business
 * terms — raised when it parks, closed when it goes on (retried by an operator, or cleared by
 * itself after an outage), is resolved with a reason, or is cancelled (compensated).
 */
@Entity({ name: 'exceptions' })
@Index('idx_exceptions_updated', ['updatedAt', 'id'])
@Index('idx_exceptions_status', ['status', 'raisedAt'])
@Index('idx_exceptions_work', ['workId', 'raisedAt'])
export class ExceptionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'work_type', type: 'varchar', length: 20 })
  workType!: WorkType;

  @Column({ name: 'work_id', type: 'uuid' })
  workId!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'opportunity_id', type: 'uuid' })
  opportunityId!: string;

  @Column({ name: 'account_id', type: 'uuid', nullable: true })
  accountId!: string | null;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20, nullable: true })
  legalEntity!: string | null;

  /** The accounting period it concerns (a closed ERP period), when there is one. */
  @Column({ type: 'char', length: 7, nullable: true })
  period!: string | null;

  @Column({ type: 'varchar', length: 40 })
  step!: string;

  @Column({ type: 'varchar', length: 60 })
  code!: string;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Column({ type: 'varchar', length: 2000 })
  detail!: string;

  @Column({ name: 'what_to_fix', type: 'varchar', length: 1000 })
  whatToFix!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  system!: string | null;

  @Column({ name: 'system_code', type: 'varchar', length: 100, nullable: true })
  systemCode!: string | null;

  @Column({ type: 'boolean' })
  transient!: boolean;

  @Column({ type: 'varchar', length: 20 })
  status!: ExceptionStatus;

  @Column({ name: 'raised_at', type: 'timestamptz' })
  raisedAt!: Date;

  @Column({ name: 'retry_at', type: 'timestamptz', nullable: true })
  retryAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'closed_by', type: 'varchar', length: 200, nullable: true })
  closedBy!: string | null;

  @Column({ name: 'close_reason', type: 'varchar', length: 1000, nullable: true })
  closeReason!: string | null;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128 })
  correlationId!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
