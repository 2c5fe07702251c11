import { MigrationInterface, QueryRunner } from 'typeorm';

export class InvoicePendingFinalization1795419505864 implements MigrationInterface {
  name = 'InvoicePendingFinalization1795419505864';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "billing"."invoices" ADD "pending_finalization" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "billing"."invoices" DROP COLUMN "pending_finalization"`);
  }
}
