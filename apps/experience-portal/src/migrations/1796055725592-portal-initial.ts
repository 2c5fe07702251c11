import { MigrationInterface, QueryRunner } from 'typeorm';

export class PortalInitial1796055725592 implements MigrationInterface {
  name = 'PortalInitial1796055725592';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "portal"."audit_log" ("id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor" character varying(200) NOT NULL, "action" character varying(40) NOT NULL, "target_type" character varying(40) NOT NULL, "target_id" character varying(100) NOT NULL, "reason" character varying(1000) NOT NULL, "detail" jsonb NOT NULL, "correlation_id" character varying(128) NOT NULL, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_portal_audit_at" ON "portal"."audit_log" ("at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_portal_audit_target" ON "portal"."audit_log" ("target_type", "target_id", "at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "portal"."idx_portal_audit_target"`);
    await queryRunner.query(`DROP INDEX "portal"."idx_portal_audit_at"`);
    await queryRunner.query(`DROP TABLE "portal"."audit_log"`);
  }
}
