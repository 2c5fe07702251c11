import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const EVENT_KINDS = ['usage', 'cancellation'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
/**
 * on_time: counted in its own period. carried_forward: its period was closed, so it counts in the
 * next open one. held: its period was closed and its meter holds late usage for review.
 */
export const DISPOSITIONS = ['on_time', 'carried_forward', 'held'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/**
 * The usage ledger: one row per event id, written once and never updated (a correction is a
 * cancellation event). The primary key is the deduplication key: an id is kept forever, which is
 * more than the 35 days promised.
 */
@Entity({ name: 'usage_events' })
@Index('idx_usage_events_period', ['period'])
@Index('uq_usage_events_cancels', ['cancelsEventId'], {
  unique: true,
  where: 'cancels_event_id is not null',
})
export class UsageEventEntity {
  // "C": byte order, the order of the rating checksum, and cheaper to compare than a locale's.
  @PrimaryColumn({ type: 'varchar', length: 128, collation: 'C' })
  id!: string;

  @Column({ type: 'varchar', length: 12 })
  kind!: EventKind;

  @Column({
    name: 'cancels_event_id',
    type: 'varchar',
    length: 128,
    nullable: true,
    collation: 'C',
  })
  cancelsEventId!: string | null;

  @Column({ name: 'subscription_ref', type: 'varchar', length: 128, nullable: true })
  subscriptionRef!: string | null;

  @Column({ name: 'customer_ref', type: 'varchar', length: 128, nullable: true })
  customerRef!: string | null;

  @Column({ name: 'meter_code', type: 'varchar', length: 64 })
  meterCode!: string;

  @Column({ type: 'numeric', precision: 25, scale: 10 })
  quantity!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  /** The period (YYYY-MM) the event counts in: its own, or the one it was carried to. */
  @Column({ type: 'varchar', length: 7 })
  period!: string;

  /** The period of its timestamp's UTC day. */
  @Column({ name: 'own_period', type: 'varchar', length: 7 })
  ownPeriod!: string;

  @Column({ type: 'varchar', length: 16 })
  disposition!: Disposition;

  @Column({ type: 'jsonb', nullable: true })
  properties!: Record<string, string | number | boolean> | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;
}

/** Held events an operator released into an open period (append-only, like the ledger). */
@Entity({ name: 'usage_releases' })
@Index('idx_usage_releases_period', ['period'])
export class UsageReleaseEntity {
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 128 })
  eventId!: string;

  @Column({ type: 'varchar', length: 7 })
  period!: string;

  @Column({ name: 'released_by', type: 'varchar', length: 200 })
  releasedBy!: string;

  @Column({ name: 'released_at', type: 'timestamptz' })
  releasedAt!: Date;
}

/** A usage period (YYYY-MM) closed to new usage: its events are rated. Absent means open. */
@Entity({ name: 'usage_periods' })
export class UsagePeriodEntity {
  @PrimaryColumn({ type: 'varchar', length: 7 })
  period!: string;

  @Column({ type: 'varchar', length: 8 })
  status!: 'open' | 'closed';

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'closed_by', type: 'varchar', length: 200, nullable: true })
  closedBy!: string | null;
}
