import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Who did what in the portal, when and why: every operator action (append-only). */
@Entity({ name: 'audit_log' })
@Index('idx_portal_audit_target', ['targetType', 'targetId', 'at'])
@Index('idx_portal_audit_at', ['at', 'id'])
export class PortalAuditEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** The token subject that acted. */
  @Column({ type: 'varchar', length: 200 })
  actor!: string;

  /** retry | resolve */
  @Column({ type: 'varchar', length: 40 })
  action!: string;

  @Column({ name: 'target_type', type: 'varchar', length: 40 })
  targetType!: string;

  @Column({ name: 'target_id', type: 'varchar', length: 100 })
  targetId!: string;

  @Column({ type: 'varchar', length: 1000 })
  reason!: string;

  /** What the action concerned and what the process API answered. */
  @Column({ type: 'jsonb' })
  detail!: object;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128 })
  correlationId!: string;
}
