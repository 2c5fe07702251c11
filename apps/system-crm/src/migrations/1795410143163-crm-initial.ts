import { MigrationInterface, QueryRunner } from 'typeorm';

export class CrmInitial1795410143163 implements MigrationInterface {
  name = 'CrmInitial1795410143163';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "crm"."idempotency_keys" ("caller" character varying(200) NOT NULL, "key" character varying(255) NOT NULL, "request_hash" character(64) NOT NULL, "method" character varying(10) NOT NULL, "path" character varying(2048) NOT NULL, "state" character varying(16) NOT NULL, "status_code" integer, "response_body" jsonb, "response_headers" jsonb, "locked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a661c9488678a6eb48ebb65eb63" PRIMARY KEY ("caller", "key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_idempotency_keys_expires_at" ON "crm"."idempotency_keys" ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "crm"."outbox_events" ("id" uuid NOT NULL, "type" character varying(200) NOT NULL, "subject" character varying(200) NOT NULL, "correlation_id" character varying(128) NOT NULL, "envelope" jsonb NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_6689a16c00d09b8089f6237f1d2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_outbox_events_unpublished" ON "crm"."outbox_events" ("occurred_at") WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "crm"."accounts" ("id" uuid NOT NULL, "external_id" character varying(100), "legal_name" character varying(255) NOT NULL, "billing_address" jsonb NOT NULL, "tax_registration" jsonb, "currency" character(3) NOT NULL, "legal_entity" character varying(20) NOT NULL, "parent_account_id" uuid, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_5a7a02c20412299d198e097a8fe" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_accounts_external_id" ON "crm"."accounts" ("external_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_accounts_legal_entity" ON "crm"."accounts" ("legal_entity") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_accounts_updated" ON "crm"."accounts" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "crm"."products" ("id" uuid NOT NULL, "external_id" character varying(100), "sku" character varying(64) NOT NULL, "name" character varying(255) NOT NULL, "family" character varying(100), "active" boolean NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_0806c755e0aca124e67c0cf6d7d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_products_external_id" ON "crm"."products" ("external_id") `,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_products_sku" ON "crm"."products" ("sku") `);
    await queryRunner.query(
      `CREATE INDEX "idx_products_updated" ON "crm"."products" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "crm"."opportunities" ("id" uuid NOT NULL, "external_id" character varying(100), "account_id" uuid NOT NULL, "legal_entity" character varying(20) NOT NULL, "name" character varying(255) NOT NULL, "stage" character varying(20) NOT NULL, "close_date" date, "currency" character(3) NOT NULL, "amount" numeric(24,4) NOT NULL, "billing_status" jsonb NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_4bd9cd12ddc0ff48a5a97ddebce" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_opportunities_external_id" ON "crm"."opportunities" ("external_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_opportunities_account" ON "crm"."opportunities" ("account_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_opportunities_stage" ON "crm"."opportunities" ("stage") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_opportunities_updated" ON "crm"."opportunities" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "crm"."opportunity_lines" ("id" uuid NOT NULL, "opportunity_id" uuid NOT NULL, "position" integer NOT NULL, "product_id" uuid NOT NULL, "quantity" numeric(24,6) NOT NULL, "unit_price" numeric(24,6) NOT NULL, "discount_percent" numeric(7,4) NOT NULL, "term_months" integer NOT NULL, "start_date" date NOT NULL, "total_price" numeric(24,4) NOT NULL, CONSTRAINT "PK_c82cb07b7f5f0571e05d983861d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_opportunity_lines_opportunity" ON "crm"."opportunity_lines" ("opportunity_id", "position") `,
    );
    await queryRunner.query(
      `CREATE TABLE "crm"."opportunity_stage_changes" ("id" uuid NOT NULL, "opportunity_id" uuid NOT NULL, "stage" character varying(20) NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "changed_by" character varying(200) NOT NULL, CONSTRAINT "PK_80efcecdca3f73e328a6b12d47c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_stage_changes_opportunity" ON "crm"."opportunity_stage_changes" ("opportunity_id", "changed_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "crm"."accounts" ADD CONSTRAINT "FK_82655922433e50df4fd451d5240" FOREIGN KEY ("parent_account_id") REFERENCES "crm"."accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "crm"."opportunities" ADD CONSTRAINT "FK_b382ff2fc824b078245faddc84c" FOREIGN KEY ("account_id") REFERENCES "crm"."accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "crm"."opportunity_lines" ADD CONSTRAINT "FK_55dbdb5da70c3bbed7a3a77c752" FOREIGN KEY ("opportunity_id") REFERENCES "crm"."opportunities"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "crm"."opportunity_lines" ADD CONSTRAINT "FK_df7df06ae8cfd30c649989b1b38" FOREIGN KEY ("product_id") REFERENCES "crm"."products"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "crm"."opportunity_stage_changes" ADD CONSTRAINT "FK_f6ffcd65804b40e710e73c683fe" FOREIGN KEY ("opportunity_id") REFERENCES "crm"."opportunities"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "crm"."opportunity_stage_changes" DROP CONSTRAINT "FK_f6ffcd65804b40e710e73c683fe"`,
    );
    await queryRunner.query(
      `ALTER TABLE "crm"."opportunity_lines" DROP CONSTRAINT "FK_df7df06ae8cfd30c649989b1b38"`,
    );
    await queryRunner.query(
      `ALTER TABLE "crm"."opportunity_lines" DROP CONSTRAINT "FK_55dbdb5da70c3bbed7a3a77c752"`,
    );
    await queryRunner.query(
      `ALTER TABLE "crm"."opportunities" DROP CONSTRAINT "FK_b382ff2fc824b078245faddc84c"`,
    );
    await queryRunner.query(
      `ALTER TABLE "crm"."accounts" DROP CONSTRAINT "FK_82655922433e50df4fd451d5240"`,
    );
    await queryRunner.query(`DROP INDEX "crm"."idx_stage_changes_opportunity"`);
    await queryRunner.query(`DROP TABLE "crm"."opportunity_stage_changes"`);
    await queryRunner.query(`DROP INDEX "crm"."idx_opportunity_lines_opportunity"`);
    await queryRunner.query(`DROP TABLE "crm"."opportunity_lines"`);
    await queryRunner.query(`DROP INDEX "crm"."idx_opportunities_updated"`);
    await queryRunner.query(`DROP INDEX "crm"."idx_opportunities_stage"`);
    await queryRunner.query(`DROP INDEX "crm"."idx_opportunities_account"`);
    await queryRunner.query(`DROP INDEX "crm"."uq_opportunities_external_id"`);
    await queryRunner.query(`DROP TABLE "crm"."opportunities"`);
    await queryRunner.query(`DROP INDEX "crm"."idx_products_updated"`);
    await queryRunner.query(`DROP INDEX "crm"."uq_products_sku"`);
    await queryRunner.query(`DROP INDEX "crm"."uq_products_external_id"`);
    await queryRunner.query(`DROP TABLE "crm"."products"`);
    await queryRunner.query(`DROP INDEX "crm"."idx_accounts_updated"`);
    await queryRunner.query(`DROP INDEX "crm"."idx_accounts_legal_entity"`);
    await queryRunner.query(`DROP INDEX "crm"."uq_accounts_external_id"`);
    await queryRunner.query(`DROP TABLE "crm"."accounts"`);
    await queryRunner.query(`DROP INDEX "crm"."idx_outbox_events_unpublished"`);
    await queryRunner.query(`DROP TABLE "crm"."outbox_events"`);
    await queryRunner.query(`DROP INDEX "crm"."idx_idempotency_keys_expires_at"`);
    await queryRunner.query(`DROP TABLE "crm"."idempotency_keys"`);
  }
}
