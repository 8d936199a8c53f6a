import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The applicant's side online (issue 17):
 * - attachments say what they are (identity copy, 授权委托书, supplement) and whether the applicant sent them online;
 * - the outbox tells applicants too: a notice without a staff recipient goes to the case's applicant, by email or by SMS
 *   (the phone is read from the case, encrypted, when the SMS is sent; the outbox never holds it);
 * - what the applicant asked to be told of, and how (the form's opt-in).
 * Every statement is a catalogue change or a new table: no rewrite, no scan (constant defaults).
 */
export class ApplicantOnline1796649317471 implements MigrationInterface {
  name = 'ApplicantOnline1796649317471';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE attachments ADD COLUMN kind text, ADD COLUMN from_applicant boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE notifications ALTER COLUMN recipient_id DROP NOT NULL, ADD COLUMN channel text NOT NULL DEFAULT 'email'`);
    await queryRunner.query(`
      CREATE TABLE applicant_preferences (
        case_id uuid PRIMARY KEY REFERENCES cases(id),
        notify_email boolean NOT NULL DEFAULT false,
        notify_sms boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE applicant_preferences`);
    await queryRunner.query(`DELETE FROM notifications WHERE recipient_id IS NULL`);
    await queryRunner.query(`ALTER TABLE notifications DROP COLUMN channel, ALTER COLUMN recipient_id SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE attachments DROP COLUMN from_applicant, DROP COLUMN kind`);
  }
}
