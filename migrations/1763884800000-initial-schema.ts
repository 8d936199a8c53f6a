import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763884800000 implements MigrationInterface {
  name = 'InitialSchema1763884800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE agencies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL,
        name text NOT NULL,
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_agencies_code UNIQUE (code)
      )`);
    await queryRunner.query(`
      CREATE TABLE departments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_departments_agency_name UNIQUE (agency_id, name)
      )`);
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        department_id uuid REFERENCES departments(id),
        username text NOT NULL,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL,
        is_demo boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_users_username UNIQUE (username),
        CONSTRAINT ck_users_roles CHECK (roles <@ ARRAY['intake','handler','legal','head','admin']::text[] AND cardinality(roles) > 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE auth_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ix_auth_sessions_token_hash ON auth_sessions (token_hash)`);
    // One row per agency and year; incremented inside the registering transaction, so numbers have no gaps or duplicates.
    await queryRunner.query(`
      CREATE TABLE case_number_sequences (
        agency_id uuid NOT NULL REFERENCES agencies(id),
        year int NOT NULL,
        last_value int NOT NULL,
        PRIMARY KEY (agency_id, year)
      )`);
    await queryRunner.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        case_number text NOT NULL,
        request_type text NOT NULL DEFAULT 'disclosure',
        channel text NOT NULL,
        received_at date,
        submitted_at timestamptz NOT NULL,
        applicant_category text NOT NULL,
        applicant_name text NOT NULL,
        applicant_id_type text NOT NULL,
        applicant_id_number text NOT NULL,
        applicant_phone text,
        applicant_email text,
        applicant_address text,
        description text NOT NULL,
        delivery_form text NOT NULL,
        query_code_hash text NOT NULL,
        state text NOT NULL,
        snapshot jsonb NOT NULL,
        version int NOT NULL,
        department_id uuid REFERENCES departments(id),
        handler_id uuid REFERENCES users(id),
        due_date date,
        due_provisional boolean NOT NULL DEFAULT false,
        outcome text,
        concluded_at date,
        last_event_at date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_cases_case_number UNIQUE (case_number)
      )`);
    await queryRunner.query(`CREATE INDEX ix_cases_agency_state ON cases (agency_id, state)`);
    await queryRunner.query(`CREATE INDEX ix_cases_open_due ON cases (agency_id, due_date) WHERE concluded_at IS NULL`);
    await queryRunner.query(`CREATE INDEX ix_cases_agency_received ON cases (agency_id, received_at)`);
    await queryRunner.query(`CREATE INDEX ix_cases_applicant_id ON cases (agency_id, applicant_id_number)`);
    await queryRunner.query(`CREATE INDEX ix_cases_handler ON cases (handler_id) WHERE handler_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE case_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id),
        sequence int NOT NULL,
        type text NOT NULL,
        at date NOT NULL,
        actor_id uuid REFERENCES users(id),
        actor_name text NOT NULL,
        payload jsonb NOT NULL,
        state_after text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_case_events_case_sequence UNIQUE (case_id, sequence)
      )`);
    await queryRunner.query(`CREATE INDEX ix_case_events_type_at ON case_events (type, at)`);
    // The event log is the legal record: refuse any change to a written event.
    await queryRunner.query(`
      CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_case_events_append_only BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION case_events_append_only()`);
    await queryRunner.query(`
      CREATE TABLE calendar_years (
        year int PRIMARY KEY,
        published boolean NOT NULL,
        source text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE calendar_days (
        date date PRIMARY KEY,
        year int NOT NULL REFERENCES calendar_years(year),
        kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
        name text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX ix_calendar_days_year ON calendar_days (year)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['calendar_days', 'calendar_years', 'case_events', 'cases', 'case_number_sequences', 'auth_sessions', 'users', 'departments', 'agencies']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS case_events_append_only()`);
  }
}
