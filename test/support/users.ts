import { hashPassword } from '../../apps/api/src/auth/auth.service';
import type { TestApp } from '../setup/test-app';

/** A handler in a department of the demo agency (the demo handler is in 住房保障科). */
export async function addHandler(t: TestApp, username: string, department: string, displayName: string): Promise<void> {
  const [row] = await t.dataSource.query(`SELECT id, agency_id FROM departments WHERE name = $1`, [department]);
  await t.dataSource.query(
    `INSERT INTO users (agency_id, department_id, username, display_name, password_hash, roles, is_demo) VALUES ($1, $2, $3, $4, $5, '{handler}', true)`,
    [row.agency_id, row.id, username, displayName, await hashPassword('demo-password')],
  );
}

/** A second handler, in 政府信息公开办公室: to assist with and take over cases. */
export async function addOfficeHandler(t: TestApp, username = 'handler2'): Promise<void> {
  await addHandler(t, username, '政府信息公开办公室', '周协办');
}
