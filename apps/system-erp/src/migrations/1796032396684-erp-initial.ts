import { MigrationInterface, QueryRunner } from 'typeorm';

export class ErpInitial1796032396684 implements MigrationInterface {
  name = 'ErpInitial1796032396684';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "erp"."idempotency_keys" ("caller" character varying(200) NOT NULL, "key" character varying(255) NOT NULL, "request_hash" character(64) NOT NULL, "method" character varying(10) NOT NULL, "path" character varying(2048) NOT NULL, "state" character varying(16) NOT NULL, "status_code" integer, "response_body" jsonb, "response_headers" jsonb, "locked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a661c9488678a6eb48ebb65eb63" PRIMARY KEY ("caller", "key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_idempotency_keys_expires_at" ON "erp"."idempotency_keys" ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."legal_entities" ("id" uuid NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "code" character varying(20) NOT NULL, "name" character varying(255) NOT NULL, "functional_currency" character(3) NOT NULL, "allowed_currencies" jsonb NOT NULL, "tax_registration" jsonb NOT NULL, "country" character(2) NOT NULL, "default_receivable" character varying(40), "default_tax_payable" character varying(40), "default_cash" character varying(40), "default_deferred_revenue" character varying(40), CONSTRAINT "PK_957140fc9f028601347fbe28f89" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_legal_entities_updated" ON "erp"."legal_entities" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_legal_entities_code" ON "erp"."legal_entities" ("code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."periods" ("id" uuid NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "legal_entity" character varying(20) NOT NULL, "period" character(7) NOT NULL, "start" date NOT NULL, "end" date NOT NULL, "status" character varying(10) NOT NULL, CONSTRAINT "PK_86c6afb6c818d97dc321898627c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_periods_updated" ON "erp"."periods" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_periods_entity_period" ON "erp"."periods" ("legal_entity", "period") `,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."accounts" ("id" uuid NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "legal_entity" character varying(20) NOT NULL, "code" character varying(40) NOT NULL, "name" character varying(255) NOT NULL, "type" character varying(20) NOT NULL, CONSTRAINT "PK_5a7a02c20412299d198e097a8fe" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_accounts_updated" ON "erp"."accounts" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_accounts_entity_code" ON "erp"."accounts" ("legal_entity", "code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."customers" ("id" uuid NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "legal_entity" character varying(20) NOT NULL, "external_id" character varying(100) NOT NULL, "name" character varying(255) NOT NULL, "payment_terms" character varying(20) NOT NULL, "currency" character(3), "country" character(2), "tax_registration" jsonb, CONSTRAINT "PK_133ec679a801fab5e070f73d3ea" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_customers_updated" ON "erp"."customers" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_customers_entity_external_id" ON "erp"."customers" ("legal_entity", "external_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."items" ("id" uuid NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "legal_entity" character varying(20) NOT NULL, "code" character varying(50) NOT NULL, "name" character varying(255) NOT NULL, "revenue_account" character varying(40) NOT NULL, "deferred_revenue_account" character varying(40), "tax_code" character varying(25), CONSTRAINT "PK_ba5885359424c15ca6b9e79bcf6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_items_updated" ON "erp"."items" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_items_entity_code" ON "erp"."items" ("legal_entity", "code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."moves" ("id" uuid NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "seq" BIGSERIAL NOT NULL, "legal_entity" character varying(20) NOT NULL, "source" character varying(12) NOT NULL, "external_id" character varying(100) NOT NULL, "date" date NOT NULL, "period" character(7) NOT NULL, "currency" character(3) NOT NULL, "memo" character varying(500), "total_debit" numeric(24,4) NOT NULL, "total_credit" numeric(24,4) NOT NULL, "fingerprint" character(64), CONSTRAINT "chk_moves_balanced" CHECK ("total_debit" = "total_credit"), CONSTRAINT "PK_fcbf4e07f988d7d37d00e933133" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_moves_updated" ON "erp"."moves" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_moves_source_external_id" ON "erp"."moves" ("legal_entity", "source", "external_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."move_lines" ("id" uuid NOT NULL, "move_id" uuid NOT NULL, "position" integer NOT NULL, "legal_entity" character varying(20) NOT NULL, "period" character(7) NOT NULL, "currency" character(3) NOT NULL, "account_code" character varying(40) NOT NULL, "debit" numeric(24,4) NOT NULL, "credit" numeric(24,4) NOT NULL, "memo" character varying(255), "customer_external_id" character varying(100), "dimensions" jsonb, CONSTRAINT "chk_move_lines_one_side" CHECK ("debit" >= 0 AND "credit" >= 0 AND ("debit" = 0) <> ("credit" = 0)), CONSTRAINT "PK_ac4aeb1928dcea080a9f1a90160" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_move_lines_balance" ON "erp"."move_lines" ("legal_entity", "period", "account_code") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_move_lines_move" ON "erp"."move_lines" ("move_id", "position") `,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."ar_documents" ("id" uuid NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "seq" BIGSERIAL NOT NULL, "legal_entity" character varying(20) NOT NULL, "kind" character varying(12) NOT NULL, "external_id" character varying(100) NOT NULL, "reference" character varying(50), "customer_external_id" character varying(100) NOT NULL, "invoice_external_id" character varying(100), "date" date NOT NULL, "due_date" date, "period" character(7) NOT NULL, "currency" character(3) NOT NULL, "memo" character varying(500), "subtotal" numeric(24,4) NOT NULL, "tax_total" numeric(24,4) NOT NULL, "total" numeric(24,4) NOT NULL, "amount_credited" numeric(24,4) NOT NULL, "amount_paid" numeric(24,4) NOT NULL, "fingerprint" character(64) NOT NULL, "move_id" uuid NOT NULL, CONSTRAINT "chk_ar_documents_due" CHECK ("amount_credited" + "amount_paid" <= "total"), CONSTRAINT "PK_03b00b302ca2762ebeb5377172d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_ar_documents_customer" ON "erp"."ar_documents" ("legal_entity", "customer_external_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_ar_documents_updated" ON "erp"."ar_documents" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_ar_documents_external_id" ON "erp"."ar_documents" ("legal_entity", "kind", "external_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."ar_document_lines" ("id" uuid NOT NULL, "document_id" uuid NOT NULL, "position" integer NOT NULL, "item_code" character varying(50) NOT NULL, "description" character varying(255), "quantity" numeric(24,6) NOT NULL, "amount" numeric(24,4) NOT NULL, "tax_amount" numeric(24,4) NOT NULL, "tax_code" character varying(25), "service_start" date, "service_end" date, "account_code" character varying(40) NOT NULL, "deferred" boolean NOT NULL, CONSTRAINT "PK_f6c714e1b170529d7557c5b9b6d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_ar_document_lines_document" ON "erp"."ar_document_lines" ("document_id", "position") `,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."payments" ("id" uuid NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "seq" BIGSERIAL NOT NULL, "legal_entity" character varying(20) NOT NULL, "external_id" character varying(100) NOT NULL, "customer_external_id" character varying(100) NOT NULL, "date" date NOT NULL, "period" character(7) NOT NULL, "currency" character(3) NOT NULL, "amount" numeric(24,4) NOT NULL, "applied_amount" numeric(24,4) NOT NULL, "cash_account" character varying(40) NOT NULL, "memo" character varying(500), "fingerprint" character(64) NOT NULL, "move_id" uuid NOT NULL, CONSTRAINT "chk_payments_applied" CHECK ("applied_amount" <= "amount"), CONSTRAINT "PK_197ab7af18c93fbb0c9b28b4a59" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_payments_updated" ON "erp"."payments" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_payments_external_id" ON "erp"."payments" ("legal_entity", "external_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."payment_applications" ("id" uuid NOT NULL, "payment_id" uuid NOT NULL, "position" integer NOT NULL, "invoice_external_id" character varying(100) NOT NULL, "amount" numeric(24,4) NOT NULL, CONSTRAINT "PK_d42425dbe554ac2fd83203d6121" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_payment_applications_payment" ON "erp"."payment_applications" ("payment_id", "position") `,
    );
    await queryRunner.query(
      `ALTER TABLE "erp"."move_lines" ADD CONSTRAINT "FK_e08b1e68b10b59720a7ecc68d6b" FOREIGN KEY ("move_id") REFERENCES "erp"."moves"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "erp"."ar_document_lines" ADD CONSTRAINT "FK_d365570e6ab224ad2145b41114a" FOREIGN KEY ("document_id") REFERENCES "erp"."ar_documents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "erp"."payment_applications" ADD CONSTRAINT "FK_26837feb7dff1906f194c00ba19" FOREIGN KEY ("payment_id") REFERENCES "erp"."payments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "erp"."payment_applications" DROP CONSTRAINT "FK_26837feb7dff1906f194c00ba19"`,
    );
    await queryRunner.query(
      `ALTER TABLE "erp"."ar_document_lines" DROP CONSTRAINT "FK_d365570e6ab224ad2145b41114a"`,
    );
    await queryRunner.query(
      `ALTER TABLE "erp"."move_lines" DROP CONSTRAINT "FK_e08b1e68b10b59720a7ecc68d6b"`,
    );
    await queryRunner.query(`DROP INDEX "erp"."idx_payment_applications_payment"`);
    await queryRunner.query(`DROP TABLE "erp"."payment_applications"`);
    await queryRunner.query(`DROP INDEX "erp"."uq_payments_external_id"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_payments_updated"`);
    await queryRunner.query(`DROP TABLE "erp"."payments"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_ar_document_lines_document"`);
    await queryRunner.query(`DROP TABLE "erp"."ar_document_lines"`);
    await queryRunner.query(`DROP INDEX "erp"."uq_ar_documents_external_id"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_ar_documents_updated"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_ar_documents_customer"`);
    await queryRunner.query(`DROP TABLE "erp"."ar_documents"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_move_lines_move"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_move_lines_balance"`);
    await queryRunner.query(`DROP TABLE "erp"."move_lines"`);
    await queryRunner.query(`DROP INDEX "erp"."uq_moves_source_external_id"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_moves_updated"`);
    await queryRunner.query(`DROP TABLE "erp"."moves"`);
    await queryRunner.query(`DROP INDEX "erp"."uq_items_entity_code"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_items_updated"`);
    await queryRunner.query(`DROP TABLE "erp"."items"`);
    await queryRunner.query(`DROP INDEX "erp"."uq_customers_entity_external_id"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_customers_updated"`);
    await queryRunner.query(`DROP TABLE "erp"."customers"`);
    await queryRunner.query(`DROP INDEX "erp"."uq_accounts_entity_code"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_accounts_updated"`);
    await queryRunner.query(`DROP TABLE "erp"."accounts"`);
    await queryRunner.query(`DROP INDEX "erp"."uq_periods_entity_period"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_periods_updated"`);
    await queryRunner.query(`DROP TABLE "erp"."periods"`);
    await queryRunner.query(`DROP INDEX "erp"."uq_legal_entities_code"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_legal_entities_updated"`);
    await queryRunner.query(`DROP TABLE "erp"."legal_entities"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_idempotency_keys_expires_at"`);
    await queryRunner.query(`DROP TABLE "erp"."idempotency_keys"`);
  }
}
