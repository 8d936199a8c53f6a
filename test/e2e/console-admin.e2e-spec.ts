// The console's administration screens (issue 16 item 8) through HTTP as a browser uses them: forms posted with the
// session cookie and the CSRF field, Post/Redirect/Get, refusals re-rendered with the error summary naming each field.
import { JobRunnerService } from '../../apps/api/src/jobs/job-runner.service';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-seed';
import { deskApplication } from '../factories/applications';
import { consoleGet, consolePost, consoleSession, errorSummary, fieldError, heading, pageText, type ConsoleSession } from '../support/console-http';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('console administration', () => {
  let t: TestApp;
  let admin: ConsoleSession;
  let handler: ConsoleSession;
  const idOf = async (username: string) => ((await t.dataSource.query(`SELECT id FROM users WHERE username = $1`, [username])) as { id: string }[])[0].id;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await consoleSession(t, 'admin');
    handler = await consoleSession(t, 'handler');
  });
  afterAll(() => t?.close());

  describe('users', () => {
    it('lists the users with their roles and departments in words', async () => {
      const page = await consoleGet(t, admin, '/staff/admin/users').expect(200);
      const text = pageText(page);
      expect(text).toContain('李承办');
      expect(text).toContain('法制审核');
      expect(text).toContain('住房保障科');
      expect(text).not.toMatch(/\bhandler\b.*\bhandler\b/); // roles are words, the username alone is shown once
    });

    it('creates a user with roles as checkboxes and shows the one-time password once; the user signs in with it', async () => {
      const form = await consoleGet(t, admin, '/staff/admin/users/new').expect(200);
      expect(form.text).toContain('name="roles" value="legal"');
      expect(pageText(form)).toContain('合法性审查');
      const created = await consolePost(t, admin, '/staff/admin/users', {
        username: 'zhou.xin',
        displayName: '周新',
        roles: ['handler', 'legal'],
        department: '法制科',
        email: 'zhou@example.gov.cn',
      }).expect(200);
      expect(heading(created)).toBe('已创建用户 周新');
      expect(created.headers['cache-control']).toBe('no-store');
      const password = /<code class="secret">([^<]+)<\/code>/.exec(created.text)![1];
      expect(password).toMatch(/^[A-Za-z2-9]{12}$/);
      const [row] = await t.dataSource.query(`SELECT u.display_name, u.roles, u.email, d.name AS department FROM users u JOIN departments d ON d.id = u.department_id WHERE u.username = 'zhou.xin'`);
      expect(row).toEqual({ display_name: '周新', roles: ['handler', 'legal'], email: 'zhou@example.gov.cn', department: '法制科' });
      await t.http.post('/api/auth/login').send({ username: 'zhou.xin', password }).expect(200);
      // Shown once: the user's page never shows it again.
      const page = await consoleGet(t, admin, `/staff/admin/users/${await idOf('zhou.xin')}`).expect(200);
      expect(page.text).not.toContain(password);
    });

    it('refuses a form with problems: 400, the error summary links each field and the message stands beside it', async () => {
      const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM users`);
      const refused = await consolePost(t, admin, '/staff/admin/users', { username: 'Bad Name', displayName: '', department: '法制科', email: 'not-an-address' }).expect(400);
      expect(errorSummary(refused)).toEqual(
        expect.arrayContaining([
          { href: '#field-username', message: '用户名应为 3 至 40 位小写字母、数字或 . _ -，以字母开头' },
          { href: '#field-displayName', message: '姓名 不能为空' },
          { href: '#field-roles', message: '至少需要一个角色' },
          { href: '#field-email', message: '电子邮箱 不是有效的电子邮箱地址' },
        ]),
      );
      expect(fieldError(refused, 'displayName')).toBe('姓名 不能为空');
      // What was typed stays in the form.
      expect(refused.text).toContain('value="Bad Name"');
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM users`)).toEqual(before);
    });

    it('refuses a username already taken beside the username (409)', async () => {
      const refused = await consolePost(t, admin, '/staff/admin/users', { username: 'handler', displayName: '重名', roles: 'handler', department: '法制科' }).expect(409);
      expect(errorSummary(refused)).toEqual([{ href: '#field-username', message: '用户名“handler”已被使用' }]);
    });

    it('edits a user: name, roles, department; an emptied e-mail is removed', async () => {
      const id = await idOf('zhou.xin');
      await consolePost(t, admin, `/staff/admin/users/${id}`, { displayName: '周新（调岗）', roles: 'intake', department: '政府信息公开办公室', email: '' })
        .expect(303)
        .expect('Location', '/staff/admin/users?done=user_saved');
      const [row] = await t.dataSource.query(`SELECT u.display_name, u.roles, u.email, d.name AS department FROM users u JOIN departments d ON d.id = u.department_id WHERE u.id = $1`, [id]);
      expect(row).toEqual({ display_name: '周新（调岗）', roles: ['intake'], email: null, department: '政府信息公开办公室' });
      const list = await consoleGet(t, admin, '/staff/admin/users?done=user_saved').expect(200);
      expect(pageText(list)).toContain('用户信息已保存。');
      const refused = await consolePost(t, admin, `/staff/admin/users/${id}`, { displayName: '', roles: 'nonsense', department: '没有这个科' }).expect(400);
      expect(errorSummary(refused)).toEqual([
        { href: '#field-displayName', message: '姓名 不能为空' },
        { href: '#field-roles', message: '角色 应为以下之一或几项：登记、承办、法制审核、负责人、系统管理员' },
      ]);
      const unknownDepartment = await consolePost(t, admin, `/staff/admin/users/${id}`, { displayName: '周新', roles: 'intake', department: '没有这个科' }).expect(400);
      expect(errorSummary(unknownDepartment)).toEqual([{ href: '#field-department', message: '本机关没有名为“没有这个科”的部门' }]);
      expect((await t.dataSource.query(`SELECT display_name FROM users WHERE id = $1`, [id]))[0].display_name).toBe('周新（调岗）');
    });

    it('keeps the last administrator: taking the role from the only one is refused beside the roles (409)', async () => {
      const id = await idOf('admin');
      const refused = await consolePost(t, admin, `/staff/admin/users/${id}`, { displayName: '系统管理员', roles: ['intake', 'handler'], department: '政府信息公开办公室' }).expect(409);
      expect(errorSummary(refused)).toEqual([{ href: '#field-roles', message: expect.stringContaining('最后一名在用的管理员') }]);
      const [row] = await t.dataSource.query(`SELECT roles FROM users WHERE id = $1`, [id]);
      expect(row.roles).toContain('admin');
    });

    it('deactivates a user (their sign-ins end) and reactivates them; one’s own account is refused', async () => {
      const id = await idOf('zhou.xin');
      const session = await consoleSession(t, 'zhou.xin', await resetPasswordOf(id));
      await consoleGet(t, session, '/staff').expect(200);
      await consolePost(t, admin, `/staff/admin/users/${id}/active`, { active: 'no' }).expect(303).expect('Location', `/staff/admin/users/${id}?done=user_deactivated`);
      await consoleGet(t, session, '/staff').expect(303);
      const page = await consoleGet(t, admin, `/staff/admin/users/${id}?done=user_deactivated`).expect(200);
      expect(pageText(page)).toContain('已停用');
      await consolePost(t, admin, `/staff/admin/users/${id}/active`, { active: 'yes' }).expect(303);
      expect((await t.dataSource.query(`SELECT active FROM users WHERE id = $1`, [id]))[0].active).toBe(true);
      const neither = await consolePost(t, admin, `/staff/admin/users/${id}/active`, {}).expect(400);
      expect(errorSummary(neither)).toEqual([{ href: null, message: '请选择停用或启用' }]);
      const self = await consolePost(t, admin, `/staff/admin/users/${await idOf('admin')}/active`, { active: 'no' }).expect(409);
      expect(errorSummary(self)).toEqual([{ href: null, message: '不能停用自己的账号' }]);
    });

    async function resetPasswordOf(id: string): Promise<string> {
      const confirm = await consoleGet(t, admin, `/staff/admin/users/${id}/password`).expect(200);
      expect(pageText(confirm)).toContain('原密码立即失效');
      const reset = await consolePost(t, admin, `/staff/admin/users/${id}/password`, {}).expect(200);
      return /<code class="secret">([^<]+)<\/code>/.exec(reset.text)![1];
    }

    it('resets a password after asking: the password shown before stops working, the one shown now works', async () => {
      const id = await idOf('zhou.xin');
      const first = await resetPasswordOf(id);
      const second = await resetPasswordOf(id);
      await t.http.post('/api/auth/login').send({ username: 'zhou.xin', password: first }).expect(401);
      await t.http.post('/api/auth/login').send({ username: 'zhou.xin', password: second }).expect(200);
      // Not one's own: that needs the current password.
      const own = await consoleGet(t, admin, `/staff/admin/users/${await idOf('admin')}/password`).expect(200);
      expect(own.text).not.toContain('确认重置密码');
      await consolePost(t, admin, `/staff/admin/users/${await idOf('admin')}/password`, {}).expect(403);
    });
  });

  describe('departments', () => {
    it('creates a department, refuses an empty or taken name beside the field, and renames one', async () => {
      await consolePost(t, admin, '/staff/admin/departments', { name: '房屋征收科' }).expect(303).expect('Location', '/staff/admin/departments?done=department_created');
      const empty = await consolePost(t, admin, '/staff/admin/departments', { name: '  ' }).expect(400);
      expect(errorSummary(empty)).toEqual([{ href: '#field-name', message: '部门名称 不能为空' }]);
      const taken = await consolePost(t, admin, '/staff/admin/departments', { name: '法制科' }).expect(409);
      expect(errorSummary(taken)).toEqual([{ href: '#field-name', message: '部门“法制科”已存在' }]);
      const [{ id }] = await t.dataSource.query(`SELECT id FROM departments WHERE name = '房屋征收科'`);
      await consoleGet(t, admin, `/staff/admin/departments/${id}`).expect(200);
      await consolePost(t, admin, `/staff/admin/departments/${id}`, { name: '房屋征收与补偿科' }).expect(303);
      expect((await t.dataSource.query(`SELECT name FROM departments WHERE id = $1`, [id]))[0].name).toBe('房屋征收与补偿科');
      await consolePost(t, admin, `/staff/admin/departments/${id}`, { name: '住房保障科' }).expect(409);
      const emptyName = await consolePost(t, admin, `/staff/admin/departments/${id}`, { name: '' }).expect(400);
      expect(fieldError(emptyName, 'name')).toBe('部门名称 不能为空');
      await consoleGet(t, admin, '/staff/admin/departments/00000000-0000-4000-8000-000000000000').expect(404);
    });
  });

  describe('agency settings', () => {
    const settingsForm = async () => {
      const page = await consoleGet(t, admin, '/staff/admin/settings').expect(200);
      // Every control's current value, as the browser would send it back.
      const fields: Record<string, string | string[]> = {};
      for (const match of page.text.matchAll(/<input type="(?:text|number)"[^>]*? id="field-([^"]+)" name="([^"]+)" value="([^"]*)"/g)) fields[match[2]] = match[3].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
      for (const match of page.text.matchAll(/<textarea id="field-[^"]+" name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) fields[match[1]] = match[2];
      for (const match of page.text.matchAll(/<input type="radio" id="field-([^"]+)-(yes|no)" name="([^"]+)" value="(yes|no)" checked>/g)) fields[match[3]] = match[4];
      fields.reviewFirstOutcomes = [...page.text.matchAll(/<input type="checkbox" id="field-reviewFirstOutcomes-\d+" name="reviewFirstOutcomes" value="([^"]+)" checked>/g)].map((match) => match[1]);
      return { page, fields };
    };

    it('shows every setting with its article and saves a change, recorded with who and when', async () => {
      const { page, fields } = await settingsForm();
      const text = pageText(page);
      for (const words of ['行政复议机关', '行政复议法第二十四条至第二十七条', '案件编号格式', 'GB/T 9704—2012', '缴费期间暂停答复期限', '国办函〔2020〕109号', '第三方救济期间', '补正期限', '条例第三十条', '到期提醒', '印章文字', '办公时间', '条例第十二条', '须先申请行政复议的答复']) {
        expect(text).toContain(words);
      }
      expect(fields.reviewBody).toBe('上海市某区人民政府');
      await consolePost(t, admin, '/staff/admin/settings', { ...fields, reviewBody: '上海市某区人民政府（测试）', phone: '021-12345678' })
        .expect(303)
        .expect('Location', '/staff/admin/settings?done=settings_saved');
      const [agency] = await t.dataSource.query(`SELECT settings FROM agencies`);
      expect(agency.settings).toMatchObject({ reviewBody: '上海市某区人民政府（测试）', phone: '021-12345678', reviewFirstOutcomes: ['withheld.', 'partial'] });
      const [change] = await t.dataSource.query(`SELECT u.username, c.before->'settings'->>'reviewBody' AS before, c.after->'settings'->>'reviewBody' AS after FROM agency_settings_changes c JOIN users u ON u.id = c.changed_by`);
      expect(change).toEqual({ username: 'admin', before: '上海市某区人民政府', after: '上海市某区人民政府（测试）' });
      const after = await consoleGet(t, admin, '/staff/admin/settings?done=settings_saved').expect(200);
      expect(pageText(after)).toMatch(/修改记录[\s\S]*系统管理员联系电话、行政复议机关/);
      // Nothing changed: nothing recorded.
      await consolePost(t, admin, '/staff/admin/settings', (await settingsForm()).fields).expect(303);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM agency_settings_changes`)).toEqual([{ n: 1 }]);
    });

    it('refuses bad settings field by field (400), naming each by its label, and changes nothing', async () => {
      const { fields } = await settingsForm();
      const refused = await consolePost(t, admin, '/staff/admin/settings', {
        ...fields,
        reviewBody: '',
        caseNumberPattern: '{prefix}〔{year}〕号',
        dueSoonWorkingDays: '三天',
        supplementPeriodWorkingDays: '0',
        'letterNumberPrefixes.receipt': '',
      }).expect(400);
      expect(errorSummary(refused)).toEqual([
        { href: '#field-reviewBody', message: '行政复议机关 不能为空' },
        { href: '#field-caseNumberPattern', message: '案件编号格式：编号格式须包含顺序号 {n}' },
        { href: '#field-dueSoonWorkingDays', message: '到期提醒（工作日） 应为整数' },
        { href: '#field-supplementPeriodWorkingDays', message: '补正期限（工作日） 应在 1 至 60 之间' },
        { href: '#field-letterNumberPrefixes.receipt', message: '政府信息公开申请接收回执的文号代字 不能为空' },
      ]);
      expect(fieldError(refused, 'caseNumberPattern')).toBe('案件编号格式：编号格式须包含顺序号 {n}');
      const [agency] = await t.dataSource.query(`SELECT settings FROM agencies`);
      expect(agency.settings.reviewBody).toBe('上海市某区人民政府（测试）');
    });

    it('two saves at once are recorded one after the other, each with what it replaced', async () => {
      const { fields } = await settingsForm();
      const second = await consoleSession(t, 'admin');
      await Promise.all([
        consolePost(t, admin, '/staff/admin/settings', { ...fields, phone: '021-11111111' }).expect(303),
        consolePost(t, second, '/staff/admin/settings', { ...fields, phone: '021-22222222' }).expect(303),
      ]);
      const changes = await t.dataSource.query(`SELECT before->'settings'->>'phone' AS before, after->'settings'->>'phone' AS after FROM agency_settings_changes ORDER BY id DESC LIMIT 2`);
      // The later one replaced what the earlier one wrote, not the value both read from the form.
      expect(changes[0].before).toBe(changes[1].after);
      expect(changes[1].before).toBe('021-12345678');
      const [agency] = await t.dataSource.query(`SELECT settings->>'phone' AS phone FROM agencies`);
      expect(agency.phone).toBe(changes[0].after);
    });

    it('recomputes open deadlines in the background when a clock setting changes', async () => {
      await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2026-11-02' })).expect(201);
      const { fields } = await settingsForm();
      await consolePost(t, admin, '/staff/admin/settings', { ...fields, feePausesReplyClock: 'no' }).expect(303);
      const [job] = await t.dataSource.query(`SELECT kind, payload FROM jobs WHERE kind = 'recompute-deadlines' ORDER BY id DESC LIMIT 1`);
      expect(job.payload).toMatchObject({ settingsChangeId: expect.any(String) });
      await t.app.get(JobRunnerService).runDue();
      const [change] = await t.dataSource.query(`SELECT recomputed_cases, recomputed_at FROM agency_settings_changes ORDER BY id DESC LIMIT 1`);
      expect(change.recomputed_cases).toBeGreaterThanOrEqual(1);
      expect(change.recomputed_at).not.toBeNull();
      // The record of who changed what cannot be rewritten.
      await expect(t.dataSource.query(`UPDATE agency_settings_changes SET after = '{}'`)).rejects.toThrow(/keeps who changed what/);
      await expect(t.dataSource.query(`DELETE FROM agency_settings_changes`)).rejects.toThrow(/keeps who changed what/);
    });
  });

  describe('the working-day calendar', () => {
    const NOTICE_2027 = [
      '一、元旦：1月1日（周五）至3日（周日）放假，共3天。',
      '二、春节：2月6日（农历腊月三十、周六）至14日（农历正月初八、周日）放假调休，共9天。2月20日（周六）上班。',
    ].join('\n');

    it('reads the pasted notice, shows it month by month, and saves only when confirmed', async () => {
      const form = await consoleGet(t, admin, '/staff/admin/calendar/2027').expect(200);
      expect(form.text).toContain('国务院办公厅关于2027年部分节假日安排的通知');
      const fields = { source: '国务院办公厅关于2027年部分节假日安排的通知（测试数据）', published: 'yes', notice: NOTICE_2027 };
      const check = await consolePost(t, admin, '/staff/admin/calendar/2027', { ...fields, stage: 'check' }).expect(200);
      expect(heading(check)).toBe('请核对：2027年节假日安排');
      expect(pageText(check)).toContain('共放假 12 天（含假期中的周末），调休上班 1 天');
      expect(check.text).toContain('2027年2月20日，春节调休上班');
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM calendar_years WHERE year = 2027`)).toEqual([{ n: 0 }]);
      const back = await consolePost(t, admin, '/staff/admin/calendar/2027', { ...fields, stage: 'edit' }).expect(200);
      expect(back.text).toContain('2月20日（周六）上班');
      await consolePost(t, admin, '/staff/admin/calendar/2027', { ...fields, stage: 'commit' }).expect(303).expect('Location', '/staff/admin/calendar/2027?done=calendar_saved');
      const days = await t.dataSource.query(`SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM calendar_days WHERE year = 2027 ORDER BY date`);
      expect(days).toHaveLength(13);
      expect(days).toContainEqual({ date: '2027-02-20', kind: 'workday', name: '春节' });
      const saved = await consoleGet(t, admin, '/staff/admin/calendar/2027?done=calendar_saved').expect(200);
      expect(pageText(saved)).toContain('节假日安排已保存');
      expect(saved.text).toContain('春节：2月6日至14日放假；2月20日上班。');
    });

    it('refuses what cannot be a working day or a date, on the notice field (400), and saves nothing', async () => {
      const refused = await consolePost(t, admin, '/staff/admin/calendar/2028', {
        source: '国务院办公厅关于2028年部分节假日安排的通知（测试数据）',
        published: '',
        notice: '元旦：1月1日放假\n春节：1月25日（周二）上班\n清明节：4月31日放假',
        stage: 'check',
      }).expect(400);
      expect(errorSummary(refused)).toEqual([
        { href: '#field-published', message: '已正式发布 请选择“是”或“否”' },
        { href: '#field-notice', message: '放假和调休安排第 3 行：没有4月31日这一天' },
      ]);
      const weekday = await consolePost(t, admin, '/staff/admin/calendar/2028', { source: '通知', published: 'yes', notice: '春节：1月25日上班', stage: 'commit' }).expect(400);
      expect(errorSummary(weekday)).toEqual([{ href: '#field-notice', message: '放假和调休安排：2028 年调休上班日期：2028-01-25 是星期二，调休上班日只能是周六或周日' }]);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM calendar_years WHERE year = 2028`)).toEqual([{ n: 0 }]);
      await consoleGet(t, admin, '/staff/admin/calendar/1999').expect(400);
    });
  });

  describe('the personal-data access log', () => {
    it('filters by user, case number, action and dates; a bad date is refused naming the field', async () => {
      const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2026-11-03' })).expect(201);
      await t.http.get(`/api/cases/${created.body.id}/personal-data`).query({ reason: '核验身份' }).set(await t.as('intake')).expect(200);
      const all = await consoleGet(t, admin, '/staff/admin/access-log').expect(200);
      expect(pageText(all)).toContain('查看完整证件号码和电话');
      const filtered = await consoleGet(t, admin, `/staff/admin/access-log?username=intake&action=reveal_identity&caseNumber=${encodeURIComponent(created.body.caseNumber)}`).expect(200);
      const text = pageText(filtered);
      expect(text).toContain('共 1 条');
      expect(text).toContain('核验身份');
      expect(text).toContain('王登记');
      const none = await consoleGet(t, admin, '/staff/admin/access-log?username=intake&action=export_evidence_bundle').expect(200);
      expect(pageText(none)).toContain('共 0 条');
      const bad = await consoleGet(t, admin, '/staff/admin/access-log?from=2026-13-01').expect(400);
      expect(errorSummary(bad)).toEqual([{ href: '#field-from', message: '起始日期 应为有效日期（年-月-日，如 2025-09-26）' }]);
    });
  });

  describe('guarded like every console write', () => {
    const WRITES: [string, Record<string, string>][] = [
      ['/staff/admin/users', { username: 'csrf.test', displayName: '跨站', roles: 'handler', department: '法制科' }],
      ['/staff/admin/departments', { name: '跨站科' }],
      ['/staff/admin/settings', { name: '跨站' }],
      ['/staff/admin/calendar/2029', { source: 'x', published: 'yes', notice: '元旦：1月1日放假', stage: 'commit' }],
    ];

    it.each(WRITES)('%s: a missing or forged CSRF token → 403, nothing written', async (url, fields) => {
      const before = await t.dataSource.query(`SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM departments) + (SELECT count(*) FROM agency_settings_changes) + (SELECT count(*) FROM calendar_years) AS n`);
      const missing = await consolePost(t, admin, url, fields, { csrf: null }).expect(403);
      expect(heading(missing)).toBe('无权进行此操作');
      await consolePost(t, admin, url, fields, { csrf: handler.csrf }).expect(403);
      expect(await t.dataSource.query(`SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM departments) + (SELECT count(*) FROM agency_settings_changes) + (SELECT count(*) FROM calendar_years) AS n`)).toEqual(before);
    });

    it.each(WRITES)('%s: a user without the administrator role → 403 page', async (url, fields) => {
      const refused = await consolePost(t, handler, url, fields).expect(403);
      expect(refused.type).toBe('text/html');
      expect(pageText(refused)).toContain('系统管理员');
    });
  });
});
