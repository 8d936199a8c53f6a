import { Injectable } from '@nestjs/common';
import type { Role } from '@desk/case-workflow';
import { DataSource, type EntityManager } from 'typeorm';

export type SsoMatchBy = 'username' | 'subject';

/** One agency's single sign-on, as stored (the client secret still encrypted). */
export interface SsoConfiguration {
  agencyId: string;
  agencyCode: string;
  agencyName: string;
  enabled: boolean;
  providerName: string;
  issuer: string;
  clientId: string;
  clientSecretCiphertext: string;
  scopes: string;
  matchBy: SsoMatchBy;
  usernameClaim: string;
  subjectClaim: string;
  displayNameClaim: string;
  selfRegistration: boolean;
  passwordsDisabled: boolean;
  breakGlass: { userId: string; username: string; displayName: string } | null;
  providerSignOut: boolean;
  updatedAt: Date;
  updatedBy: string | null;
  lastSignInAt: Date | null;
  breakGlassUsedAt: Date | null;
}

export type SsoConfigurationValues = Omit<SsoConfiguration, 'agencyId' | 'agencyCode' | 'agencyName' | 'breakGlass' | 'updatedAt' | 'updatedBy' | 'lastSignInAt' | 'breakGlassUsedAt'> & {
  breakGlassUserId: string | null;
};

/** A staff user as single sign-on needs him. */
export interface SsoUser {
  id: string;
  username: string;
  agencyId: string;
  active: boolean;
  roles: Role[];
}

const CONFIGURATION_SELECT = `
  SELECT c.agency_id AS "agencyId", a.code AS "agencyCode", a.name AS "agencyName", c.enabled, c.provider_name AS "providerName",
         c.issuer, c.client_id AS "clientId", c.client_secret_ciphertext AS "clientSecretCiphertext", c.scopes, c.match_by AS "matchBy",
         c.username_claim AS "usernameClaim", c.subject_claim AS "subjectClaim", c.display_name_claim AS "displayNameClaim",
         c.self_registration AS "selfRegistration", c.passwords_disabled AS "passwordsDisabled", c.provider_sign_out AS "providerSignOut",
         CASE WHEN b.id IS NOT NULL THEN json_build_object('userId', b.id, 'username', b.username, 'displayName', b.display_name) END AS "breakGlass",
         c.updated_at AS "updatedAt", editor.display_name AS "updatedBy", c.last_sign_in_at AS "lastSignInAt", c.break_glass_used_at AS "breakGlassUsedAt"
    FROM sso_configurations c
    JOIN agencies a ON a.id = c.agency_id
    LEFT JOIN users b ON b.id = c.break_glass_user_id
    LEFT JOIN users editor ON editor.id = c.updated_by`;

const USER_SELECT = `SELECT u.id, u.username, u.agency_id AS "agencyId", u.active, u.roles FROM users u`;

/** The SQL of single sign-on: the agencies' configurations, the identities linked to users, the accounts it opens. */
@Injectable()
export class SsoRepository {
  constructor(private readonly dataSource: DataSource) {}

  async configuration(agencyId: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<SsoConfiguration | null> {
    if (lock) await manager.query(`SELECT 1 FROM sso_configurations WHERE agency_id = $1 FOR UPDATE`, [agencyId]);
    const [row]: SsoConfiguration[] = await manager.query(`${CONFIGURATION_SELECT} WHERE c.agency_id = $1`, [agencyId]);
    return row ?? null;
  }

  /** The agency's configuration by its code, when single sign-on is on for it. */
  async enabledByAgencyCode(code: string): Promise<SsoConfiguration | null> {
    const [row]: SsoConfiguration[] = await this.dataSource.query(`${CONFIGURATION_SELECT} WHERE a.code = $1 AND c.enabled`, [code]);
    return row ?? null;
  }

  /** The agencies whose staff may sign in through their identity system: the buttons of the sign-in page. */
  enabledAgencies(): Promise<{ agencyCode: string; agencyName: string; providerName: string; passwordsDisabled: boolean }[]> {
    return this.dataSource.query(
      `SELECT a.code AS "agencyCode", a.name AS "agencyName", c.provider_name AS "providerName", c.passwords_disabled AS "passwordsDisabled"
         FROM sso_configurations c JOIN agencies a ON a.id = c.agency_id WHERE c.enabled ORDER BY a.code`,
    );
  }

  /** Whether no agency of the deployment takes passwords any more (the sign-in form is then only the break-glass administrators'). */
  async passwordsOffEverywhere(): Promise<boolean> {
    const [row]: { off: boolean }[] = await this.dataSource.query(
      `SELECT NOT EXISTS (SELECT 1 FROM agencies a LEFT JOIN sso_configurations c ON c.agency_id = a.id WHERE NOT coalesce(c.enabled AND c.passwords_disabled, false)) AS off`,
    );
    return row.off;
  }

  async save(manager: EntityManager, agencyId: string, values: SsoConfigurationValues, userId: string): Promise<void> {
    await manager.query(
      `INSERT INTO sso_configurations (agency_id, enabled, provider_name, issuer, client_id, client_secret_ciphertext, scopes, match_by, username_claim,
                                       subject_claim, display_name_claim, self_registration, passwords_disabled, break_glass_user_id, provider_sign_out, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (agency_id) DO UPDATE SET enabled = EXCLUDED.enabled, provider_name = EXCLUDED.provider_name, issuer = EXCLUDED.issuer,
         client_id = EXCLUDED.client_id, client_secret_ciphertext = EXCLUDED.client_secret_ciphertext, scopes = EXCLUDED.scopes,
         match_by = EXCLUDED.match_by, username_claim = EXCLUDED.username_claim, subject_claim = EXCLUDED.subject_claim,
         display_name_claim = EXCLUDED.display_name_claim, self_registration = EXCLUDED.self_registration,
         passwords_disabled = EXCLUDED.passwords_disabled, break_glass_user_id = EXCLUDED.break_glass_user_id,
         provider_sign_out = EXCLUDED.provider_sign_out, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [
        agencyId,
        values.enabled,
        values.providerName,
        values.issuer,
        values.clientId,
        values.clientSecretCiphertext,
        values.scopes,
        values.matchBy,
        values.usernameClaim,
        values.subjectClaim,
        values.displayNameClaim,
        values.selfRegistration,
        values.passwordsDisabled,
        values.breakGlassUserId,
        values.providerSignOut,
        userId,
      ],
    );
  }

  /**
   * Passwords switched off: the password sessions of the agency's users end (the break-glass administrator's excepted),
   * so nobody keeps working on a password the agency no longer accepts.
   */
  async endPasswordSessions(manager: EntityManager, agencyId: string, exceptUserId: string | null): Promise<number> {
    const [, ended]: [unknown, number] = await manager.query(
      `UPDATE auth_sessions s SET revoked_at = now()
         FROM users u
        WHERE u.id = s.user_id AND u.agency_id = $1 AND u.id IS DISTINCT FROM $2 AND s.sign_in_method IS NULL AND s.revoked_at IS NULL AND s.expires_at > now()`,
      [agencyId, exceptUserId],
    );
    return ended;
  }

  /** Whether the agency still takes passwords, and from whom when it does not. */
  async passwordPolicy(agencyId: string): Promise<{ passwordsDisabled: boolean; breakGlassUserId: string | null } | null> {
    const [row]: { passwordsDisabled: boolean; breakGlassUserId: string | null }[] = await this.dataSource.query(
      `SELECT passwords_disabled AS "passwordsDisabled", break_glass_user_id AS "breakGlassUserId" FROM sso_configurations WHERE agency_id = $1 AND enabled`,
      [agencyId],
    );
    return row ?? null;
  }

  async recordBreakGlassUse(agencyId: string): Promise<void> {
    await this.dataSource.query(`UPDATE sso_configurations SET break_glass_used_at = now() WHERE agency_id = $1`, [agencyId]);
  }

  async recordSignIn(manager: EntityManager, agencyId: string): Promise<void> {
    await manager.query(`UPDATE sso_configurations SET last_sign_in_at = now() WHERE agency_id = $1`, [agencyId]);
  }

  async userByUsername(manager: EntityManager, agencyId: string, username: string): Promise<SsoUser | null> {
    const [row]: SsoUser[] = await manager.query(`${USER_SELECT} WHERE u.username = $1 AND u.agency_id = $2`, [username, agencyId]);
    return row ?? null;
  }

  async activeAdministrator(agencyId: string, username: string): Promise<SsoUser | null> {
    const [row]: SsoUser[] = await this.dataSource.query(`${USER_SELECT} WHERE u.username = $1 AND u.agency_id = $2 AND u.active AND 'admin' = ANY(u.roles)`, [
      username,
      agencyId,
    ]);
    return row ?? null;
  }

  async userById(manager: EntityManager, id: string): Promise<SsoUser | null> {
    const [row]: SsoUser[] = await manager.query(`${USER_SELECT} WHERE u.id = $1`, [id]);
    return row ?? null;
  }

  /** The user linked to the identity, touched as signed in now. */
  async linkedUser(manager: EntityManager, agencyId: string, issuer: string, subject: string): Promise<SsoUser | null> {
    // An UPDATE answers [rows, count].
    const [[link]]: [{ user_id: string }[], number] = await manager.query(
      `UPDATE user_external_identities SET last_sign_in_at = now() WHERE agency_id = $1 AND issuer = $2 AND subject = $3 RETURNING user_id`,
      [agencyId, issuer, subject],
    );
    return link ? this.userById(manager, link.user_id) : null;
  }

  /** The identity linked to the user; false when it or the user is taken already (another sign-in linked it first). */
  async link(manager: EntityManager, agencyId: string, issuer: string, subject: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO user_external_identities (agency_id, issuer, subject, user_id, last_sign_in_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT DO NOTHING RETURNING user_id`,
      [agencyId, issuer, subject, userId],
    );
    return rows.length > 0;
  }

  /** An account opened at its first sign-in: no roles, no department, no password anybody knows. */
  async createUser(manager: EntityManager, agencyId: string, username: string, displayName: string, unusablePasswordHash: string): Promise<SsoUser | null> {
    const [row]: { id: string }[] = await manager.query(
      `INSERT INTO users (agency_id, department_id, username, display_name, password_hash, roles, is_demo, active)
       VALUES ($1, NULL, $2, $3, $4, '{}', false, true) ON CONFLICT (username) DO NOTHING RETURNING id`,
      [agencyId, username, displayName, unusablePasswordHash],
    );
    return row ? this.userById(manager, row.id) : null;
  }

  links(agencyId: string): Promise<{ userId: string; username: string; displayName: string; issuer: string; subject: string; linkedAt: Date; lastSignInAt: Date | null }[]> {
    return this.dataSource.query(
      `SELECT l.user_id AS "userId", u.username, u.display_name AS "displayName", l.issuer, l.subject, l.linked_at AS "linkedAt", l.last_sign_in_at AS "lastSignInAt"
         FROM user_external_identities l JOIN users u ON u.id = l.user_id WHERE l.agency_id = $1 ORDER BY u.username, l.issuer`,
      [agencyId],
    );
  }

  async unlink(agencyId: string, userId: string): Promise<number> {
    const [, deleted]: [unknown, number] = await this.dataSource.query(`DELETE FROM user_external_identities WHERE agency_id = $1 AND user_id = $2`, [agencyId, userId]);
    return deleted;
  }
}
