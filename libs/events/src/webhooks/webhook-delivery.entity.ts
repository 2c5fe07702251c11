import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OutboxEventEntity } from '../outbox-event.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_ORIGINS = ['relay', 'replay'] as const;
export type DeliveryOrigin = (typeof DELIVERY_ORIGINS)[number];

/** One event on its way to one subscription: pending until delivered, or dead after its attempts. */
@Entity({ name: 'webhook_deliveries' })
@Index('idx_webhook_deliveries_due', ['nextAttemptAt'], { where: "status = 'pending'" })
@Index('idx_webhook_deliveries_keyset', ['updatedAt', 'id'])
@Index('idx_webhook_deliveries_subscription', ['subscriptionId', 'updatedAt'])
@Index('idx_webhook_deliveries_event', ['eventId'])
// The relay fans an event out to a subscription once, whatever number of relays run.
@Index('uq_webhook_deliveries_relay_once', ['eventId', 'subscriptionId'], {
  unique: true,
  where: "origin = 'relay'",
})
export class WebhookDeliveryEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId!: string;

  @ManyToOne(() => WebhookSubscriptionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'subscription_id' })
  subscription?: WebhookSubscriptionEntity;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @ManyToOne(() => OutboxEventEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'event_id' })
  event?: OutboxEventEntity;

  @Column({ name: 'event_type', type: 'varchar', length: 200 })
  eventType!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatus;

  /** `relay`: fanned out from the outbox; `replay`: asked for by an operator. */
  @Column({ type: 'varchar', length: 16 })
  origin!: DeliveryOrigin;

  /** The delivery this one replays, when replayed by id. */
  @Column({ name: 'replay_of', type: 'uuid', nullable: true })
  replayOf!: string | null;

  @Column({ name: 'requested_by', type: 'varchar', length: 200, nullable: true })
  requestedBy!: string | null;

  @Column({ type: 'integer' })
  attempts!: number;

  /** When it is due (pending); while an attempt runs, the end of that attempt's lease. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode!: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true })
  lastError!: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
