import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Connected to the platforms around the office (issue 19): API clients of the city and provincial platforms (政务服务平台)
 * with hashed secrets and an access log, the applications they import (one case per platform reference), their
 * callback subscriptions, and the outbox of status callbacks written in the transaction of the step that caused them.
 * Every table is new; the one change to an existing table adds a nullable column without a default (no rewrite).
 */
export class PlatformIntegration1796649108906 implements MigrationInterface {
  name = 'PlatformIntegration1796649108906';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // `source` is the platform (浙里公开, 一网通办…): its imports and callbacks follow it, whatever credential it uses
    // today; one active client per source. Only hashes of the secrets are kept (the current one, and the previous one
    // while a rotation's overlap lasts). `agency_id` is the agency whose administrators manage the client;
    // `agency_ids` the agencies of this deployment it may address applications to.
    await queryRunner.query(`
      CREATE TABLE api_clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        name text NOT NULL,
        source text NOT NULL,
        scopes text[] NOT NULL,
        agency_ids uuid[] NOT NULL,
        secret_hash text NOT NULL,
        previous_secret_hash text,
        previous_secret_expires_at timestamptz,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz,
        revoked_at timestamptz,
        revoked_by uuid REFERENCES users(id),
        last_used_at timestamptz
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ix_api_clients_secret_hash ON api_clients (secret_hash)`);
    await queryRunner.query(`CREATE UNIQUE INDEX ix_api_clients_previous_secret_hash ON api_clients (previous_secret_hash) WHERE previous_secret_hash IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_api_clients_active_source ON api_clients (source) WHERE revoked_at IS NULL`);
    await queryRunner.query(`CREATE INDEX ix_api_clients_agency ON api_clients (agency_id, created_at)`);

    // Every call a client makes, let through or refused.
    await queryRunner.query(`
      CREATE TABLE api_client_access_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        client_id uuid NOT NULL REFERENCES api_clients(id),
        at timestamptz NOT NULL DEFAULT now(),
        method text NOT NULL,
        path text NOT NULL,
        status int NOT NULL,
        address text NOT NULL,
        duration_ms int NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX ix_api_client_access_log_client ON api_client_access_log (client_id, id DESC)`);

    // One subscription per client; the signing key is encrypted with the personal-data key (and rotated with it).
    await queryRunner.query(`
      CREATE TABLE api_client_subscriptions (
        client_id uuid PRIMARY KEY REFERENCES api_clients(id),
        url text NOT NULL,
        events text[] NOT NULL,
        signing_secret_ciphertext text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users(id)
      )`);

    // The platform's own reference makes an import idempotent: the key is claimed in the case's transaction, so
    // concurrent imports of one reference wait for the first and answer its case. `case_id` is null only inside it.
    await queryRunner.query(`
      CREATE TABLE platform_imports (
        source text NOT NULL,
        external_ref text NOT NULL,
        client_id uuid NOT NULL REFERENCES api_clients(id),
        request_hash text NOT NULL,
        case_id uuid REFERENCES cases(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source, external_ref)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_platform_imports_case ON platform_imports (case_id)`);

    // The outbox: a callback per step that changed what the applicant sees, delivered in order per case.
    await queryRunner.query(`
      CREATE TABLE platform_callbacks (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        client_id uuid NOT NULL REFERENCES api_clients(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        sequence int NOT NULL,
        events text[] NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        leased_until timestamptz,
        last_attempt_at timestamptz,
        last_status int,
        last_error text,
        delivered_at timestamptz,
        replayed_at timestamptz,
        replayed_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ix_platform_callbacks_due ON platform_callbacks (next_attempt_at, id) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX ix_platform_callbacks_pending_case ON platform_callbacks (client_id, case_id, id) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX ix_platform_callbacks_client ON platform_callbacks (client_id, status, id DESC)`);

    // An attachment the applicant uploaded on a platform names the client that brought it (no user uploaded it).
    await queryRunner.query(`ALTER TABLE attachments ADD COLUMN imported_by_client_id uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE attachments DROP COLUMN imported_by_client_id`);
    await queryRunner.query(`DROP TABLE platform_callbacks`);
    await queryRunner.query(`DROP TABLE platform_imports`);
    await queryRunner.query(`DROP TABLE api_client_subscriptions`);
    await queryRunner.query(`DROP TABLE api_client_access_log`);
    await queryRunner.query(`DROP TABLE api_clients`);
  }
}
