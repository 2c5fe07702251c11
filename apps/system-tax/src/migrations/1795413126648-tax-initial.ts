import { MigrationInterface, QueryRunner } from 'typeorm';

export class TaxInitial1795413126648 implements MigrationInterface {
  name = 'TaxInitial1795413126648';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tax"."idempotency_keys" ("caller" character varying(200) NOT NULL, "key" character varying(255) NOT NULL, "request_hash" character(64) NOT NULL, "method" character varying(10) NOT NULL, "path" character varying(2048) NOT NULL, "state" character varying(16) NOT NULL, "status_code" integer, "response_body" jsonb, "response_headers" jsonb, "locked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a661c9488678a6eb48ebb65eb63" PRIMARY KEY ("caller", "key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_idempotency_keys_expires_at" ON "tax"."idempotency_keys" ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "tax"."outbox_events" ("id" uuid NOT NULL, "type" character varying(200) NOT NULL, "subject" character varying(200) NOT NULL, "correlation_id" character varying(128) NOT NULL, "envelope" jsonb NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_6689a16c00d09b8089f6237f1d2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_outbox_events_unpublished" ON "tax"."outbox_events" ("occurred_at") WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "tax"."tax_transactions" ("id" uuid NOT NULL, "company_code" character varying(20) NOT NULL, "code" character varying(50) NOT NULL, "type" character varying(20) NOT NULL, "status" character varying(20) NOT NULL, "customer_code" character varying(50) NOT NULL, "date" date NOT NULL, "currency" character(3) NOT NULL, "exemption_no" character varying(25), "business_identification_no" character varying(20), "ship_from" jsonb NOT NULL, "ship_to" jsonb NOT NULL, "reverse_charge" boolean NOT NULL, "total_amount" numeric(24,4) NOT NULL, "total_taxable" numeric(24,4) NOT NULL, "total_exempt" numeric(24,4) NOT NULL, "total_tax" numeric(24,4) NOT NULL, "messages" jsonb NOT NULL, "content_hash" character(64) NOT NULL, "version" integer NOT NULL, "committed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "voided_at" TIMESTAMP WITH TIME ZONE, "void_reason" character varying(255), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a5ec540fc13668a2ffcf09b082c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_tax_transactions_customer" ON "tax"."tax_transactions" ("customer_code") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_tax_transactions_updated" ON "tax"."tax_transactions" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_tax_transactions_code" ON "tax"."tax_transactions" ("company_code", "code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "tax"."tax_transaction_lines" ("id" uuid NOT NULL, "transaction_id" uuid NOT NULL, "position" integer NOT NULL, "line_number" character varying(50) NOT NULL, "item_code" character varying(50), "tax_code" character varying(25) NOT NULL, "description" character varying(255), "quantity" numeric(24,6) NOT NULL, "amount" numeric(24,4) NOT NULL, "tax_included" boolean NOT NULL, "taxability" character varying(20) NOT NULL, "rate" numeric(8,6) NOT NULL, "jurisdiction" jsonb NOT NULL, "net_amount" numeric(24,4) NOT NULL, "taxable_amount" numeric(24,4) NOT NULL, "exempt_amount" numeric(24,4) NOT NULL, "tax" numeric(24,4) NOT NULL, CONSTRAINT "PK_a809fd5de742aad2bbfc64a3de2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_tax_transaction_lines_number" ON "tax"."tax_transaction_lines" ("transaction_id", "line_number") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_tax_transaction_lines_transaction" ON "tax"."tax_transaction_lines" ("transaction_id", "position") `,
    );
    await queryRunner.query(
      `ALTER TABLE "tax"."tax_transaction_lines" ADD CONSTRAINT "FK_1174459a4d12ebe13208db5eb6a" FOREIGN KEY ("transaction_id") REFERENCES "tax"."tax_transactions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "tax"."tax_transaction_lines" DROP CONSTRAINT "FK_1174459a4d12ebe13208db5eb6a"`,
    );
    await queryRunner.query(`DROP INDEX "tax"."idx_tax_transaction_lines_transaction"`);
    await queryRunner.query(`DROP INDEX "tax"."uq_tax_transaction_lines_number"`);
    await queryRunner.query(`DROP TABLE "tax"."tax_transaction_lines"`);
    await queryRunner.query(`DROP INDEX "tax"."uq_tax_transactions_code"`);
    await queryRunner.query(`DROP INDEX "tax"."idx_tax_transactions_updated"`);
    await queryRunner.query(`DROP INDEX "tax"."idx_tax_transactions_customer"`);
    await queryRunner.query(`DROP TABLE "tax"."tax_transactions"`);
    await queryRunner.query(`DROP INDEX "tax"."idx_outbox_events_unpublished"`);
    await queryRunner.query(`DROP TABLE "tax"."outbox_events"`);
    await queryRunner.query(`DROP INDEX "tax"."idx_idempotency_keys_expires_at"`);
    await queryRunner.query(`DROP TABLE "tax"."idempotency_keys"`);
  }
}
