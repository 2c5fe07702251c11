import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Who did what, when and why: every operator action (append-only). */
@Entity({ name: 'audit_log' })
@Index('idx_audit_log_target', ['targetType', 'targetId', 'at'])
@Index('idx_audit_log_at', ['at', 'id'])
export class AuditEntryEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** The token subject that acted. */
  @Column({ type: 'varchar', length: 200 })
  actor!: string;

  @Column({ type: 'varchar', length: 60 })
  action!: string;

  @Column({ name: 'target_type', type: 'varchar', length: 40 })
  targetType!: string;

  @Column({ name: 'target_id', type: 'varchar', length: 100 })
  targetId!: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb' })
  detail!: object;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128 })
  correlationId!: string;
}
