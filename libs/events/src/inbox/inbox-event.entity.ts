import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An event a consumer has processed, recorded in the transaction of its effect: a second delivery
 * of the same id finds it and has no effect.
 */
@Entity({ name: 'inbox_events' })
export class InboxEventEntity {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  /** The envelope's `source`, e.g. revgate/system-billing. */
  @Column({ type: 'varchar', length: 200 })
  source!: string;

  @Column({ type: 'varchar', length: 200 })
  type!: string;

  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  /** The envelope's `time`: when the event happened at its producer. */
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128 })
  correlationId!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'processed_at', type: 'timestamptz' })
  processedAt!: Date;
}
