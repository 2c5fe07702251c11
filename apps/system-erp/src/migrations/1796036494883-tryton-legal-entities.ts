import { MigrationInterface, QueryRunner } from 'typeorm';

export class TrytonLegalEntities1796036494883 implements MigrationInterface {
  name = 'TrytonLegalEntities1796036494883';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "erp"."tryton_legal_entities" ("code" character varying(20) NOT NULL, "id" uuid NOT NULL, "company_id" integer NOT NULL, "tax_registration" jsonb NOT NULL, "country" character(2) NOT NULL, "default_tax_payable" character varying(40), "default_cash" character varying(40), "default_deferred_revenue" character varying(40), "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a1f59d6efc980640029da8426e5" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_tryton_legal_entities_updated" ON "erp"."tryton_legal_entities" ("updated_at", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "erp"."idx_tryton_legal_entities_updated"`);
    await queryRunner.query(`DROP TABLE "erp"."tryton_legal_entities"`);
  }
}
