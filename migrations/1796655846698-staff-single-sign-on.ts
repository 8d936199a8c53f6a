import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Single sign-on for staff through the government's unified identity system (统一身份认证, OpenID Connect; issue 19
 * item 4): one provider per agency, the identities it vouches for linked to users, and how each console session was
 * opened. Both tables are new; auth_sessions gains a nullable column without a default (no rewrite, and the serving
 * release never reads it); users may hold no role (an account single sign-on opened, until an administrator grants one).
 */
export class StaffSingleSignOn1796655846698 implements MigrationInterface {
  name = 'StaffSingleSignOn1796655846698';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The client secret is encrypted with the personal-data key (and rotated with it): the service must send it to the
    // provider, so a hash would not do. `passwords_disabled` refuses the password sign-in to the agency's users except
    // the break-glass administrator (auth.service.ts).
    await queryRunner.query(`
      CREATE TABLE sso_configurations (
        agency_id uuid PRIMARY KEY REFERENCES agencies(id),
        enabled boolean NOT NULL DEFAULT false,
        provider_name text NOT NULL,
        issuer text NOT NULL,
        client_id text NOT NULL,
        client_secret_ciphertext text NOT NULL,
        scopes text NOT NULL,
        match_by text NOT NULL CHECK (match_by IN ('username', 'subject')),
        username_claim text NOT NULL,
        subject_claim text NOT NULL,
        display_name_claim text NOT NULL,
        self_registration boolean NOT NULL DEFAULT false,
        passwords_disabled boolean NOT NULL DEFAULT false,
        break_glass_user_id uuid REFERENCES users(id),
        provider_sign_out boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users(id),
        last_sign_in_at timestamptz,
        break_glass_used_at timestamptz,
        CHECK (NOT passwords_disabled OR (enabled AND break_glass_user_id IS NOT NULL))
      )`);

    // The identity a provider vouches for (the chosen claim, `sub` by default), linked to the user at its first sign-in.
    // One user per identity, one identity per user and issuer.
    await queryRunner.query(`
      CREATE TABLE user_external_identities (
        agency_id uuid NOT NULL REFERENCES agencies(id),
        issuer text NOT NULL,
        subject text NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id),
        linked_at timestamptz NOT NULL DEFAULT now(),
        last_sign_in_at timestamptz,
        PRIMARY KEY (agency_id, issuer, subject)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_user_external_identities_user ON user_external_identities (user_id, issuer)`);

    // How a session was opened ('sso'; null: the password, as before): signing out of an SSO session also ends it at the
    // provider, and switching passwords off ends the password sessions.
    await queryRunner.query(`ALTER TABLE auth_sessions ADD COLUMN sign_in_method text`);

    // An account opened at its first sign-in (when the agency allows it) holds no role until an administrator grants
    // one: the roles stay among the known ones, but may be none. Added NOT VALID, then validated (a lighter lock).
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT ck_users_roles`);
    await queryRunner.query(`ALTER TABLE users ADD CONSTRAINT ck_users_known_roles CHECK (roles <@ ARRAY['intake','handler','legal','head','admin']::text[]) NOT VALID`);
    await queryRunner.query(`ALTER TABLE users VALIDATE CONSTRAINT ck_users_known_roles`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT ck_users_known_roles`);
    await queryRunner.query(`ALTER TABLE users ADD CONSTRAINT ck_users_roles CHECK (roles <@ ARRAY['intake','handler','legal','head','admin']::text[] AND cardinality(roles) > 0) NOT VALID`);
    await queryRunner.query(`ALTER TABLE auth_sessions DROP COLUMN sign_in_method`);
    await queryRunner.query(`DROP TABLE user_external_identities`);
    await queryRunner.query(`DROP TABLE sso_configurations`);
  }
}
