import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Where an app's events go: a URL, the types it wants, and the secret deliveries are signed with. */
@Entity({ name: 'webhook_subscriptions' })
@Index('idx_webhook_subscriptions_keyset', ['updatedAt', 'id'], { where: 'deleted_at IS NULL' })
export class WebhookSubscriptionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  /** Exact versioned types, `prefix.*` wildcards, or `*`. */
  @Column({ name: 'event_types', type: 'varchar', length: 200, array: true })
  eventTypes!: string[];

  @Column({ type: 'varchar', length: 500, nullable: true })
  description!: string | null;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  /** The signing secret, sealed by the SecretVault (AES-256-GCM, bound to this id); null once deleted. */
  @Column({ name: 'secret_sealed', type: 'varchar', length: 500, nullable: true })
  secretSealed!: string | null;

  /** The secret a rotation replaced, still sent alongside until previousSecretExpiresAt. */
  @Column({ name: 'previous_secret_sealed', type: 'varchar', length: 500, nullable: true })
  previousSecretSealed!: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt!: Date | null;

  @Column({ name: 'secret_rotated_at', type: 'timestamptz', nullable: true })
  secretRotatedAt!: Date | null;

  @Column({ name: 'created_by', type: 'varchar', length: 200 })
  createdBy!: string;

  @Column({ name: 'updated_by', type: 'varchar', length: 200 })
  updatedBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Deleted subscriptions are kept (their deliveries are history) but never shown or sent to. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Column({ type: 'integer' })
  version!: number;
}
