import { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1796042647078 implements MigrationInterface {
  name = 'Webhooks1796042647078';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "erp"."outbox_events" ("id" uuid NOT NULL, "type" character varying(200) NOT NULL, "subject" character varying(200) NOT NULL, "correlation_id" character varying(128) NOT NULL, "envelope" jsonb NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_6689a16c00d09b8089f6237f1d2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_outbox_events_unpublished" ON "erp"."outbox_events" ("occurred_at") WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."webhook_subscriptions" ("id" uuid NOT NULL, "url" character varying(2048) NOT NULL, "event_types" character varying(200) array NOT NULL, "description" character varying(500), "enabled" boolean NOT NULL, "secret_sealed" character varying(500), "previous_secret_sealed" character varying(500), "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE, "secret_rotated_at" TIMESTAMP WITH TIME ZONE, "created_by" character varying(200) NOT NULL, "updated_by" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "deleted_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL, CONSTRAINT "PK_bf631ae77d39849d599817fb6f4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_subscriptions_keyset" ON "erp"."webhook_subscriptions" ("updated_at", "id") WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."webhook_deliveries" ("id" uuid NOT NULL, "subscription_id" uuid NOT NULL, "event_id" uuid NOT NULL, "event_type" character varying(200) NOT NULL, "status" character varying(16) NOT NULL, "origin" character varying(16) NOT NULL, "replay_of" uuid, "requested_by" character varying(200), "attempts" integer NOT NULL, "next_attempt_at" TIMESTAMP WITH TIME ZONE, "last_attempt_at" TIMESTAMP WITH TIME ZONE, "last_status_code" integer, "last_error" character varying(1000), "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_webhook_deliveries_relay_once" ON "erp"."webhook_deliveries" ("event_id", "subscription_id") WHERE origin = 'relay'`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_deliveries_event" ON "erp"."webhook_deliveries" ("event_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_deliveries_subscription" ON "erp"."webhook_deliveries" ("subscription_id", "updated_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_deliveries_keyset" ON "erp"."webhook_deliveries" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_deliveries_due" ON "erp"."webhook_deliveries" ("next_attempt_at") WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE TABLE "erp"."webhook_audit_log" ("id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor" character varying(200) NOT NULL, "action" character varying(50) NOT NULL, "subscription_id" uuid, "delivery_id" uuid, "correlation_id" character varying(128), "detail" jsonb NOT NULL, CONSTRAINT "PK_c9e41066d3a9ab839a9f1d6e7bd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_audit_log_subscription" ON "erp"."webhook_audit_log" ("subscription_id", "at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "erp"."webhook_deliveries" ADD CONSTRAINT "FK_23eb2b6ae801c52cfb79a556b8a" FOREIGN KEY ("subscription_id") REFERENCES "erp"."webhook_subscriptions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "erp"."webhook_deliveries" ADD CONSTRAINT "FK_27d1ee90033bdafe0ffe8f1be6f" FOREIGN KEY ("event_id") REFERENCES "erp"."outbox_events"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "erp"."webhook_deliveries" DROP CONSTRAINT "FK_27d1ee90033bdafe0ffe8f1be6f"`,
    );
    await queryRunner.query(
      `ALTER TABLE "erp"."webhook_deliveries" DROP CONSTRAINT "FK_23eb2b6ae801c52cfb79a556b8a"`,
    );
    await queryRunner.query(`DROP INDEX "erp"."idx_webhook_audit_log_subscription"`);
    await queryRunner.query(`DROP TABLE "erp"."webhook_audit_log"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_webhook_deliveries_due"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_webhook_deliveries_keyset"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_webhook_deliveries_subscription"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_webhook_deliveries_event"`);
    await queryRunner.query(`DROP INDEX "erp"."uq_webhook_deliveries_relay_once"`);
    await queryRunner.query(`DROP TABLE "erp"."webhook_deliveries"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_webhook_subscriptions_keyset"`);
    await queryRunner.query(`DROP TABLE "erp"."webhook_subscriptions"`);
    await queryRunner.query(`DROP INDEX "erp"."idx_outbox_events_unpublished"`);
    await queryRunner.query(`DROP TABLE "erp"."outbox_events"`);
  }
}
