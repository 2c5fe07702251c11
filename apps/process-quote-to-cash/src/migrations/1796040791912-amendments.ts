import { MigrationInterface, QueryRunner } from 'typeorm';

export class Amendments1796040791912 implements MigrationInterface {
  name = 'Amendments1796040791912';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "q2c"."amendments" ("id" uuid NOT NULL, "order_id" uuid NOT NULL, "opportunity_id" uuid NOT NULL, "legal_entity" character varying(20), "type" character varying(30) NOT NULL, "request" jsonb NOT NULL, "correlation_id" character varying(128) NOT NULL, "status" character varying(20) NOT NULL, "current_step" character varying(40), "steps" jsonb NOT NULL, "refs" jsonb NOT NULL, "exception" jsonb, "last_error" jsonb, "attempts" integer NOT NULL, "created_by" character varying(200) NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_232751b4529e81fd8a6b2847ace" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_amendments_status" ON "q2c"."amendments" ("status", "updated_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_amendments_order" ON "q2c"."amendments" ("order_id", "created_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "q2c"."idx_amendments_order"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_amendments_status"`);
    await queryRunner.query(`DROP TABLE "q2c"."amendments"`);
  }
}
