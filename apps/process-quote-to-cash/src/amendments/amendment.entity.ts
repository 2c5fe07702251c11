import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { StepState, TrackedRecord, WorkException, WorkStatus } from '../work/tracked';
import type { AmendmentRefs, AmendmentRequestData } from './amendment-model';

/** A change to an active order's contract, on its way through billing, the ERP and the CRM. */
@Entity({ name: 'amendments' })
@Index('idx_amendments_order', ['orderId', 'createdAt'])
@Index('idx_amendments_status', ['status', 'updatedAt'])
export class AmendmentEntity implements TrackedRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'opportunity_id', type: 'uuid' })
  opportunityId!: string;

  @Column({ name: 'account_id', type: 'uuid', nullable: true })
  accountId!: string | null;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20, nullable: true })
  legalEntity!: string | null;

  @Column({ type: 'varchar', length: 30 })
  type!: string;

  @Column({ type: 'jsonb' })
  request!: AmendmentRequestData;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128 })
  correlationId!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: WorkStatus;

  @Column({ name: 'current_step', type: 'varchar', length: 40, nullable: true })
  currentStep!: string | null;

  @Column({ type: 'jsonb' })
  steps!: Record<string, StepState>;

  @Column({ type: 'jsonb' })
  refs!: AmendmentRefs;

  @Column({ type: 'jsonb', nullable: true })
  exception!: WorkException | null;

  @Column({ name: 'last_error', type: 'jsonb', nullable: true })
  lastError!: WorkException | null;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'created_by', type: 'varchar', length: 200 })
  createdBy!: string;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
