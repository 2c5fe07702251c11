import { MigrationInterface, QueryRunner } from 'typeorm';

export class Exceptions1796041134106 implements MigrationInterface {
  name = 'Exceptions1796041134106';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "q2c"."exceptions" ("id" uuid NOT NULL, "work_type" character varying(20) NOT NULL, "work_id" uuid NOT NULL, "order_id" uuid NOT NULL, "opportunity_id" uuid NOT NULL, "account_id" uuid, "legal_entity" character varying(20), "period" character(7), "step" character varying(40) NOT NULL, "code" character varying(60) NOT NULL, "title" character varying(300) NOT NULL, "detail" character varying(2000) NOT NULL, "what_to_fix" character varying(1000) NOT NULL, "system" character varying(20), "system_code" character varying(100), "transient" boolean NOT NULL, "status" character varying(20) NOT NULL, "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL, "retry_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "closed_by" character varying(200), "close_reason" character varying(1000), "correlation_id" character varying(128) NOT NULL, "version" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_30e436ef146011cd8a1a758069c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_exceptions_work" ON "q2c"."exceptions" ("work_id", "raised_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_exceptions_status" ON "q2c"."exceptions" ("status", "raised_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_exceptions_updated" ON "q2c"."exceptions" ("updated_at", "id") `,
    );
    await queryRunner.query(`ALTER TABLE "q2c"."amendments" ADD "account_id" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "q2c"."amendments" DROP COLUMN "account_id"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_exceptions_updated"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_exceptions_status"`);
    await queryRunner.query(`DROP INDEX "q2c"."idx_exceptions_work"`);
    await queryRunner.query(`DROP TABLE "q2c"."exceptions"`);
  }
}
