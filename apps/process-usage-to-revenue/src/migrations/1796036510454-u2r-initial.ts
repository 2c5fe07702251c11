import { MigrationInterface, QueryRunner } from 'typeorm';

export class U2rInitial1796036510454 implements MigrationInterface {
  name = 'U2rInitial1796036510454';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "u2r"."idempotency_keys" ("caller" character varying(200) NOT NULL, "key" character varying(255) NOT NULL, "request_hash" character(64) NOT NULL, "method" character varying(10) NOT NULL, "path" character varying(2048) NOT NULL, "state" character varying(16) NOT NULL, "status_code" integer, "response_body" jsonb, "response_headers" jsonb, "locked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a661c9488678a6eb48ebb65eb63" PRIMARY KEY ("caller", "key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_idempotency_keys_expires_at" ON "u2r"."idempotency_keys" ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."outbox_events" ("id" uuid NOT NULL, "type" character varying(200) NOT NULL, "subject" character varying(200) NOT NULL, "correlation_id" character varying(128) NOT NULL, "envelope" jsonb NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_6689a16c00d09b8089f6237f1d2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_outbox_events_unpublished" ON "u2r"."outbox_events" ("occurred_at") WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."webhook_subscriptions" ("id" uuid NOT NULL, "url" character varying(2048) NOT NULL, "event_types" character varying(200) array NOT NULL, "description" character varying(500), "enabled" boolean NOT NULL, "secret_sealed" character varying(500), "previous_secret_sealed" character varying(500), "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE, "secret_rotated_at" TIMESTAMP WITH TIME ZONE, "created_by" character varying(200) NOT NULL, "updated_by" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "deleted_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL, CONSTRAINT "PK_bf631ae77d39849d599817fb6f4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_subscriptions_keyset" ON "u2r"."webhook_subscriptions" ("updated_at", "id") WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."webhook_deliveries" ("id" uuid NOT NULL, "subscription_id" uuid NOT NULL, "event_id" uuid NOT NULL, "event_type" character varying(200) NOT NULL, "status" character varying(16) NOT NULL, "origin" character varying(16) NOT NULL, "replay_of" uuid, "requested_by" character varying(200), "attempts" integer NOT NULL, "next_attempt_at" TIMESTAMP WITH TIME ZONE, "last_attempt_at" TIMESTAMP WITH TIME ZONE, "last_status_code" integer, "last_error" character varying(1000), "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_webhook_deliveries_relay_once" ON "u2r"."webhook_deliveries" ("event_id", "subscription_id") WHERE origin = 'relay'`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_deliveries_event" ON "u2r"."webhook_deliveries" ("event_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_deliveries_subscription" ON "u2r"."webhook_deliveries" ("subscription_id", "updated_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_deliveries_keyset" ON "u2r"."webhook_deliveries" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_deliveries_due" ON "u2r"."webhook_deliveries" ("next_attempt_at") WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."webhook_audit_log" ("id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor" character varying(200) NOT NULL, "action" character varying(50) NOT NULL, "subscription_id" uuid, "delivery_id" uuid, "correlation_id" character varying(128), "detail" jsonb NOT NULL, CONSTRAINT "PK_c9e41066d3a9ab839a9f1d6e7bd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_audit_log_subscription" ON "u2r"."webhook_audit_log" ("subscription_id", "at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."meters" ("code" character varying(64) NOT NULL, "name" character varying(200) NOT NULL, "aggregation" character varying(16) NOT NULL, "unique_property" character varying(40), "unit" character varying(32) NOT NULL, "late_policy" character varying(16) NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_ef9b6e9d93abaf279a0b71e0432" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_meters_updated" ON "u2r"."meters" ("updated_at", "code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."usage_events" ("id" character varying(128) COLLATE "C" NOT NULL, "kind" character varying(12) NOT NULL, "cancels_event_id" character varying(128) COLLATE "C", "subscription_ref" character varying(128), "customer_ref" character varying(128), "meter_code" character varying(64) NOT NULL, "quantity" numeric(25,10) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "period" character varying(7) NOT NULL, "own_period" character varying(7) NOT NULL, "disposition" character varying(16) NOT NULL, "properties" jsonb, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c9f17d50873fab2c46615f542bc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_usage_events_cancels" ON "u2r"."usage_events" ("cancels_event_id") WHERE cancels_event_id is not null`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_usage_events_period" ON "u2r"."usage_events" ("period") `,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."usage_releases" ("event_id" character varying(128) NOT NULL, "period" character varying(7) NOT NULL, "released_by" character varying(200) NOT NULL, "released_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_3896a373f9b3576f90d50b90a99" PRIMARY KEY ("event_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_usage_releases_period" ON "u2r"."usage_releases" ("period") `,
    );
    await queryRunner.query(
      `CREATE TABLE "u2r"."usage_periods" ("period" character varying(7) NOT NULL, "status" character varying(8) NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, "closed_by" character varying(200), CONSTRAINT "PK_f8dda040d485c2c924581c758fd" PRIMARY KEY ("period"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "u2r"."webhook_deliveries" ADD CONSTRAINT "FK_23eb2b6ae801c52cfb79a556b8a" FOREIGN KEY ("subscription_id") REFERENCES "u2r"."webhook_subscriptions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "u2r"."webhook_deliveries" ADD CONSTRAINT "FK_27d1ee90033bdafe0ffe8f1be6f" FOREIGN KEY ("event_id") REFERENCES "u2r"."outbox_events"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "u2r"."webhook_deliveries" DROP CONSTRAINT "FK_27d1ee90033bdafe0ffe8f1be6f"`,
    );
    await queryRunner.query(
      `ALTER TABLE "u2r"."webhook_deliveries" DROP CONSTRAINT "FK_23eb2b6ae801c52cfb79a556b8a"`,
    );
    await queryRunner.query(`DROP TABLE "u2r"."usage_periods"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_usage_releases_period"`);
    await queryRunner.query(`DROP TABLE "u2r"."usage_releases"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_usage_events_period"`);
    await queryRunner.query(`DROP INDEX "u2r"."uq_usage_events_cancels"`);
    await queryRunner.query(`DROP TABLE "u2r"."usage_events"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_meters_updated"`);
    await queryRunner.query(`DROP TABLE "u2r"."meters"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_webhook_audit_log_subscription"`);
    await queryRunner.query(`DROP TABLE "u2r"."webhook_audit_log"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_webhook_deliveries_due"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_webhook_deliveries_keyset"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_webhook_deliveries_subscription"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_webhook_deliveries_event"`);
    await queryRunner.query(`DROP INDEX "u2r"."uq_webhook_deliveries_relay_once"`);
    await queryRunner.query(`DROP TABLE "u2r"."webhook_deliveries"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_webhook_subscriptions_keyset"`);
    await queryRunner.query(`DROP TABLE "u2r"."webhook_subscriptions"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_outbox_events_unpublished"`);
    await queryRunner.query(`DROP TABLE "u2r"."outbox_events"`);
    await queryRunner.query(`DROP INDEX "u2r"."idx_idempotency_keys_expires_at"`);
    await queryRunner.query(`DROP TABLE "u2r"."idempotency_keys"`);
  }
}
