import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Role } from '@desk/case-workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { hashPassword } from '../auth/auth.service';
import type { Principal } from '../auth/principal';
import { conflict, forbidden, invalid, notFound } from '../common/domain-error';
import { isUuid } from '../common/text';

export interface UserInput {
  username?: string;
  displayName?: string;
  password?: string;
  roles?: Role[];
  department?: string;
  /** null clears the address (no more e-mailed deadline warnings). */
  email?: string | null;
  active?: boolean;
}

// A one-time password an administrator reads out or hands over: no 0/O, 1/l/I, so it survives being written down.
const ONE_TIME_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';

export function oneTimePassword(length = 12): string {
  return Array.from({ length }, () => ONE_TIME_ALPHABET[randomInt(ONE_TIME_ALPHABET.length)]).join('');
}

const USER_COLUMNS = `u.id, u.username, u.display_name AS "displayName", u.roles, d.name AS department, u.email, u.active, u.is_demo AS "isDemo"`;

/** Users and departments of the administrator's own agency. */
@Injectable()
export class AdminService {
  constructor(private readonly dataSource: DataSource) {}

  departments(principal: Principal) {
    return this.dataSource.query(
      `SELECT d.id, d.name, (SELECT count(*)::int FROM users u WHERE u.department_id = d.id AND u.active) AS "activeUsers"
         FROM departments d WHERE d.agency_id = $1 ORDER BY d.name`,
      [principal.agencyId],
    );
  }

  async createDepartment(principal: Principal, name: string) {
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO departments (agency_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id`,
      [principal.agencyId, name],
    );
    if (!rows.length) throw conflict(`部门“${name}”已存在`);
    return { id: rows[0].id, name };
  }

  /**
   * A department's new name. Cases and users keep it by its id, so they follow; the event log keeps the name it was
   * given at the time (an assistance request to the department under its old name stays so worded).
   */
  async renameDepartment(principal: Principal, id: string, name: string) {
    if (!isUuid(id)) throw notFound(`没有编号为 ${id} 的部门`);
    return this.dataSource.transaction(async (manager) => {
      const [existing]: { id: string; name: string }[] = await manager.query(`SELECT id, name FROM departments WHERE id = $1 AND agency_id = $2 FOR UPDATE`, [id, principal.agencyId]);
      if (!existing) throw notFound(`没有编号为 ${id} 的部门`);
      if (existing.name === name) return existing;
      const [clash] = await manager.query(`SELECT 1 FROM departments WHERE agency_id = $1 AND name = $2 AND id <> $3`, [principal.agencyId, name, id]);
      if (clash) throw conflict(`部门“${name}”已存在`);
      await manager.query(`UPDATE departments SET name = $2 WHERE id = $1`, [id, name]);
      return { id, name };
    });
  }

  async user(principal: Principal, id: string) {
    return this.findUser(this.dataSource.manager, principal, id);
  }

  /** A new one-time password for another user (shown once to the administrator); every open sign-in of that user ends. */
  async resetPassword(principal: Principal, id: string): Promise<{ user: { id: string; username: string; displayName: string }; password: string }> {
    const password = oneTimePassword();
    const user = await this.updateUser(principal, id, { password });
    return { user, password };
  }

  users(principal: Principal) {
    return this.dataSource.query(
      `SELECT ${USER_COLUMNS} FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE u.agency_id = $1 ORDER BY u.username`,
      [principal.agencyId],
    );
  }

  private async departmentId(manager: EntityManager, principal: Principal, name: string): Promise<string> {
    const [row]: { id: string }[] = await manager.query(`SELECT id FROM departments WHERE agency_id = $1 AND name = $2`, [principal.agencyId, name]);
    if (!row) throw invalid(`本机关没有名为“${name}”的部门`);
    return row.id;
  }

  async createUser(principal: Principal, input: Required<Pick<UserInput, 'username' | 'displayName' | 'password' | 'roles' | 'department'>> & UserInput) {
    return this.dataSource.transaction(async (manager) => {
      const departmentId = await this.departmentId(manager, principal, input.department);
      const rows: { id: string }[] = await manager.query(
        `INSERT INTO users (agency_id, department_id, username, display_name, password_hash, roles, email)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO NOTHING RETURNING id`,
        [principal.agencyId, departmentId, input.username, input.displayName, await hashPassword(input.password), input.roles, input.email ?? null],
      );
      if (!rows.length) throw conflict(`用户名“${input.username}”已被使用`);
      return this.findUser(manager, principal, rows[0].id);
    });
  }

  /**
   * A deactivated user or a new password ends every open sign-in of that user. An administrator sets others'
   * passwords here, never his own (that needs the current one: POST /api/auth/password). The agency always keeps an
   * active administrator: otherwise nobody could manage its users again.
   */
  async updateUser(principal: Principal, id: string, input: UserInput) {
    return this.dataSource.transaction(async (manager) => {
      await this.findUser(manager, principal, id);
      if (input.active === false && id === principal.userId) throw conflict('不能停用自己的账号');
      if (input.password && id === principal.userId) throw forbidden('修改自己的密码请使用“修改密码”，并输入当前密码');
      const mayRemoveAdmin = input.active === false || (input.roles !== undefined && !input.roles.includes('admin'));
      // Two administrators removing each other at once: the row locks make the second see the first's change.
      if (mayRemoveAdmin) await manager.query(`SELECT id FROM users WHERE agency_id = $1 AND active AND 'admin' = ANY(roles) FOR UPDATE`, [principal.agencyId]);
      const departmentId = input.department ? await this.departmentId(manager, principal, input.department) : null;
      await manager.query(
        `UPDATE users SET display_name = COALESCE($2, display_name), roles = COALESCE($3, roles), department_id = COALESCE($4, department_id),
                email = CASE WHEN $8 THEN NULL ELSE COALESCE($5, email) END, active = COALESCE($6, active), password_hash = COALESCE($7, password_hash) WHERE id = $1`,
        [id, input.displayName ?? null, input.roles ?? null, departmentId, input.email ?? null, input.active ?? null, input.password ? await hashPassword(input.password) : null, input.email === null],
      );
      if (mayRemoveAdmin) {
        const [{ admins }]: { admins: number }[] = await manager.query(
          `SELECT count(*)::int AS admins FROM users WHERE agency_id = $1 AND active AND 'admin' = ANY(roles)`,
          [principal.agencyId],
        );
        if (admins === 0) throw conflict('这是本机关最后一名在用的管理员：请先为另一名用户授予管理员角色，再停用此账号或取消其管理员角色');
      }
      if (input.active === false || input.password) {
        await manager.query(`UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [id]);
      }
      return this.findUser(manager, principal, id);
    });
  }

  private async findUser(manager: EntityManager, principal: Principal, id: string) {
    const [row] = isUuid(id)
      ? await manager.query(`SELECT ${USER_COLUMNS} FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE u.id = $1 AND u.agency_id = $2`, [id, principal.agencyId])
      : [];
    if (!row) throw notFound(`没有编号为 ${id} 的用户`);
    return row;
  }
}
