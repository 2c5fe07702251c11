import {
  Check,
  Column,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import type { AccountingPeriodStatus, GlAccountType, PaymentTerms } from '@revgate/canonical';
import type { ArDocumentKind, TaxRegistration } from '../erp-provider.port';

// Storage of the sandbox adapter: a double-entry ledger in the app's own schema. Every posting is a
// move whose lines balance (checked in code, and by the CHECK on erp.moves); documents and
// payments keep their own rows for lookups, amounts due and idempotency by external id.

/** Columns every versioned record of the sandbox has. */
export abstract class VersionedRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

const money = (name: string): PropertyDecorator =>
  Column({ name, type: 'numeric', precision: 24, scale: 4 });

@Entity({ name: 'legal_entities' })
@Index('uq_legal_entities_code', ['code'], { unique: true })
@Index('idx_legal_entities_updated', ['updatedAt', 'id'])
export class LegalEntityEntity extends VersionedRow {
  @Column({ type: 'varchar', length: 20 })
  code!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ name: 'functional_currency', type: 'char', length: 3 })
  functionalCurrency!: string;

  @Column({ name: 'allowed_currencies', type: 'jsonb' })
  allowedCurrencies!: string[];

  @Column({ name: 'tax_registration', type: 'jsonb' })
  taxRegistration!: TaxRegistration;

  @Column({ type: 'char', length: 2 })
  country!: string;

  @Column({ name: 'default_receivable', type: 'varchar', length: 40, nullable: true })
  defaultReceivable!: string | null;

  @Column({ name: 'default_tax_payable', type: 'varchar', length: 40, nullable: true })
  defaultTaxPayable!: string | null;

  @Column({ name: 'default_cash', type: 'varchar', length: 40, nullable: true })
  defaultCash!: string | null;

  @Column({ name: 'default_deferred_revenue', type: 'varchar', length: 40, nullable: true })
  defaultDeferredRevenue!: string | null;
}

@Entity({ name: 'periods' })
@Index('uq_periods_entity_period', ['legalEntity', 'period'], { unique: true })
@Index('idx_periods_updated', ['updatedAt', 'id'])
export class PeriodEntity extends VersionedRow {
  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  /** YYYY-MM */
  @Column({ type: 'char', length: 7 })
  period!: string;

  @Column({ type: 'date' })
  start!: string;

  @Column({ type: 'date' })
  end!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: AccountingPeriodStatus;
}

@Entity({ name: 'accounts' })
@Index('uq_accounts_entity_code', ['legalEntity', 'code'], { unique: true })
@Index('idx_accounts_updated', ['updatedAt', 'id'])
export class AccountEntity extends VersionedRow {
  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ type: 'varchar', length: 40 })
  code!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: GlAccountType;
}

@Entity({ name: 'customers' })
@Index('uq_customers_entity_external_id', ['legalEntity', 'externalId'], { unique: true })
@Index('idx_customers_updated', ['updatedAt', 'id'])
export class CustomerEntity extends VersionedRow {
  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ name: 'external_id', type: 'varchar', length: 100 })
  externalId!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ name: 'payment_terms', type: 'varchar', length: 20 })
  paymentTerms!: PaymentTerms;

  @Column({ type: 'char', length: 3, nullable: true })
  currency!: string | null;

  @Column({ type: 'char', length: 2, nullable: true })
  country!: string | null;

  @Column({ name: 'tax_registration', type: 'jsonb', nullable: true })
  taxRegistration!: TaxRegistration | null;
}

@Entity({ name: 'items' })
@Index('uq_items_entity_code', ['legalEntity', 'code'], { unique: true })
@Index('idx_items_updated', ['updatedAt', 'id'])
export class ItemEntity extends VersionedRow {
  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ type: 'varchar', length: 50 })
  code!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ name: 'revenue_account', type: 'varchar', length: 40 })
  revenueAccount!: string;

  @Column({ name: 'deferred_revenue_account', type: 'varchar', length: 40, nullable: true })
  deferredRevenueAccount!: string | null;

  @Column({ name: 'tax_code', type: 'varchar', length: 25, nullable: true })
  taxCode!: string | null;
}

/** A posting in the general ledger: its lines balance, in one currency. */
@Entity({ name: 'moves' })
@Index('uq_moves_source_external_id', ['legalEntity', 'source', 'externalId'], { unique: true })
@Index('idx_moves_updated', ['updatedAt', 'id'])
@Check('chk_moves_balanced', '"total_debit" = "total_credit"')
export class MoveEntity extends VersionedRow {
  /** Numbers the move: unique, not gap-free per entity. */
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq!: string;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  /** What posted it: a document, a payment or a journal entry of its own. */
  @Column({ type: 'varchar', length: 12 })
  source!: 'invoice' | 'credit_memo' | 'payment' | 'journal';

  @Column({ name: 'external_id', type: 'varchar', length: 100 })
  externalId!: string;

  @Column({ type: 'date' })
  date!: string;

  @Column({ type: 'char', length: 7 })
  period!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  memo!: string | null;

  @money('total_debit')
  totalDebit!: string;

  @money('total_credit')
  totalCredit!: string;

  /** Journal entries: what they said, for idempotency by external id. */
  @Column({ type: 'char', length: 64, nullable: true })
  fingerprint!: string | null;
}

@Entity({ name: 'move_lines' })
@Index('idx_move_lines_move', ['moveId', 'position'])
@Index('idx_move_lines_balance', ['legalEntity', 'period', 'accountCode'])
@Check(
  'chk_move_lines_one_side',
  '"debit" >= 0 AND "credit" >= 0 AND ("debit" = 0) <> ("credit" = 0)',
)
export class MoveLineEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => MoveEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'move_id' })
  move?: MoveEntity;

  @Column({ name: 'move_id', type: 'uuid' })
  moveId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ type: 'char', length: 7 })
  period!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'account_code', type: 'varchar', length: 40 })
  accountCode!: string;

  @money('debit')
  debit!: string;

  @money('credit')
  credit!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  memo!: string | null;

  @Column({ name: 'customer_external_id', type: 'varchar', length: 100, nullable: true })
  customerExternalId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  dimensions!: Record<string, string> | null;
}

@Entity({ name: 'ar_documents' })
@Index('uq_ar_documents_external_id', ['legalEntity', 'kind', 'externalId'], { unique: true })
@Index('idx_ar_documents_updated', ['updatedAt', 'id'])
@Index('idx_ar_documents_customer', ['legalEntity', 'customerExternalId'])
@Check('chk_ar_documents_due', '"amount_credited" + "amount_paid" <= "total"')
export class ArDocumentEntity extends VersionedRow {
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq!: string;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ type: 'varchar', length: 12 })
  kind!: ArDocumentKind;

  @Column({ name: 'external_id', type: 'varchar', length: 100 })
  externalId!: string;

  @Column({ type: 'varchar', length: 50, nullable: true })
  reference!: string | null;

  @Column({ name: 'customer_external_id', type: 'varchar', length: 100 })
  customerExternalId!: string;

  /** Credit memos: the invoice credited. */
  @Column({ name: 'invoice_external_id', type: 'varchar', length: 100, nullable: true })
  invoiceExternalId!: string | null;

  @Column({ type: 'date' })
  date!: string;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate!: string | null;

  @Column({ type: 'char', length: 7 })
  period!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  memo!: string | null;

  @money('subtotal')
  subtotal!: string;

  @money('tax_total')
  taxTotal!: string;

  @money('total')
  total!: string;

  @money('amount_credited')
  amountCredited!: string;

  @money('amount_paid')
  amountPaid!: string;

  @Column({ type: 'char', length: 64 })
  fingerprint!: string;

  @Column({ name: 'move_id', type: 'uuid' })
  moveId!: string;
}

@Entity({ name: 'ar_document_lines' })
@Index('idx_ar_document_lines_document', ['documentId', 'position'])
export class ArDocumentLineEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => ArDocumentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'document_id' })
  document?: ArDocumentEntity;

  @Column({ name: 'document_id', type: 'uuid' })
  documentId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ name: 'item_code', type: 'varchar', length: 50 })
  itemCode!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  description!: string | null;

  @Column({ type: 'numeric', precision: 24, scale: 6 })
  quantity!: string;

  @money('amount')
  amount!: string;

  @money('tax_amount')
  taxAmount!: string;

  @Column({ name: 'tax_code', type: 'varchar', length: 25, nullable: true })
  taxCode!: string | null;

  @Column({ name: 'service_start', type: 'date', nullable: true })
  serviceStart!: string | null;

  @Column({ name: 'service_end', type: 'date', nullable: true })
  serviceEnd!: string | null;

  @Column({ name: 'account_code', type: 'varchar', length: 40 })
  accountCode!: string;

  @Column({ type: 'boolean' })
  deferred!: boolean;
}

@Entity({ name: 'payments' })
@Index('uq_payments_external_id', ['legalEntity', 'externalId'], { unique: true })
@Index('idx_payments_updated', ['updatedAt', 'id'])
@Check('chk_payments_applied', '"applied_amount" <= "amount"')
export class PaymentEntity extends VersionedRow {
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq!: string;

  @Column({ name: 'legal_entity', type: 'varchar', length: 20 })
  legalEntity!: string;

  @Column({ name: 'external_id', type: 'varchar', length: 100 })
  externalId!: string;

  @Column({ name: 'customer_external_id', type: 'varchar', length: 100 })
  customerExternalId!: string;

  @Column({ type: 'date' })
  date!: string;

  @Column({ type: 'char', length: 7 })
  period!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @money('amount')
  amount!: string;

  @money('applied_amount')
  appliedAmount!: string;

  @Column({ name: 'cash_account', type: 'varchar', length: 40 })
  cashAccount!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  memo!: string | null;

  @Column({ type: 'char', length: 64 })
  fingerprint!: string;

  @Column({ name: 'move_id', type: 'uuid' })
  moveId!: string;
}

@Entity({ name: 'payment_applications' })
@Index('idx_payment_applications_payment', ['paymentId', 'position'])
export class PaymentApplicationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => PaymentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'payment_id' })
  payment?: PaymentEntity;

  @Column({ name: 'payment_id', type: 'uuid' })
  paymentId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ name: 'invoice_external_id', type: 'varchar', length: 100 })
  invoiceExternalId!: string;

  @money('amount')
  amount!: string;
}
