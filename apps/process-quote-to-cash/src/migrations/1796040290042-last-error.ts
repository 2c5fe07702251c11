import { MigrationInterface, QueryRunner } from 'typeorm';

export class LastError1796040290042 implements MigrationInterface {
  name = 'LastError1796040290042';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "q2c"."orders" ADD "last_error" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "q2c"."orders" DROP COLUMN "last_error"`);
  }
}
