import { MigrationInterface, QueryRunner } from 'typeorm';

export class Revenue1796046430245 implements MigrationInterface {
  name = 'Revenue1796046430245';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "u2r"."revenue_schedules" ("id" uuid NOT NULL, "legal_entity" character varying(20) NOT NULL, "currency" character(3) NOT NULL, "invoice_id" character varying(128) NOT NULL, "invoice_number" character varying(50), "invoice_line_id" character varying(128) NOT NULL, "document_type" character varying(12) NOT NULL, "source" character varying(12) NOT NULL, "subscription_id" character varying(128), "customer_id" character varying(128) NOT NULL, "product_id" character varying(128), "product_family" character varying(64) NOT NULL, "item_code" character varying(50) NOT NULL, "line_type" character varying(20) NOT NULL, "method" character varying(20) NOT NULL, "total" numeric NOT NULL, "deferred" boolean NOT NULL, "deferred_account" character varying(20), "revenue_account" character varying(20) NOT NULL, "posting_period" character varying(7) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_c3859502c2c683601fdd90d5a32" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_revenue_schedules_entity" ON "u2r"."revenue_schedules" ("legal_entity", "currency", "posting_period") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_revenue_schedules_line" ON "u2r"."revenue_schedules" ("invoice_id", "invoice_line_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."revenue_schedule_entries" ("schedule_id" uuid NOT NULL, "period" character varying(7) NOT NULL, "amount" numeric NOT NULL, CONSTRAINT "PK_6aaf5ec4d6493a3120437dd1ed8" PRIMARY KEY ("schedule_id", "period"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_revenue_schedule_entries_period" ON "u2r"."revenue_schedule_entries" ("period") `,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."revenue_closes" ("period" character varying(7) NOT NULL, "status" character varying(12) NOT NULL, "attempt" integer NOT NULL, "error" character varying(1000), "started_by" character varying(200) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_160883a41fb0514e9aa43bb2293" PRIMARY KEY ("period"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."revenue_journals" ("period" character varying(7) NOT NULL, "legal_entity" character varying(20) NOT NULL, "currency" character(3) NOT NULL, "seq" integer NOT NULL, "sources" jsonb NOT NULL, "external_id" character varying(100) NOT NULL, "status" character varying(20) NOT NULL, "amount" numeric NOT NULL, "lines" jsonb NOT NULL, "erp_number" character varying(50), "problem" jsonb, "posted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_86d77b7cfbd0f56ee39fc2eec78" PRIMARY KEY ("period", "legal_entity", "currency", "seq"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "u2r"."billing_products" ADD "family" character varying(64)`,
    );
    await queryRunner.query(
      `ALTER TABLE "u2r"."billing_products" ADD "one_time_recognition" character varying(20)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "u2r"."billing_products" DROP COLUMN "one_time_recognition"`,
    );
    await queryRunner.query(`ALTER TABLE "u2r"."billing_products" DROP COLUMN "family"`);
    await queryRunner.query(`DROP TABLE "u2r"."revenue_journals"`);
    await queryRunner.query(`DROP TABLE "u2r"."revenue_closes"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_revenue_schedule_entries_period"`);
    await queryRunner.query(`DROP TABLE "u2r"."revenue_schedule_entries"`);
    await queryRunner.query(`DROP INDEX "u2r"."uq_revenue_schedules_line"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_revenue_schedules_entity"`);
    await queryRunner.query(`DROP TABLE "u2r"."revenue_schedules"`);
  }
}
