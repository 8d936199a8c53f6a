import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Letters (文书): drafts, review rounds, and issued letters frozen with their rendered bytes and hash. */
export class Letters1764144000000 implements MigrationInterface {
  name = 'Letters1764144000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE letters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        -- The order letters were written, also within one transaction.
        seq bigint GENERATED ALWAYS AS IDENTITY,
        kind text NOT NULL,
        addressee text NOT NULL,
        status text NOT NULL CHECK (status IN ('draft', 'in_review', 'approved', 'issued')),
        data jsonb NOT NULL,
        number text,
        issued_at date,
        content_html text,
        content_pdf bytea,
        sha256 text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_letters_number UNIQUE (number),
        CONSTRAINT ck_letters_issued CHECK (status <> 'issued' OR (number IS NOT NULL AND issued_at IS NOT NULL AND content_pdf IS NOT NULL AND sha256 IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX ix_letters_case ON letters (case_id, seq)`);
    // An issued letter is the agency's legal act: it never changes and is never deleted.
    await queryRunner.query(`
      CREATE FUNCTION letters_issued_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'issued' THEN RAISE EXCEPTION 'letter % is issued and frozen: % refused', OLD.id, TG_OP; END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER tr_letters_issued_frozen BEFORE UPDATE OR DELETE ON letters FOR EACH ROW EXECUTE FUNCTION letters_issued_frozen()`);
    await queryRunner.query(`
      CREATE TABLE letter_reviews (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        letter_id uuid NOT NULL REFERENCES letters(id),
        round int NOT NULL,
        step text NOT NULL,
        decision text NOT NULL CHECK (decision IN ('approve', 'return')),
        comment text,
        findings jsonb NOT NULL,
        reviewer_id uuid REFERENCES users(id),
        reviewer_name text NOT NULL,
        at date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ix_letter_reviews_letter ON letter_reviews (letter_id, id)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE letter_reviews`);
    await queryRunner.query(`DROP TABLE letters`);
    await queryRunner.query(`DROP FUNCTION letters_issued_frozen()`);
  }
}
