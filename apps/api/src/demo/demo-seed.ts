import type { INestApplication } from '@nestjs/common';
import { addCalendarDays } from '@desk/calendar';
import type { Role } from '@desk/case-workflow';
import { DataSource } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import { hashPassword } from '../auth/auth.service';
import { principalOf, type Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { IntakeService } from '../cases/intake.service';
import { RecordEventService } from '../cases/record-event.service';
import { DepartmentEntity, UserEntity } from '../database/entities';

export const DEMO_PASSWORD = 'demo-password';

const DEPARTMENTS = ['政府信息公开办公室', '住房保障科', '法制科'] as const;

// api.md: each demo account has the role of its name; admin holds every role.
const DEMO_USERS: { username: string; displayName: string; roles: Role[]; department: (typeof DEPARTMENTS)[number] }[] = [
  { username: 'admin', displayName: '系统管理员', roles: ['intake', 'handler', 'legal', 'head', 'admin'], department: '政府信息公开办公室' },
  { username: 'intake', displayName: '王登记', roles: ['intake'], department: '政府信息公开办公室' },
  { username: 'handler', displayName: '李承办', roles: ['handler'], department: '住房保障科' },
  { username: 'legal', displayName: '赵法制', roles: ['legal'], department: '法制科' },
  { username: 'head', displayName: '陈主任', roles: ['head'], department: '政府信息公开办公室' },
];

/** Demo accounts and a few cases at different steps, made through the real workflow. Idempotent. */
export async function seedDemo(app: INestApplication, options: { cases: boolean } = { cases: true }): Promise<{ accounts: string[]; casesCreated: number }> {
  const dataSource = app.get(DataSource);
  const agency = await app.get(AgenciesService).ensureDefaultAgency();
  const departmentIds = new Map<string, string>();
  for (const name of DEPARTMENTS) {
    await dataSource.query(`INSERT INTO departments (agency_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [agency.id, name]);
    const department = await dataSource.getRepository(DepartmentEntity).findOneByOrFail({ agencyId: agency.id, name });
    departmentIds.set(name, department.id);
  }
  const users = dataSource.getRepository(UserEntity);
  for (const user of DEMO_USERS) {
    if (await users.findOneBy({ username: user.username })) continue;
    await users.insert({
      agencyId: agency.id,
      departmentId: departmentIds.get(user.department) ?? null,
      username: user.username,
      displayName: user.displayName,
      passwordHash: await hashPassword(DEMO_PASSWORD),
      roles: user.roles,
      isDemo: true,
      active: true,
    });
  }
  const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM cases WHERE agency_id = $1`, [agency.id]);
  if (count > 0 || !options.cases) return { accounts: DEMO_USERS.map((user) => user.username), casesCreated: 0 };

  const principals = new Map<string, Principal>();
  for (const user of await users.findBy({ agencyId: agency.id })) {
    principals.set(user.username, principalOf(user, 'demo-seed'));
  }
  const as = (username: string) => principals.get(username)!;
  const intake = app.get(IntakeService);
  const steps = app.get(RecordEventService);
  const calendar = app.get(CalendarService);
  const today = calendar.today();
  // The working day `n` working days before today on the official calendar (a desk is not open at weekends).
  const workingDaysAgo = (n: number) => {
    let date = today;
    const back = () => (date = addCalendarDays(date, -1));
    while (calendar.calendar().workingDaysBetween(date, today).count < n) back();
    while (!calendar.calendar().isWorkingDay(date).working) back();
    return date;
  };
  const person = { category: 'natural_person' as const, name: '张三', idType: 'id_card' as const, idNumber: '11010519491231002X', phone: '13812345678', address: '上海市杨浦区示例路1号' };
  const company = { category: 'business' as const, name: '上海示例置业有限公司', idType: 'uscc' as const, idNumber: '91350100M000100Y43', email: 'legal@example.com' };
  const desk = async (receivedAt: string, applicant: typeof person | typeof company, description: string) => {
    const created = await intake.create({
      agency,
      creation: { type: 'REGISTER', at: receivedAt, channel: 'in_person' },
      channel: 'in_person',
      applicant,
      description,
      deliveryForm: 'paper_pickup',
      actor: { id: as('intake').userId, name: 'intake' },
    });
    return created.id;
  };

  await intake.create({
    agency,
    creation: { type: 'SUBMIT_ONLINE', at: today },
    channel: 'online',
    applicant: { ...person, name: '李四', idNumber: '11010519491231002X' },
    description: '本区2024年度公共租赁住房房源筹措和分配情况',
    deliveryForm: 'email',
    actor: { id: null, name: 'applicant' },
  });
  await desk(workingDaysAgo(2), person, '某小区旧住房综合改造项目的立项批复文件');

  const handling = await desk(workingDaysAgo(10), company, '某地块国有土地上房屋征收补偿方案及征求意见情况');
  await steps.record(as('intake'), handling, { type: 'ASSIGN', at: workingDaysAgo(9), handler: 'handler' });

  const review = await desk(workingDaysAgo(16), person, '2019年本街道直管公房出售的审批材料');
  await steps.record(as('intake'), review, { type: 'ASSIGN', at: workingDaysAgo(15), handler: 'handler' });
  await steps.record(as('handler'), review, {
    type: 'RECORD_SEARCH',
    at: workingDaysAgo(12),
    scope: '档案室纸质档案（2015—2020年）；OA公文系统；询问房屋管理科',
    terms: '直管公房 出售 审批 2019',
    result: '未检索到相关审批材料',
  });
  await steps.record(as('handler'), review, {
    type: 'DECIDE',
    at: workingDaysAgo(11),
    outcome: 'unavailable.not_held',
    reasons: '经检索本机关档案及公文系统，未找到申请人所述审批材料，该信息不存在。',
  });

  const closed = await desk(workingDaysAgo(30), company, '2023年本区保障性住房建设计划');
  await steps.record(as('intake'), closed, { type: 'ASSIGN', at: workingDaysAgo(29), handler: 'handler' });
  await steps.record(as('handler'), closed, { type: 'DECIDE', at: workingDaysAgo(20), outcome: 'disclosed', disclosureMode: 'already_public', provided: '该计划已于区政府门户网站“规划计划”栏目主动公开，您可在该栏目查阅、下载。' });
  await steps.record(as('legal'), closed, { type: 'APPROVE', at: workingDaysAgo(19) });
  await steps.record(as('head'), closed, { type: 'APPROVE', at: workingDaysAgo(19) });
  await steps.record(as('intake'), closed, { type: 'ISSUE_REPLY', at: workingDaysAgo(18) });
  await steps.record(as('head'), closed, { type: 'DECIDE_PROACTIVE', at: workingDaysAgo(18), publish: false, reason: '该信息已主动公开，无需重复发布' });

  return { accounts: DEMO_USERS.map((user) => user.username), casesCreated: 5 };
}
