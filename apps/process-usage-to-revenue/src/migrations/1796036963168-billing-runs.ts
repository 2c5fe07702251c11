import { MigrationInterface, QueryRunner } from 'typeorm';

export class BillingRuns1796036963168 implements MigrationInterface {
  name = 'BillingRuns1796036963168';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "u2r"."billing_runs" ("id" character varying(200) NOT NULL, "period" character varying(7) NOT NULL, "entities" character varying(20) array NOT NULL, "status" character varying(12) NOT NULL, "total" integer, "error" character varying(1000), "started_by" character varying(200) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6cbc5e20856bf81be0e61423167" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."billed_subscriptions" ("period" character varying(7) NOT NULL, "subscription_id" character varying(128) NOT NULL, "run_id" character varying(200) NOT NULL, "chunk" integer NOT NULL, "customer_id" character varying(128) NOT NULL, "legal_entity" character varying(20) NOT NULL, "currency" character(3) NOT NULL, "status" character varying(20) NOT NULL, "invoice_id" uuid, "invoice_number" character varying(50), "total" numeric, "invoice" jsonb, "posting" jsonb, "problem" jsonb, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_15f3322ec8b45383901a223a3c5" PRIMARY KEY ("period", "subscription_id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_billed_subscriptions_invoice" ON "u2r"."billed_subscriptions" ("invoice_id") WHERE invoice_id is not null`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_billed_subscriptions_run" ON "u2r"."billed_subscriptions" ("run_id", "chunk") `,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."billing_products" ("id" character varying(128) NOT NULL, "sku" character varying(100), "name" character varying(255) NOT NULL, CONSTRAINT "PK_a750e7af6091f8883045f1c75e1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."erp_customers" ("legal_entity" character varying(20) NOT NULL, "external_id" character varying(128) NOT NULL, "ensured_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_8108ff2119a7725569a2d6ee071" PRIMARY KEY ("legal_entity", "external_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."rated_usage" ("id" uuid NOT NULL, "period" character varying(7) NOT NULL, "subscription_id" character varying(128) NOT NULL, "meter_code" character varying(64) NOT NULL, "aggregation" character varying(16) NOT NULL, "quantity" numeric NOT NULL, "event_count" integer NOT NULL, "first_event_id" character varying(128) NOT NULL, "last_event_id" character varying(128) NOT NULL, "events_quantity" numeric NOT NULL, "checksum" character(64) NOT NULL, "status" character varying(12) NOT NULL, "price_id" uuid, "amount" numeric, "currency" character(3), "usage_line_id" uuid, "problem" jsonb, "rated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a084868377756d4ddac44b8d6be" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_rated_usage_key" ON "u2r"."rated_usage" ("period", "subscription_id", "meter_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."billing_subscriptions" ("id" character varying(128) NOT NULL, "customer_id" character varying(128) NOT NULL, "customer_external_id" character varying(128), "legal_entity" character varying(20) NOT NULL, "currency" character(3) NOT NULL, "status" character varying(16) NOT NULL, "start_date" date NOT NULL, "end_date" date, "meters" jsonb NOT NULL, "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_da12bd094f95ed1a9ad21b0b2df" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_billing_subscriptions_customer" ON "u2r"."billing_subscriptions" ("customer_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."billing_customers" ("id" character varying(128) NOT NULL, "external_id" character varying(128), "name" character varying(255) NOT NULL, "legal_entity" character varying(20) NOT NULL, "currency" character(3) NOT NULL, "payment_terms" character varying(20) NOT NULL, "country" character(2), CONSTRAINT "PK_33443c37051e342361f61a54b86" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_billing_customers_external" ON "u2r"."billing_customers" ("external_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "u2r"."idx_billing_customers_external"`);
    await queryRunner.query(`DROP TABLE "u2r"."billing_customers"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_billing_subscriptions_customer"`);
    await queryRunner.query(`DROP TABLE "u2r"."billing_subscriptions"`);
    await queryRunner.query(`DROP INDEX "u2r"."uq_rated_usage_key"`);
    await queryRunner.query(`DROP TABLE "u2r"."rated_usage"`);
    await queryRunner.query(`DROP TABLE "u2r"."erp_customers"`);
    await queryRunner.query(`DROP TABLE "u2r"."billing_products"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_billed_subscriptions_run"`);
    await queryRunner.query(`DROP INDEX "u2r"."uq_billed_subscriptions_invoice"`);
    await queryRunner.query(`DROP TABLE "u2r"."billed_subscriptions"`);
    await queryRunner.query(`DROP TABLE "u2r"."billing_runs"`);
  }
}
