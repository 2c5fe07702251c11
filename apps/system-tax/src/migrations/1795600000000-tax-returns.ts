import { MigrationInterface, QueryRunner } from 'typeorm';

export class TaxReturns1795600000000 implements MigrationInterface {
  name = 'TaxReturns1795600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Rows recorded before returns existed are sales (type SalesInvoice) and reference nothing.
    await queryRunner.query(
      `ALTER TABLE "tax"."tax_transactions" ADD "reference_code" character varying(50)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_tax_transactions_reference" ON "tax"."tax_transactions" ("company_code", "reference_code") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "tax"."idx_tax_transactions_reference"`);
    await queryRunner.query(`ALTER TABLE "tax"."tax_transactions" DROP COLUMN "reference_code"`);
  }
}
