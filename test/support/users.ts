import { hashPassword } from '../../apps/api/src/auth/auth.service';
import type { TestApp } from '../setup/test-app';

/** A second handler, in 政府信息公开办公室 (the demo handler is in 住房保障科): to assist with and take over cases. */
export async function addOfficeHandler(t: TestApp, username = 'handler2'): Promise<void> {
  const [office] = await t.dataSource.query(`SELECT id, agency_id FROM departments WHERE name = '政府信息公开办公室'`);
  await t.dataSource.query(
    `INSERT INTO users (agency_id, department_id, username, display_name, password_hash, roles, is_demo) VALUES ($1, $2, $3, '周协办', $4, '{handler}', true)`,
    [office.agency_id, office.id, username, await hashPassword('demo-password')],
  );
}
