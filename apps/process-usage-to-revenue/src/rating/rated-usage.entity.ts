import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Usage of one meter under one subscription in one period, aggregated in SQL from the ledger, with
 * the fingerprint of the events it covers (count, id range, SHA-256 checksum, sum of quantities):
 * recomputing it from the ledger proves rated = the events. Priced when billing records its line.
 */
@Entity({ name: 'rated_usage' })
@Index('uq_rated_usage_key', ['period', 'subscriptionId', 'meterCode'], { unique: true })
export class RatedUsageEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 7 })
  period!: string;

  @Column({ name: 'subscription_id', type: 'varchar', length: 128 })
  subscriptionId!: string;

  @Column({ name: 'meter_code', type: 'varchar', length: 64 })
  meterCode!: string;

  @Column({ type: 'varchar', length: 16 })
  aggregation!: string;

  /** The meter's aggregate of the events: what is billed. */
  @Column({ type: 'numeric' })
  quantity!: string;

  @Column({ name: 'event_count', type: 'integer' })
  eventCount!: number;

  @Column({ name: 'first_event_id', type: 'varchar', length: 128 })
  firstEventId!: string;

  @Column({ name: 'last_event_id', type: 'varchar', length: 128 })
  lastEventId!: string;

  /** Sum of the events' quantities (the checksum's total). */
  @Column({ name: 'events_quantity', type: 'numeric' })
  eventsQuantity!: string;

  @Column({ type: 'char', length: 64 })
  checksum!: string;

  /** pending: not yet sent to billing; billed: its usage line is recorded; refused: billing said no. */
  @Column({ type: 'varchar', length: 12 })
  status!: 'pending' | 'billed' | 'refused';

  @Column({ name: 'price_id', type: 'uuid', nullable: true })
  priceId!: string | null;

  @Column({ type: 'numeric', nullable: true })
  amount!: string | null;

  @Column({ type: 'char', length: 3, nullable: true })
  currency!: string | null;

  @Column({ name: 'usage_line_id', type: 'uuid', nullable: true })
  usageLineId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  problem!: { code: string; detail: string } | null;

  @Column({ name: 'rated_at', type: 'timestamptz' })
  ratedAt!: Date;
}

/** Billing's subscriptions as the last sync saw them: whom usage belongs to, and its prices. */
@Entity({ name: 'billing_subscriptions' })
@Index('idx_billing_subscriptions_customer', ['customerId'])
export class BillingSubscriptionEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  id!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 128 })
  customerId!: string;

  @Column({ name: 'customer_external_id', type: 'varchar', length: 128, nullable: true })
  customerExternalId!: string | null;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate!: string | null;

  /** meter → price of its metered item. */
  @Column({ type: 'jsonb' })
  meters!: Record<string, string>;

  @Column({ name: 'synced_at', type: 'timestamptz' })
  syncedAt!: Date;
}

/** Billing's customers as the last sync saw them (for usage sent by customer, and the ERP). */
@Entity({ name: 'billing_customers' })
@Index('idx_billing_customers_external', ['externalId'])
export class BillingCustomerEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  id!: string;

  @Column({ name: 'external_id', type: 'varchar', length: 128, nullable: true })
  externalId!: string | null;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'payment_terms', type: 'varchar', length: 20 })
  paymentTerms!: string;

  @Column({ type: 'char', length: 2, nullable: true })
  country!: string | null;
}
