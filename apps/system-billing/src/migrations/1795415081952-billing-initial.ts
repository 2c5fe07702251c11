import { MigrationInterface, QueryRunner } from 'typeorm';

export class BillingInitial1795415081952 implements MigrationInterface {
  name = 'BillingInitial1795415081952';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "billing"."idempotency_keys" ("caller" character varying(200) NOT NULL, "key" character varying(255) NOT NULL, "request_hash" character(64) NOT NULL, "method" character varying(10) NOT NULL, "path" character varying(2048) NOT NULL, "state" character varying(16) NOT NULL, "status_code" integer, "response_body" jsonb, "response_headers" jsonb, "locked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a661c9488678a6eb48ebb65eb63" PRIMARY KEY ("caller", "key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_idempotency_keys_expires_at" ON "billing"."idempotency_keys" ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "billing"."outbox_events" ("id" uuid NOT NULL, "type" character varying(200) NOT NULL, "subject" character varying(200) NOT NULL, "correlation_id" character varying(128) NOT NULL, "envelope" jsonb NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_6689a16c00d09b8089f6237f1d2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_outbox_events_unpublished" ON "billing"."outbox_events" ("occurred_at") WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "billing"."customers" ("id" uuid NOT NULL, "external_id" character varying(100), "name" character varying(255) NOT NULL, "email" character varying(254), "bill_to" jsonb NOT NULL, "currency" character(3) NOT NULL, "legal_entity" character varying(20) NOT NULL, "payment_terms" character varying(20) NOT NULL, "tax_exemption_number" character varying(25), "vat_id" character varying(20), "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_133ec679a801fab5e070f73d3ea" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_customers_external_id" ON "billing"."customers" ("external_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_customers_legal_entity" ON "billing"."customers" ("legal_entity") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_customers_updated" ON "billing"."customers" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "billing"."products" ("id" uuid NOT NULL, "external_id" character varying(100), "sku" character varying(50), "name" character varying(255) NOT NULL, "description" character varying(1000), "tax_code" character varying(25) NOT NULL, "active" boolean NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_0806c755e0aca124e67c0cf6d7d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_products_external_id" ON "billing"."products" ("external_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_products_sku" ON "billing"."products" ("sku") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_products_updated" ON "billing"."products" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "billing"."prices" ("id" uuid NOT NULL, "external_id" character varying(100), "product_id" uuid NOT NULL, "nickname" character varying(255), "currency" character(3) NOT NULL, "type" character varying(10) NOT NULL, "billing_interval" character varying(5), "usage_type" character varying(10), "meter" character varying(100), "definition" jsonb NOT NULL, "active" boolean NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_2e40b9e4e631a53cd514d82ccd2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_prices_external_id" ON "billing"."prices" ("external_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_prices_product" ON "billing"."prices" ("product_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_prices_updated" ON "billing"."prices" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "billing"."subscriptions" ("id" uuid NOT NULL, "external_id" character varying(100), "customer_id" uuid NOT NULL, "legal_entity" character varying(20) NOT NULL, "currency" character(3) NOT NULL, "billing_interval" character varying(5) NOT NULL, "anchor_date" date NOT NULL, "start_date" date NOT NULL, "end_date" date, "status" character varying(10) NOT NULL, "cancel_at_period_end" boolean NOT NULL, "canceled_at" TIMESTAMP WITH TIME ZONE, "billed_through" date NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a87248d73155605cf782be9ee5e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_subscriptions_external_id" ON "billing"."subscriptions" ("external_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_subscriptions_customer" ON "billing"."subscriptions" ("customer_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_subscriptions_updated" ON "billing"."subscriptions" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "billing"."subscription_items" ("id" uuid NOT NULL, "subscription_id" uuid NOT NULL, "position" integer NOT NULL, "price_id" uuid NOT NULL, "product_id" uuid NOT NULL, "usage_type" character varying(10) NOT NULL, "quantity" numeric(18,6), "meter" character varying(100), "effective_from" date NOT NULL, CONSTRAINT "PK_1ff8c252e9924b4e1e6df05a223" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_subscription_items_subscription" ON "billing"."subscription_items" ("subscription_id", "position") `,
    );
    await queryRunner.query(
      `CREATE TABLE "billing"."amendments" ("id" uuid NOT NULL, "subscription_id" uuid NOT NULL, "type" character varying(30) NOT NULL, "effective_date" date NOT NULL, "proration_behavior" character varying(20) NOT NULL, "currency" character(3) NOT NULL, "lines" jsonb NOT NULL, "total" numeric(24,4) NOT NULL, "outcome" character varying(20) NOT NULL, "credit_memo_id" uuid, "created_by" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_232751b4529e81fd8a6b2847ace" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_amendments_subscription" ON "billing"."amendments" ("subscription_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "billing"."invoices" ("id" uuid NOT NULL, "number" character varying(40), "status" character varying(15) NOT NULL, "customer_id" uuid NOT NULL, "subscription_id" uuid, "legal_entity" character varying(20) NOT NULL, "currency" character(3) NOT NULL, "payment_terms" character varying(20) NOT NULL, "issue_date" date, "due_date" date, "memo" character varying(1000), "subtotal" numeric(24,4) NOT NULL, "total_tax" numeric(24,4) NOT NULL, "total" numeric(24,4) NOT NULL, "amount_paid" numeric(24,4) NOT NULL, "amount_credited" numeric(24,4) NOT NULL, "tax_status" character varying(20) NOT NULL, "tax_transaction_code" character varying(50), "tax_notes" jsonb NOT NULL, "finalized_at" TIMESTAMP WITH TIME ZONE, "paid_at" TIMESTAMP WITH TIME ZONE, "voided_at" TIMESTAMP WITH TIME ZONE, "void_reason" character varying(255), "uncollectible_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_668cef7c22a427fd822cc1be3ce" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_invoices_number" ON "billing"."invoices" ("number") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_invoices_subscription" ON "billing"."invoices" ("subscription_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_invoices_customer" ON "billing"."invoices" ("customer_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_invoices_updated" ON "billing"."invoices" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "billing"."invoice_lines" ("id" uuid NOT NULL, "invoice_id" uuid, "position" integer, "customer_id" uuid NOT NULL, "subscription_id" uuid, "type" character varying(15) NOT NULL, "description" character varying(500) NOT NULL, "product_id" uuid, "price_id" uuid, "subscription_item_id" uuid, "quantity" numeric(18,6), "unit_amount" numeric, "amount" numeric(24,4) NOT NULL, "period_from" date, "period_to" date, "proration" boolean NOT NULL, "source_kind" character varying(30) NOT NULL, "source_id" uuid, "source_ref" character varying(200), "applies_to_line_id" uuid, "tax_code" character varying(25), "tax_status" character varying(20), "tax_rate" numeric, "taxability" character varying(20), "jurisdiction" jsonb, "usage" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_3d18eb48142b916f581f0c21a65" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_invoice_lines_usage_ref" ON "billing"."invoice_lines" ("subscription_id", "source_ref") WHERE source_kind = 'usage'`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_invoice_lines_usage_period" ON "billing"."invoice_lines" ("subscription_item_id", "period_from", "period_to") WHERE source_kind = 'usage'`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_invoice_lines_pending" ON "billing"."invoice_lines" ("subscription_id") WHERE invoice_id IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_invoice_lines_invoice" ON "billing"."invoice_lines" ("invoice_id", "position") `,
    );
    await queryRunner.query(
      `CREATE TABLE "billing"."credit_memos" ("id" uuid NOT NULL, "number" character varying(40) NOT NULL, "invoice_id" uuid, "customer_id" uuid NOT NULL, "subscription_id" uuid, "amendment_id" uuid, "legal_entity" character varying(20) NOT NULL, "currency" character(3) NOT NULL, "reason" character varying(30) NOT NULL, "memo" character varying(1000), "subtotal" numeric(24,4) NOT NULL, "total_tax" numeric(24,4) NOT NULL, "total" numeric(24,4) NOT NULL, "applied_amount" numeric(24,4) NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_2ec6272df94e4415253a1ccc0ca" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_credit_memos_number" ON "billing"."credit_memos" ("number") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_credit_memos_invoice" ON "billing"."credit_memos" ("invoice_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_credit_memos_customer" ON "billing"."credit_memos" ("customer_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_credit_memos_updated" ON "billing"."credit_memos" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "billing"."credit_memo_lines" ("id" uuid NOT NULL, "credit_memo_id" uuid NOT NULL, "position" integer NOT NULL, "type" character varying(15) NOT NULL, "description" character varying(500) NOT NULL, "invoice_line_id" uuid, "period_from" date, "period_to" date, "amount" numeric(24,4) NOT NULL, "tax_rate" numeric, CONSTRAINT "PK_d75343c6e69f3ab89f2ea0f89b3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_credit_memo_lines_memo" ON "billing"."credit_memo_lines" ("credit_memo_id", "position") `,
    );
    await queryRunner.query(
      `CREATE TABLE "billing"."credit_memo_applications" ("id" uuid NOT NULL, "credit_memo_id" uuid NOT NULL, "invoice_id" uuid NOT NULL, "amount" numeric(24,4) NOT NULL, "applied_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_46eb2316dc1cca3c78d2a11f0d0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_credit_memo_applications_invoice" ON "billing"."credit_memo_applications" ("invoice_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_credit_memo_applications_memo" ON "billing"."credit_memo_applications" ("credit_memo_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "billing"."payments" ("id" uuid NOT NULL, "invoice_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "legal_entity" character varying(20) NOT NULL, "currency" character(3) NOT NULL, "amount" numeric(24,4) NOT NULL, "status" character varying(10) NOT NULL, "reference" character varying(200) NOT NULL, "method" character varying(20), "failure_reason" character varying(255), "refund_reason" character varying(255), "settled_at" TIMESTAMP WITH TIME ZONE, "failed_at" TIMESTAMP WITH TIME ZONE, "refunded_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_197ab7af18c93fbb0c9b28b4a59" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_payments_reference" ON "billing"."payments" ("reference") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_payments_invoice" ON "billing"."payments" ("invoice_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_payments_updated" ON "billing"."payments" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "billing"."document_sequences" ("legal_entity" character varying(20) NOT NULL, "series" character varying(5) NOT NULL, "year" integer NOT NULL, "last_number" integer NOT NULL, CONSTRAINT "PK_a495ca77aad2853b5d5d52f7efc" PRIMARY KEY ("legal_entity", "series", "year"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."prices" ADD CONSTRAINT "FK_144765f6b6bef86e113b507ed12" FOREIGN KEY ("product_id") REFERENCES "billing"."products"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."subscriptions" ADD CONSTRAINT "FK_98a4e1e3025f768de1493ecedec" FOREIGN KEY ("customer_id") REFERENCES "billing"."customers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."subscription_items" ADD CONSTRAINT "FK_dfd196ab8cc12154b9430d8e643" FOREIGN KEY ("subscription_id") REFERENCES "billing"."subscriptions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."subscription_items" ADD CONSTRAINT "FK_c08ec0ef42f10d9645ad5a06838" FOREIGN KEY ("price_id") REFERENCES "billing"."prices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."amendments" ADD CONSTRAINT "FK_de477ddfc205cd105036f81fec8" FOREIGN KEY ("subscription_id") REFERENCES "billing"."subscriptions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."invoices" ADD CONSTRAINT "FK_65e3145f317bd655481d3f96c74" FOREIGN KEY ("customer_id") REFERENCES "billing"."customers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."invoices" ADD CONSTRAINT "FK_5152c0aa0f851d9b95972b442e0" FOREIGN KEY ("subscription_id") REFERENCES "billing"."subscriptions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."invoice_lines" ADD CONSTRAINT "FK_2da95dc86a54a00ff20ce46d0fe" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."credit_memos" ADD CONSTRAINT "FK_36ecace98d90a4d3eadc11b00bc" FOREIGN KEY ("customer_id") REFERENCES "billing"."customers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."credit_memo_lines" ADD CONSTRAINT "FK_3bf5b61c3ff0f4685cb7a65d45c" FOREIGN KEY ("credit_memo_id") REFERENCES "billing"."credit_memos"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."credit_memo_applications" ADD CONSTRAINT "FK_b16965d8be132d635b717f2f8b5" FOREIGN KEY ("credit_memo_id") REFERENCES "billing"."credit_memos"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."credit_memo_applications" ADD CONSTRAINT "FK_2f0de20b9129ed1a6e33d4ef0bd" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."payments" ADD CONSTRAINT "FK_563a5e248518c623eebd987d43e" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "billing"."payments" DROP CONSTRAINT "FK_563a5e248518c623eebd987d43e"`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."credit_memo_applications" DROP CONSTRAINT "FK_2f0de20b9129ed1a6e33d4ef0bd"`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."credit_memo_applications" DROP CONSTRAINT "FK_b16965d8be132d635b717f2f8b5"`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."credit_memo_lines" DROP CONSTRAINT "FK_3bf5b61c3ff0f4685cb7a65d45c"`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."credit_memos" DROP CONSTRAINT "FK_36ecace98d90a4d3eadc11b00bc"`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."invoice_lines" DROP CONSTRAINT "FK_2da95dc86a54a00ff20ce46d0fe"`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."invoices" DROP CONSTRAINT "FK_5152c0aa0f851d9b95972b442e0"`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."invoices" DROP CONSTRAINT "FK_65e3145f317bd655481d3f96c74"`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."amendments" DROP CONSTRAINT "FK_de477ddfc205cd105036f81fec8"`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."subscription_items" DROP CONSTRAINT "FK_c08ec0ef42f10d9645ad5a06838"`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."subscription_items" DROP CONSTRAINT "FK_dfd196ab8cc12154b9430d8e643"`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."subscriptions" DROP CONSTRAINT "FK_98a4e1e3025f768de1493ecedec"`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."prices" DROP CONSTRAINT "FK_144765f6b6bef86e113b507ed12"`,
    );
    await queryRunner.query(`DROP TABLE "billing"."document_sequences"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_payments_updated"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_payments_invoice"`);
    await queryRunner.query(`DROP INDEX "billing"."uq_payments_reference"`);
    await queryRunner.query(`DROP TABLE "billing"."payments"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_credit_memo_applications_memo"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_credit_memo_applications_invoice"`);
    await queryRunner.query(`DROP TABLE "billing"."credit_memo_applications"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_credit_memo_lines_memo"`);
    await queryRunner.query(`DROP TABLE "billing"."credit_memo_lines"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_credit_memos_updated"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_credit_memos_customer"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_credit_memos_invoice"`);
    await queryRunner.query(`DROP INDEX "billing"."uq_credit_memos_number"`);
    await queryRunner.query(`DROP TABLE "billing"."credit_memos"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_invoice_lines_invoice"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_invoice_lines_pending"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_invoice_lines_usage_period"`);
    await queryRunner.query(`DROP INDEX "billing"."uq_invoice_lines_usage_ref"`);
    await queryRunner.query(`DROP TABLE "billing"."invoice_lines"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_invoices_updated"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_invoices_customer"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_invoices_subscription"`);
    await queryRunner.query(`DROP INDEX "billing"."uq_invoices_number"`);
    await queryRunner.query(`DROP TABLE "billing"."invoices"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_amendments_subscription"`);
    await queryRunner.query(`DROP TABLE "billing"."amendments"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_subscription_items_subscription"`);
    await queryRunner.query(`DROP TABLE "billing"."subscription_items"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_subscriptions_updated"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_subscriptions_customer"`);
    await queryRunner.query(`DROP INDEX "billing"."uq_subscriptions_external_id"`);
    await queryRunner.query(`DROP TABLE "billing"."subscriptions"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_prices_updated"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_prices_product"`);
    await queryRunner.query(`DROP INDEX "billing"."uq_prices_external_id"`);
    await queryRunner.query(`DROP TABLE "billing"."prices"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_products_updated"`);
    await queryRunner.query(`DROP INDEX "billing"."uq_products_sku"`);
    await queryRunner.query(`DROP INDEX "billing"."uq_products_external_id"`);
    await queryRunner.query(`DROP TABLE "billing"."products"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_customers_updated"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_customers_legal_entity"`);
    await queryRunner.query(`DROP INDEX "billing"."uq_customers_external_id"`);
    await queryRunner.query(`DROP TABLE "billing"."customers"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_outbox_events_unpublished"`);
    await queryRunner.query(`DROP TABLE "billing"."outbox_events"`);
    await queryRunner.query(`DROP INDEX "billing"."idx_idempotency_keys_expires_at"`);
    await queryRunner.query(`DROP TABLE "billing"."idempotency_keys"`);
  }
}
