import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The cross-reference of one product across systems, per currency: the CRM product, the billing
 * price an order subscribes to, and the ERP item its revenue posts under.
 */
@Entity({ name: 'product_mappings' })
@Index('uq_product_mappings_product_currency', ['crmProductId', 'currency'], { unique: true })
@Index('idx_product_mappings_updated', ['updatedAt', 'id'])
export class ProductMappingEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'crm_product_id', type: 'uuid' })
  crmProductId!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'billing_price_id', type: 'uuid' })
  billingPriceId!: string;

  @Column({ name: 'erp_item_code', type: 'varchar', length: 50 })
  erpItemCode!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note!: string | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
