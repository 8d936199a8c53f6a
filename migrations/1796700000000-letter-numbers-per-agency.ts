import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A 文号 is unique within its agency, not across the deployment: two agencies on one platform may both write
 * 信息公开〔2026〕1号 (GB/T 9704-2012 numbers a document within the issuing 机关). `uq_letters_number` made the second
 * agency's first letter fail. Letters carry no agency of their own (a letter belongs to its case), so the numbers given
 * are registered per agency in `letter_numbers`, kept by a trigger on letters: the release still serving during the
 * upgrade registers its numbers too, and an issued letter — frozen — needs no backfill written into it.
 */
export class LetterNumbersPerAgency1796700000000 implements MigrationInterface {
  name = 'LetterNumbersPerAgency1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE letter_numbers (
        agency_id uuid NOT NULL REFERENCES agencies(id),
        number text NOT NULL,
        letter_id uuid NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
        CONSTRAINT pk_letter_numbers PRIMARY KEY (agency_id, number)
      )`);
    await queryRunner.query(`CREATE INDEX ix_letter_numbers_letter ON letter_numbers (letter_id)`);
    // A second letter of the same agency with the same number fails here with 23505, as it failed on uq_letters_number.
    await queryRunner.query(`
      CREATE FUNCTION letters_register_number() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.number IS NOT NULL AND OLD.number IS DISTINCT FROM NEW.number THEN
          DELETE FROM letter_numbers WHERE letter_id = OLD.id AND number = OLD.number;
        END IF;
        IF NEW.number IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.number IS DISTINCT FROM NEW.number) THEN
          INSERT INTO letter_numbers (agency_id, number, letter_id) SELECT c.agency_id, NEW.number, NEW.id FROM cases c WHERE c.id = NEW.case_id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER tr_letters_register_number AFTER INSERT OR UPDATE OF number ON letters FOR EACH ROW EXECUTE FUNCTION letters_register_number()`);
    // The numbers given so far (the trigger's lock on letters holds new ones back until this commits).
    await queryRunner.query(`
      INSERT INTO letter_numbers (agency_id, number, letter_id)
      SELECT c.agency_id, l.number, l.id FROM letters l JOIN cases c ON c.id = l.case_id WHERE l.number IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE letters DROP CONSTRAINT uq_letters_number`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE letters ADD CONSTRAINT uq_letters_number UNIQUE (number)`);
    await queryRunner.query(`DROP TRIGGER tr_letters_register_number ON letters`);
    await queryRunner.query(`DROP FUNCTION letters_register_number()`);
    await queryRunner.query(`DROP TABLE letter_numbers`);
  }
}
