import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A system whose webhooks quote-to-cash receives (the CRM, billing): the subscription it holds
 * there and the signing secrets, sealed (AES-256-GCM, libs/events' SecretVault) — the current one,
 * and the previous one while a rotation's grace runs.
 */
@Entity({ name: 'event_sources' })
export class EventSourceEntity {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  source!: string;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId!: string;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  @Column({ name: 'sealed_secrets', type: 'jsonb' })
  sealedSecrets!: string[];

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
