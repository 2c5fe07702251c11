import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from 'typeorm';
import type {
  AddressInfo,
  DocumentStatus,
  Jurisdiction,
  RecordedDocumentType,
  Taxability,
} from '../tax-provider.port';

// Storage of the sandbox adapter: AvaTax's recorded transactions simulated in the app's own schema.
// Estimates (SalesOrder) are never stored, as in AvaTax.

@Entity({ name: 'tax_transactions' })
@Index('uq_tax_transactions_code', ['companyCode', 'code'], { unique: true })
@Index('idx_tax_transactions_updated', ['updatedAt', 'id'])
@Index('idx_tax_transactions_customer', ['customerCode'])
@Index('idx_tax_transactions_reference', ['companyCode', 'referenceCode'])
export class TaxTransactionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The legal entity (AvaTax company code). */
  @Column({ name: 'company_code', type: 'varchar', length: 20 })
  companyCode!: string;

  @Column({ type: 'varchar', length: 50 })
  code!: string;

  /** SalesInvoice or ReturnInvoice */
  @Column({ type: 'varchar', length: 20 })
  type!: RecordedDocumentType;

  /** A return's original sale: the code of a SalesInvoice of the same company. */
  @Column({ name: 'reference_code', type: 'varchar', length: 50, nullable: true })
  referenceCode!: string | null;

  @Column({ type: 'varchar', length: 20 })
  status!: DocumentStatus;

  @Column({ name: 'customer_code', type: 'varchar', length: 50 })
  customerCode!: string;

  @Column({ type: 'date' })
  date!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'exemption_no', type: 'varchar', length: 25, nullable: true })
  exemptionNo!: string | null;

  @Column({ name: 'business_identification_no', type: 'varchar', length: 20, nullable: true })
  businessIdentificationNo!: string | null;

  @Column({ name: 'ship_from', type: 'jsonb' })
  shipFrom!: AddressInfo;

  @Column({ name: 'ship_to', type: 'jsonb' })
  shipTo!: AddressInfo;

  @Column({ name: 'reverse_charge', type: 'boolean' })
  reverseCharge!: boolean;

  @Column({ name: 'total_amount', type: 'numeric', precision: 24, scale: 4 })
  totalAmount!: string;

  @Column({ name: 'total_taxable', type: 'numeric', precision: 24, scale: 4 })
  totalTaxable!: string;

  @Column({ name: 'total_exempt', type: 'numeric', precision: 24, scale: 4 })
  totalExempt!: string;

  @Column({ name: 'total_tax', type: 'numeric', precision: 24, scale: 4 })
  totalTax!: string;

  @Column({ type: 'jsonb' })
  messages!: string[];

  /** SHA-256 of the normalized request: the same code may only be committed again with it. */
  @Column({ name: 'content_hash', type: 'char', length: 64 })
  contentHash!: string;

  @OneToMany(() => TaxTransactionLineEntity, (line) => line.transaction)
  lines?: TaxTransactionLineEntity[];

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'committed_at', type: 'timestamptz' })
  committedAt!: Date;

  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true })
  voidedAt!: Date | null;

  @Column({ name: 'void_reason', type: 'varchar', length: 255, nullable: true })
  voidReason!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'tax_transaction_lines' })
@Index('idx_tax_transaction_lines_transaction', ['transactionId', 'position'])
@Index('uq_tax_transaction_lines_number', ['transactionId', 'lineNumber'], { unique: true })
export class TaxTransactionLineEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => TaxTransactionEntity, (t) => t.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'transaction_id' })
  transaction?: TaxTransactionEntity;

  @Column({ name: 'transaction_id', type: 'uuid' })
  transactionId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ name: 'line_number', type: 'varchar', length: 50 })
  lineNumber!: string;

  @Column({ name: 'item_code', type: 'varchar', length: 50, nullable: true })
  itemCode!: string | null;

  @Column({ name: 'tax_code', type: 'varchar', length: 25 })
  taxCode!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  description!: string | null;

  @Column({ type: 'numeric', precision: 24, scale: 6 })
  quantity!: string;

  @Column({ type: 'numeric', precision: 24, scale: 4 })
  amount!: string;

  @Column({ name: 'tax_included', type: 'boolean' })
  taxIncluded!: boolean;

  @Column({ type: 'varchar', length: 20 })
  taxability!: Taxability;

  @Column({ type: 'numeric', precision: 8, scale: 6 })
  rate!: string;

  @Column({ type: 'jsonb' })
  jurisdiction!: Jurisdiction;

  @Column({ name: 'net_amount', type: 'numeric', precision: 24, scale: 4 })
  netAmount!: string;

  @Column({ name: 'taxable_amount', type: 'numeric', precision: 24, scale: 4 })
  taxableAmount!: string;

  @Column({ name: 'exempt_amount', type: 'numeric', precision: 24, scale: 4 })
  exemptAmount!: string;

  @Column({ type: 'numeric', precision: 24, scale: 4 })
  tax!: string;
}
