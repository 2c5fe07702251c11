import { MigrationInterface, QueryRunner } from 'typeorm';

export class Q2cInitial1796036741345 implements MigrationInterface {
  name = 'Q2cInitial1796036741345';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "q2c"."idempotency_keys" ("caller" character varying(200) NOT NULL, "key" character varying(255) NOT NULL, "request_hash" character(64) NOT NULL, "method" character varying(10) NOT NULL, "path" character varying(2048) NOT NULL, "state" character varying(16) NOT NULL, "status_code" integer, "response_body" jsonb, "response_headers" jsonb, "locked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a661c9488678a6eb48ebb65eb63" PRIMARY KEY ("caller", "key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_idempotency_keys_expires_at" ON "q2c"."idempotency_keys" ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "q2c"."outbox_events" ("id" uuid NOT NULL, "type" character varying(200) NOT NULL, "subject" character varying(200) NOT NULL, "correlation_id" character varying(128) NOT NULL, "envelope" jsonb NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_6689a16c00d09b8089f6237f1d2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_outbox_events_unpublished" ON "q2c"."outbox_events" ("occurred_at") WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "q2c"."inbox_events" ("event_id" uuid NOT NULL, "source" character varying(200) NOT NULL, "type" character varying(200) NOT NULL, "subject" character varying(200) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "correlation_id" character varying(128) NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_2d7e43edc9ef42c0aa7b9866364" PRIMARY KEY ("event_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "q2c"."webhook_subscriptions" ("id" uuid NOT NULL, "url" character varying(2048) NOT NULL, "event_types" character varying(200) array NOT NULL, "description" character varying(500), "enabled" boolean NOT NULL, "secret_sealed" character varying(500), "previous_secret_sealed" character varying(500), "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE, "secret_rotated_at" TIMESTAMP WITH TIME ZONE, "created_by" character varying(200) NOT NULL, "updated_by" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "deleted_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL, CONSTRAINT "PK_bf631ae77d39849d599817fb6f4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_subscriptions_keyset" ON "q2c"."webhook_subscriptions" ("updated_at", "id") WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "q2c"."webhook_deliveries" ("id" uuid NOT NULL, "subscription_id" uuid NOT NULL, "event_id" uuid NOT NULL, "event_type" character varying(200) NOT NULL, "status" character varying(16) NOT NULL, "origin" character varying(16) NOT NULL, "replay_of" uuid, "requested_by" character varying(200), "attempts" integer NOT NULL, "next_attempt_at" TIMESTAMP WITH TIME ZONE, "last_attempt_at" TIMESTAMP WITH TIME ZONE, "last_status_code" integer, "last_error" character varying(1000), "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_webhook_deliveries_relay_once" ON "q2c"."webhook_deliveries" ("event_id", "subscription_id") WHERE origin = 'relay'`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_deliveries_event" ON "q2c"."webhook_deliveries" ("event_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_deliveries_subscription" ON "q2c"."webhook_deliveries" ("subscription_id", "updated_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_deliveries_keyset" ON "q2c"."webhook_deliveries" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_deliveries_due" ON "q2c"."webhook_deliveries" ("next_attempt_at") WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE TABLE "q2c"."webhook_audit_log" ("id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor" character varying(200) NOT NULL, "action" character varying(50) NOT NULL, "subscription_id" uuid, "delivery_id" uuid, "correlation_id" character varying(128), "detail" jsonb NOT NULL, CONSTRAINT "PK_c9e41066d3a9ab839a9f1d6e7bd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_audit_log_subscription" ON "q2c"."webhook_audit_log" ("subscription_id", "at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "q2c"."audit_log" ("id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor" character varying(200) NOT NULL, "action" character varying(60) NOT NULL, "target_type" character varying(40) NOT NULL, "target_id" character varying(100) NOT NULL, "reason" character varying(1000), "detail" jsonb NOT NULL, "correlation_id" character varying(128) NOT NULL, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_audit_log_at" ON "q2c"."audit_log" ("at", "id") `);
    await queryRunner.query(
      `CREATE INDEX "idx_audit_log_target" ON "q2c"."audit_log" ("target_type", "target_id", "at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "q2c"."event_sources" ("source" character varying(20) NOT NULL, "subscription_id" uuid NOT NULL, "url" character varying(2048) NOT NULL, "sealed_secrets" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_fa7146ac4a09942f78907cf6d7c" PRIMARY KEY ("source"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "q2c"."product_mappings" ("id" uuid NOT NULL, "crm_product_id" uuid NOT NULL, "currency" character(3) NOT NULL, "billing_price_id" uuid NOT NULL, "erp_item_code" character varying(50) NOT NULL, "note" character varying(500), "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_52293885a9358d137c7076d7779" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_product_mappings_updated" ON "q2c"."product_mappings" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_product_mappings_product_currency" ON "q2c"."product_mappings" ("crm_product_id", "currency") `,
    );
    await queryRunner.query(
      `CREATE TABLE "q2c"."orders" ("id" uuid NOT NULL, "opportunity_id" uuid NOT NULL, "account_id" uuid, "legal_entity" character varying(20), "currency" character(3), "correlation_id" character varying(128) NOT NULL, "status" character varying(20) NOT NULL, "current_step" character varying(40), "steps" jsonb NOT NULL, "refs" jsonb NOT NULL, "exception" jsonb, "attempts" integer NOT NULL, "created_by" character varying(200) NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_710e2d4957aa5878dfe94e4ac2f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_orders_status" ON "q2c"."orders" ("status", "updated_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_orders_updated" ON "q2c"."orders" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_orders_opportunity" ON "q2c"."orders" ("opportunity_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "q2c"."webhook_deliveries" ADD CONSTRAINT "FK_23eb2b6ae801c52cfb79a556b8a" FOREIGN KEY ("subscription_id") REFERENCES "q2c"."webhook_subscriptions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "q2c"."webhook_deliveries" ADD CONSTRAINT "FK_27d1ee90033bdafe0ffe8f1be6f" FOREIGN KEY ("event_id") REFERENCES "q2c"."outbox_events"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "q2c"."webhook_deliveries" DROP CONSTRAINT "FK_27d1ee90033bdafe0ffe8f1be6f"`,
    );
    await queryRunner.query(
      `ALTER TABLE "q2c"."webhook_deliveries" DROP CONSTRAINT "FK_23eb2b6ae801c52cfb79a556b8a"`,
    );
    await queryRunner.query(`DROP INDEX "q2c"."uq_orders_opportunity"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_orders_updated"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_orders_status"`);
    await queryRunner.query(`DROP TABLE "q2c"."orders"`);
    await queryRunner.query(`DROP INDEX "q2c"."uq_product_mappings_product_currency"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_product_mappings_updated"`);
    await queryRunner.query(`DROP TABLE "q2c"."product_mappings"`);
    await queryRunner.query(`DROP TABLE "q2c"."event_sources"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_audit_log_target"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_audit_log_at"`);
    await queryRunner.query(`DROP TABLE "q2c"."audit_log"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_webhook_audit_log_subscription"`);
    await queryRunner.query(`DROP TABLE "q2c"."webhook_audit_log"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_webhook_deliveries_due"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_webhook_deliveries_keyset"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_webhook_deliveries_subscription"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_webhook_deliveries_event"`);
    await queryRunner.query(`DROP INDEX "q2c"."uq_webhook_deliveries_relay_once"`);
    await queryRunner.query(`DROP TABLE "q2c"."webhook_deliveries"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_webhook_subscriptions_keyset"`);
    await queryRunner.query(`DROP TABLE "q2c"."webhook_subscriptions"`);
    await queryRunner.query(`DROP TABLE "q2c"."inbox_events"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_outbox_events_unpublished"`);
    await queryRunner.query(`DROP TABLE "q2c"."outbox_events"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_idempotency_keys_expires_at"`);
    await queryRunner.query(`DROP TABLE "q2c"."idempotency_keys"`);
  }
}
