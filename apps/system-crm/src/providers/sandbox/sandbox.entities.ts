import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from 'typeorm';
import type {
  CrmBillingStatus,
  OpportunityStage,
  PostalAddress,
  TaxRegistration,
} from '../crm-provider.port';

// Storage of the sandbox adapter: a simulation of Salesforce's objects in the app's own schema.

@Entity({ name: 'accounts' })
@Index('idx_accounts_updated', ['updatedAt', 'id'])
@Index('idx_accounts_legal_entity', ['legalEntity'])
export class AccountEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('uq_accounts_external_id', { unique: true })
  @Column({ name: 'external_id', type: 'varchar', length: 100, nullable: true })
  externalId!: string | null;

  @Column({ name: 'legal_name', type: 'varchar', length: 255 })
  legalName!: string;

  @Column({ name: 'billing_address', type: 'jsonb' })
  billingAddress!: PostalAddress;

  @Column({ name: 'tax_registration', type: 'jsonb', nullable: true })
  taxRegistration!: TaxRegistration | null;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @ManyToOne(() => AccountEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_account_id' })
  parent?: AccountEntity;

  @Column({ name: 'parent_account_id', type: 'uuid', nullable: true })
  parentAccountId!: string | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'products' })
@Index('idx_products_updated', ['updatedAt', 'id'])
export class ProductEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('uq_products_external_id', { unique: true })
  @Column({ name: 'external_id', type: 'varchar', length: 100, nullable: true })
  externalId!: string | null;

  @Index('uq_products_sku', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  sku!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  family!: string | null;

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'opportunities' })
@Index('idx_opportunities_updated', ['updatedAt', 'id'])
@Index('idx_opportunities_stage', ['stage'])
@Index('idx_opportunities_account', ['accountId'])
export class OpportunityEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('uq_opportunities_external_id', { unique: true })
  @Column({ name: 'external_id', type: 'varchar', length: 100, nullable: true })
  externalId!: string | null;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'account_id' })
  account?: AccountEntity;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  stage!: OpportunityStage;

  @Column({ name: 'close_date', type: 'date', nullable: true })
  closeDate!: string | null;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'numeric', precision: 24, scale: 4 })
  amount!: string;

  @Column({ name: 'billing_status', type: 'jsonb' })
  billingStatus!: Omit<CrmBillingStatus, 'updatedAt'> & { updatedAt?: string };

  @OneToMany(() => OpportunityLineEntity, (line) => line.opportunity, { cascade: ['insert'] })
  lines?: OpportunityLineEntity[];

  @OneToMany(() => StageChangeEntity, (change) => change.opportunity, { cascade: ['insert'] })
  stageHistory?: StageChangeEntity[];

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'opportunity_lines' })
@Index('idx_opportunity_lines_opportunity', ['opportunityId', 'position'])
export class OpportunityLineEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => OpportunityEntity, (o) => o.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'opportunity_id' })
  opportunity?: OpportunityEntity;

  @Column({ name: 'opportunity_id', type: 'uuid' })
  opportunityId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @ManyToOne(() => ProductEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id' })
  product?: ProductEntity;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Column({ type: 'numeric', precision: 24, scale: 6 })
  quantity!: string;

  @Column({ name: 'unit_price', type: 'numeric', precision: 24, scale: 6 })
  unitPrice!: string;

  @Column({ name: 'discount_percent', type: 'numeric', precision: 7, scale: 4 })
  discountPercent!: string;

  @Column({ name: 'term_months', type: 'integer' })
  termMonths!: number;

  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ name: 'total_price', type: 'numeric', precision: 24, scale: 4 })
  totalPrice!: string;
}

@Entity({ name: 'opportunity_stage_changes' })
@Index('idx_stage_changes_opportunity', ['opportunityId', 'changedAt'])
export class StageChangeEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => OpportunityEntity, (o) => o.stageHistory, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'opportunity_id' })
  opportunity?: OpportunityEntity;

  @Column({ name: 'opportunity_id', type: 'uuid' })
  opportunityId!: string;

  @Column({ type: 'varchar', length: 20 })
  stage!: OpportunityStage;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  @Column({ name: 'changed_by', type: 'varchar', length: 200 })
  changedBy!: string;
}
