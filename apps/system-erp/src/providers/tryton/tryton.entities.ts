import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { TaxRegistration } from '../erp-provider.port';

// What the Tryton adapter keeps in the app's own schema: only what Tryton has no field for. Every
// posting, customer, item, account and period lives in Tryton and nowhere else.

/**
 * A Tryton company mapped as a legal entity of the API (PUT /legal-entities/{code}): its tax
 * registration, country and the default accounts a posting uses when it names none, which Tryton
 * has no field for. Its name, functional currency and default receivable account are Tryton's
 * (the company's party, currency and account configuration): read from there, written there.
 */
@Entity({ name: 'tryton_legal_entities' })
@Index('idx_tryton_legal_entities_updated', ['updatedAt', 'id'])
export class TrytonLegalEntityEntity {
  /** The company party's code in Tryton. */
  @PrimaryColumn({ type: 'varchar', length: 20 })
  code!: string;

  /** The API's id of the entity: derived from the Tryton company's id (see tryton-ids.ts). */
  @Column({ type: 'uuid' })
  id!: string;

  @Column({ name: 'company_id', type: 'integer' })
  companyId!: number;

  @Column({ name: 'tax_registration', type: 'jsonb' })
  taxRegistration!: TaxRegistration;

  @Column({ type: 'char', length: 2 })
  country!: string;

  @Column({ name: 'default_tax_payable', type: 'varchar', length: 40, nullable: true })
  defaultTaxPayable!: string | null;

  @Column({ name: 'default_cash', type: 'varchar', length: 40, nullable: true })
  defaultCash!: string | null;

  @Column({ name: 'default_deferred_revenue', type: 'varchar', length: 40, nullable: true })
  defaultDeferredRevenue!: string | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
