import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who changed an agency's settings, when, and from what to what (the letterhead, the review body named in every reply,
 * the number patterns, the clock's [verify] and [practice] choices). A new, small table: the record itself cannot be
 * changed or deleted afterwards; only the result of the deadline recomputation a clock setting causes is filled in.
 */
export class AgencySettingsChanges1796650232039 implements MigrationInterface {
  name = 'AgencySettingsChanges1796650232039';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE agency_settings_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        agency_id uuid NOT NULL REFERENCES agencies(id),
        changed_by uuid NOT NULL REFERENCES users(id),
        changed_at timestamptz NOT NULL DEFAULT now(),
        before jsonb NOT NULL,
        after jsonb NOT NULL,
        recomputed_cases int,
        changed_cases int,
        recomputed_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX ix_agency_settings_changes_agency ON agency_settings_changes (agency_id, changed_at DESC)`);
    await queryRunner.query(`
      CREATE FUNCTION agency_settings_changes_keep() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.agency_id = OLD.agency_id AND NEW.changed_by = OLD.changed_by AND NEW.changed_at = OLD.changed_at
           AND NEW.before = OLD.before AND NEW.after = OLD.after THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'agency_settings_changes keeps who changed what: % refused', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_agency_settings_changes_keep BEFORE UPDATE OR DELETE ON agency_settings_changes
      FOR EACH ROW EXECUTE FUNCTION agency_settings_changes_keep()`);
    await queryRunner.query(`
      CREATE TRIGGER tr_agency_settings_changes_no_truncate BEFORE TRUNCATE ON agency_settings_changes
      FOR EACH STATEMENT EXECUTE FUNCTION agency_settings_changes_keep()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE agency_settings_changes`);
    await queryRunner.query(`DROP FUNCTION agency_settings_changes_keep()`);
  }
}
