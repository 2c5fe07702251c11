import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { StepState, TrackedRecord, WorkException, WorkStatus } from '../work/tracked';
import type { OrderRefs } from './order-model';

/** An order: one closed-won opportunity on its way to an active, invoiced, posted contract. */
@Entity({ name: 'orders' })
@Index('uq_orders_opportunity', ['opportunityId'], { unique: true })
@Index('idx_orders_updated', ['updatedAt', 'id'])
@Index('idx_orders_status', ['status', 'updatedAt'])
export class OrderEntity implements TrackedRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'opportunity_id', type: 'uuid' })
  opportunityId!: string;

  @Column({ name: 'account_id', type: 'uuid', nullable: true })
  accountId!: string | null;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20, nullable: true })
  legalEntity!: string | null;

  @Column({ type: 'char', length: 3, nullable: true })
  currency!: string | null;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128 })
  correlationId!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: WorkStatus;

  @Column({ name: 'current_step', type: 'varchar', length: 40, nullable: true })
  currentStep!: string | null;

  @Column({ type: 'jsonb' })
  steps!: Record<string, StepState>;

  @Column({ type: 'jsonb' })
  refs!: OrderRefs;

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
