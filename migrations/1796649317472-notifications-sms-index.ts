import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The SMS notices waiting to go out (the email ones have ix_notifications_undelivered), built without blocking writes. */
export class NotificationsSmsIndex1796649317472 implements MigrationInterface {
  name = 'NotificationsSmsIndex1796649317472';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_notifications_undelivered_sms ON notifications (id) WHERE sent_at IS NULL AND channel = 'sms'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_notifications_undelivered_sms`);
  }
}
