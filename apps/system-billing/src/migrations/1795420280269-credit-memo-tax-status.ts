import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreditMemoTaxStatus1795420280269 implements MigrationInterface {
  name = 'CreditMemoTaxStatus1795420280269';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "billing"."credit_memos" ADD "tax_status" character varying(20) NOT NULL DEFAULT 'not_reported'`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."credit_memos" ADD "tax_transaction_code" character varying(50)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "billing"."credit_memos" DROP COLUMN "tax_transaction_code"`,
    );
    await queryRunner.query(`ALTER TABLE "billing"."credit_memos" DROP COLUMN "tax_status"`);
  }
}
