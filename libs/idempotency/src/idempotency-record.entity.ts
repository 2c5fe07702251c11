import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The stored outcome of a mutating request made with an Idempotency-Key, scoped to its caller. */
@Entity({ name: 'idempotency_keys' })
@Index('idx_idempotency_keys_expires_at', ['expiresAt'])
export class IdempotencyRecordEntity {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  caller!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash!: string;

  @Column({ type: 'varchar', length: 10 })
  method!: string;

  @Column({ type: 'varchar', length: 2048 })
  path!: string;

  /** `in_flight` while the first request runs, then `completed`. */
  @Column({ type: 'varchar', length: 16 })
  state!: 'in_flight' | 'completed';

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode!: number | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody!: unknown;

  @Column({ name: 'response_headers', type: 'jsonb', nullable: true })
  responseHeaders!: Record<string, string> | null;

  @Column({ name: 'locked_at', type: 'timestamptz' })
  lockedAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
