import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An event committed with the state change that caused it, waiting for the relay to deliver it. */
@Entity({ name: 'outbox_events' })
@Index('idx_outbox_events_unpublished', ['occurredAt'], { where: 'published_at IS NULL' })
export class OutboxEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  type!: string;

  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128 })
  correlationId!: string;

  /** The whole canonical envelope, exactly as it will be delivered. */
  @Column({ type: 'jsonb' })
  envelope!: object;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;
}
