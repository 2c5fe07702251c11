import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const AGGREGATIONS = ['sum', 'max', 'count', 'unique_count', 'last'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];
export const LATE_POLICIES = ['carry_forward', 'hold'] as const;
export type LatePolicy = (typeof LATE_POLICIES)[number];

/** A meter: what usage events measure and how a period's events become one quantity. */
@Entity({ name: 'meters' })
@Index('idx_meters_updated', ['updatedAt', 'code'])
export class MeterEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  aggregation!: Aggregation;

  /** For unique_count: the property whose distinct values are counted. */
  @Column({ name: 'unique_property', type: 'varchar', length: 40, nullable: true })
  uniqueProperty!: string | null;

  @Column({ type: 'varchar', length: 32 })
  unit!: string;

  @Column({ name: 'late_policy', type: 'varchar', length: 16 })
  latePolicy!: LatePolicy;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
