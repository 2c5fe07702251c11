import { MigrationInterface, QueryRunner } from 'typeorm';

export class ProductFamily1796044125572 implements MigrationInterface {
  name = 'ProductFamily1796044125572';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "billing"."products" ADD "family" character varying(64) NOT NULL DEFAULT 'general'`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing"."products" ADD "one_time_recognition" character varying(20) NOT NULL DEFAULT 'point_in_time'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "billing"."products" DROP COLUMN "one_time_recognition"`);
    await queryRunner.query(`ALTER TABLE "billing"."products" DROP COLUMN "family"`);
  }
}
