import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type WebhookAuditAction =
  | 'subscription.created'
  | 'subscription.updated'
  | 'subscription.deleted'
  | 'subscription.secret_rotated'
  | 'subscription.replayed'
  | 'delivery.replayed';

/** Who did what to webhooks, written with the change it records; never updated or deleted. */
@Entity({ name: 'webhook_audit_log' })
@Index('idx_webhook_audit_log_subscription', ['subscriptionId', 'at'])
export class WebhookAuditEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** The token subject of the caller. */
  @Column({ type: 'varchar', length: 200 })
  actor!: string;

  @Column({ type: 'varchar', length: 50 })
  action!: WebhookAuditAction;

  @Column({ name: 'subscription_id', type: 'uuid', nullable: true })
  subscriptionId!: string | null;

  @Column({ name: 'delivery_id', type: 'uuid', nullable: true })
  deliveryId!: string | null;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128, nullable: true })
  correlationId!: string | null;

  /** What changed (never a secret). */
  @Column({ type: 'jsonb' })
  detail!: object;
}
