import { AgenciesService } from '../../apps/api/src/agencies/agencies.service';
import { hashPassword } from '../../apps/api/src/auth/auth.service';
import { deskApplication } from '../factories/applications';
import { startTestApp, type TestApp } from '../setup/test-app';

/**
 * Several agencies on one deployment number their own documents: a 文号 is unique within its agency (GB/T 9704), so
 * two agencies with the default 代字 both issue 信息公开〔2025〕1号. Case numbers stay unique across the deployment,
 * since an applicant tracks a case by its number and 查询码 alone.
 */
describe('numbers when several agencies share one deployment', () => {
  let t: TestApp;
  let secondAgencyId: string;
  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-10-09');
    // The second agency keeps every default, 文号 代字 included; only its case-number prefix is its own.
    const [agency] = await t.dataSource.query(`INSERT INTO agencies (code, name, settings) VALUES ('second', '上海市某区规划和自然资源局', $1) RETURNING id`, [
      JSON.stringify({ caseNumberPrefix: '沪某规依申' }),
    ]);
    secondAgencyId = agency.id;
    const [department] = await t.dataSource.query(`INSERT INTO departments (agency_id, name) VALUES ($1, '政府信息公开办公室') RETURNING id`, [secondAgencyId]);
    await t.dataSource.query(
      `INSERT INTO users (agency_id, department_id, username, display_name, password_hash, roles, is_demo) VALUES ($1, $2, 'second-intake', '规划局登记员', $3, '{intake}', true)`,
      [secondAgencyId, department.id, await hashPassword('demo-password')],
    );
  });
  afterAll(() => t?.close());

  const lettersOf = async (caseId: string) =>
    (await t.dataSource.query(`SELECT kind, number FROM letters WHERE case_id = $1 AND number IS NOT NULL ORDER BY seq`, [caseId])) as { kind: string; number: string }[];

  it('each agency issues its first letter with the same 文号, and a number is still given once within an agency', async () => {
    const first = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication()).expect(201);
    const second = await t.http.post('/api/applications').set(await t.as('second-intake')).send(deskApplication()).expect(201);
    expect(second.body.caseNumber).toMatch(/^沪某规依申〔2025〕第00001号$/);
    const [firstReceipt] = await lettersOf(first.body.id);
    const [secondReceipt] = await lettersOf(second.body.id);
    expect(firstReceipt.number).toMatch(/〔2025〕1号$/);
    expect(secondReceipt).toEqual(firstReceipt);

    const registered = await t.dataSource.query(`SELECT agency_id, number FROM letter_numbers WHERE number = $1 ORDER BY agency_id = $2`, [firstReceipt.number, secondAgencyId]);
    expect(registered).toHaveLength(2);
    expect(registered[1].agency_id).toBe(secondAgencyId);
    // Within one agency the register still refuses a number given twice.
    const [letter] = await t.dataSource.query(`SELECT id FROM letters WHERE case_id = $1 AND number IS NOT NULL`, [second.body.id]);
    const again = await t.http.post('/api/applications').set(await t.as('second-intake')).send(deskApplication()).expect(201);
    const [draft] = await t.dataSource.query(
      `INSERT INTO letters (case_id, kind, addressee, status, data) SELECT case_id, kind, addressee, 'draft', data FROM letters WHERE id = $1 RETURNING id`,
      [letter.id],
    );
    await t.dataSource.query(`UPDATE letters SET case_id = $2 WHERE id = $1`, [draft.id, again.body.id]);
    await expect(t.dataSource.query(`UPDATE letters SET number = $2 WHERE id = $1`, [draft.id, secondReceipt.number])).rejects.toMatchObject({ code: '23505' });
  });

  it('a 索引号 is unique within its agency, not across the deployment', async () => {
    const [firstCase] = await t.dataSource.query(`SELECT id, agency_id FROM cases WHERE agency_id <> $1 LIMIT 1`, [secondAgencyId]);
    const [secondCase] = await t.dataSource.query(`SELECT id, agency_id FROM cases WHERE agency_id = $1 LIMIT 1`, [secondAgencyId]);
    const entry = (row: { id: string; agency_id: string }) =>
      t.dataSource.query(
        `INSERT INTO proactive_entries (agency_id, case_id, index_number, title, summary, link, published_at) VALUES ($1, $2, '依申请转主动〔2025〕第00001号', '标题', '摘要', 'https://www.example.gov.cn/1', '2025-10-09')`,
        [row.agency_id, row.id],
      );
    await entry(firstCase);
    await entry(secondCase);
    await expect(entry(secondCase)).rejects.toMatchObject({ code: '23505' });
  });

  it('an administrator may not take a case-number prefix another agency uses: case numbers are tracked without the agency', async () => {
    const agencies = t.app.get(AgenciesService);
    const [admin] = await t.dataSource.query(`SELECT id, username, display_name, department_id FROM users WHERE agency_id <> $1 AND 'admin' = ANY(roles) LIMIT 1`, [secondAgencyId]);
    const [own] = await t.dataSource.query(`SELECT id, name FROM agencies WHERE id = (SELECT agency_id FROM users WHERE id = $1)`, [admin.id]);
    const principal = { userId: admin.id, username: admin.username, displayName: admin.display_name, agencyId: own.id, departmentId: admin.department_id, roles: ['admin' as const], sessionId: 'test' };
    const current = await agencies.byId(own.id);
    const input = { name: current.name, settings: { ...current.settings, caseNumberPrefix: '沪某规依申' } };
    await expect(agencies.updateSettings(principal, input)).rejects.toMatchObject({ message: expect.stringContaining('案件编号代字“沪某规依申”已由本平台的上海市某区规划和自然资源局使用') });
    const changed = await agencies.updateSettings(principal, { ...input, settings: { ...input.settings, caseNumberPrefix: '沪某房依申二' } });
    expect(changed.settings.caseNumberPrefix).toBe('沪某房依申二');
  });
});
