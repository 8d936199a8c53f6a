import { Injectable } from '@nestjs/common';
import { ROLES, type Role } from '@desk/case-workflow';
import { isIsoDate } from '@desk/calendar';
import { labelOf, PERSONAL_DATA_ACTION_TERMS, ROLE_TERMS } from '@desk/vocabulary';
import { CreateUserDto, DepartmentDto, UpdateUserDto } from '../admin/admin.controller';
import { AdminService, oneTimePassword } from '../admin/admin.service';
import type { Principal } from '../auth/principal';
import { isFormRefusal, placeRefusal, postedList, postedText, dtoProblems, formFields, refusalStatus, type FieldSpec, type Problem } from './console-forms';
import { PersonalDataAuditService } from '../personal-data/personal-data-audit.service';

/** What each role does, beside its checkbox: an administrator grants roles by what people do, not by code names. */
const ROLE_HINTS: Record<Role, string> = {
  intake: '接收、登记申请，确认收到，分办，记录送达',
  handler: '检索、征求意见、起草答复、申请延期',
  legal: '合法性审查，记录行政复议和诉讼',
  head: '批准延期，签发答复，督办',
  admin: '用户、部门、机关设置、工作日历、访问日志',
};

export interface AdminUser extends Record<string, unknown> {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  department: string | null;
  email: string | null;
  active: boolean;
  isDemo: boolean;
}

export type FormOutcome<T> = { ok: true; value: T } | { ok: false; status: number; problems: Problem[] };

const ACCESS_LOG_PAGE_SIZE = 50;

const UUID_AT_START = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s*/i;
const FORMATS: Record<string, string> = { html: '网页', pdf: 'PDF 文件', docx: 'Word 文件' };

/** A log entry's detail as a person reads it: the record ids the log keeps for tracing left out, formats in words. */
export function describeDetail(detail: string | null): string | null {
  if (!detail) return null;
  const rest = detail.replace(UUID_AT_START, '').trim();
  return FORMATS[rest] ?? (rest || null);
}

/** The administration pages' data: users, departments and the personal-data access log, through the admin services. */
@Injectable()
export class AdminPages {
  constructor(
    private readonly admin: AdminService,
    private readonly audit: PersonalDataAuditService,
  ) {}

  async users(principal: Principal) {
    const users = (await this.admin.users(principal)) as AdminUser[];
    return {
      users: users.map((user) => ({ ...user, roleLabels: user.roles.map((role) => labelOf(ROLE_TERMS, role)).join('、'), isSelf: user.id === principal.userId })),
      activeCount: users.filter((user) => user.active).length,
    };
  }

  async user(principal: Principal, id: string): Promise<AdminUser> {
    return (await this.admin.user(principal, id)) as AdminUser;
  }

  async departmentNames(principal: Principal): Promise<string[]> {
    return ((await this.admin.departments(principal)) as { name: string }[]).map((department) => department.name);
  }

  /** The fields of the user form; the username only when the user is new (it is the sign-in name, never changed). */
  async userFields(principal: Principal, isNew: boolean, values: Record<string, unknown>, problems: Problem[]) {
    const departments = await this.departmentNames(principal);
    const specs: FieldSpec[] = [
      ...(isNew
        ? [{ name: 'username', label: '用户名', widget: 'text' as const, hint: '登录时输入的名称：3 至 40 位小写字母、数字或 . _ -，以字母开头，如 wangli。创建后不能修改。', max: 40 }]
        : []),
      { name: 'displayName', label: '姓名', widget: 'text', hint: '显示在案件记录、办理经过和通知中。', max: 100 },
      {
        name: 'roles',
        label: '角色',
        widget: 'checkboxes',
        hint: '可选多项。每个角色只能办理其职责内的事项。',
        options: ROLES.map((role) => ({ value: role, label: labelOf(ROLE_TERMS, role), hint: ROLE_HINTS[role] })),
      },
      { name: 'department', label: '所属部门', widget: 'select', hint: '承办人只能看到本部门承办或协办的案件。', options: departments.map((name) => ({ value: name, label: name })) },
      { name: 'email', label: '电子邮箱', widget: 'email', optional: true, hint: '填写后，答复期限临近和逾期的提醒也发送到此邮箱。', max: 200 },
    ];
    return formFields(specs, values, problems);
  }

  /** The user form as posted, checked by the API's own DTO (the same labels and messages). */
  readUser(posted: Record<string, unknown>, isNew: boolean) {
    const email = postedText(posted, 'email');
    const values = {
      ...(isNew ? { username: postedText(posted, 'username') } : {}),
      displayName: postedText(posted, 'displayName'),
      roles: postedList(posted, 'roles'),
      department: postedText(posted, 'department'),
      email,
    };
    const input = { ...values, email: email || undefined };
    // A new user's first password is made here and shown once: the administrator does not invent one.
    const problems = isNew ? dtoProblems(CreateUserDto, { ...input, password: oneTimePassword() }) : dtoProblems(UpdateUserDto, input);
    return { values, problems };
  }

  async createUser(principal: Principal, posted: Record<string, unknown>): Promise<FormOutcome<{ user: AdminUser; password: string }> & { values: Record<string, unknown> }> {
    const { values, problems } = this.readUser(posted, true);
    if (problems.length) return { ok: false, status: 400, problems, values };
    const password = oneTimePassword();
    try {
      const user = (await this.admin.createUser(principal, {
        username: values.username!,
        displayName: values.displayName,
        roles: values.roles as Role[],
        department: values.department,
        password,
        ...(values.email ? { email: values.email } : {}),
      })) as AdminUser;
      return { ok: true, value: { user, password }, values };
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      // 用户名“x”已被使用 names the field by its label; so does 本机关没有名为“x”的部门 (所属部门 by its word 部门).
      const placed = placeRefusal(error, [
        { name: 'username', label: '用户名' },
        { name: 'department', label: '部门' },
      ]);
      return { ok: false, status: refusalStatus(error), problems: placed, values };
    }
  }

  async updateUser(principal: Principal, id: string, posted: Record<string, unknown>): Promise<FormOutcome<AdminUser> & { values: Record<string, unknown> }> {
    const { values, problems } = this.readUser(posted, false);
    if (problems.length) return { ok: false, status: 400, problems, values };
    try {
      const user = (await this.admin.updateUser(principal, id, {
        displayName: values.displayName,
        roles: values.roles as Role[],
        department: values.department,
        email: values.email || null,
      })) as AdminUser;
      return { ok: true, value: user, values };
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      // The last administrator: the roles are what would take the role away.
      const placed = placeRefusal(error, [
        { name: 'roles', label: '管理员' },
        { name: 'department', label: '部门' },
      ]);
      return { ok: false, status: refusalStatus(error), problems: placed, values };
    }
  }

  /** 停用 / 启用: refusals (one's own account, the last administrator) come back as the page's message. */
  async setActive(principal: Principal, id: string, active: boolean): Promise<FormOutcome<AdminUser>> {
    try {
      return { ok: true, value: (await this.admin.updateUser(principal, id, { active })) as AdminUser };
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      return { ok: false, status: refusalStatus(error), problems: [{ name: null, message: error.message }] };
    }
  }

  resetPassword(principal: Principal, id: string) {
    return this.admin.resetPassword(principal, id);
  }

  async departments(principal: Principal) {
    return (await this.admin.departments(principal)) as { id: string; name: string; activeUsers: number }[];
  }

  async department(principal: Principal, id: string) {
    const found = (await this.departments(principal)).find((department) => department.id === id);
    return found ?? null;
  }

  /** A new department or a new name: the API's DTO checks the name; a taken name is refused beside the field. */
  async saveDepartment(principal: Principal, id: string | null, posted: Record<string, unknown>): Promise<FormOutcome<{ id: string; name: string }> & { values: Record<string, unknown> }> {
    const values = { name: postedText(posted, 'name') };
    const problems = dtoProblems(DepartmentDto, values);
    if (problems.length) return { ok: false, status: 400, problems, values };
    try {
      const value = id ? await this.admin.renameDepartment(principal, id, values.name) : await this.admin.createDepartment(principal, values.name);
      return { ok: true, value, values };
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      return { ok: false, status: refusalStatus(error), problems: placeRefusal(error, [{ name: 'name', label: '部门' }]), values };
    }
  }

  /** The access log with its filters (user, case number, action, dates), newest first, a page at a time. */
  async accessLog(principal: Principal, raw: Record<string, unknown>) {
    const text = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string).trim() : '');
    const filters = { username: text('username'), caseNumber: text('caseNumber'), action: text('action'), from: text('from'), to: text('to') };
    const page = /^\d{1,6}$/.test(text('page')) ? Math.max(1, Number(text('page'))) : 1;
    const problems: Problem[] = [];
    if (filters.from && !isIsoDate(filters.from)) problems.push({ name: 'from', message: '起始日期 应为有效日期（年-月-日，如 2025-09-26）' });
    if (filters.to && !isIsoDate(filters.to)) problems.push({ name: 'to', message: '截止日期 应为有效日期（年-月-日，如 2025-09-26）' });
    if (filters.from && filters.to && isIsoDate(filters.from) && isIsoDate(filters.to) && filters.from > filters.to) problems.push({ name: 'to', message: '截止日期 不能早于起始日期' });
    if (filters.action && !PERSONAL_DATA_ACTION_TERMS.some((term) => term.code === filters.action)) problems.push({ name: 'action', message: '操作 应从列表中选择' });
    if (filters.caseNumber.length > 100) problems.push({ name: 'caseNumber', message: '案件编号 不能超过 100 个字' });
    const users = (await this.admin.users(principal)) as AdminUser[];
    const result = problems.length
      ? { items: [], total: 0, page: 1, pageSize: ACCESS_LOG_PAGE_SIZE }
      : await this.audit.search(principal, {
          ...(filters.username ? { username: filters.username } : {}),
          ...(filters.caseNumber ? { caseNumber: filters.caseNumber } : {}),
          ...(filters.action ? { action: filters.action } : {}),
          ...(filters.from ? { from: filters.from } : {}),
          ...(filters.to ? { to: filters.to } : {}),
          page,
          pageSize: ACCESS_LOG_PAGE_SIZE,
        });
    const names = new Map(users.map((user) => [user.username, user.displayName]));
    // People are picked by name; the sign-in name is added only where two share a name.
    const namesakes = new Set(users.map((user) => user.displayName).filter((name, index, all) => all.indexOf(name) !== index));
    const pages = Math.max(1, Math.ceil(result.total / ACCESS_LOG_PAGE_SIZE));
    const link = (target: number) => {
      const query = new URLSearchParams(Object.entries({ ...filters, page: String(target) }).filter(([, value]) => value));
      return `/staff/admin/access-log?${query.toString()}`;
    };
    const items = (result.items as { id: string; at: Date; username: string; action: string; detail: string | null; address: string | null; caseNumbers: string[] }[]).map((item) => ({
      ...item,
      detail: describeDetail(item.detail),
      displayName: names.get(item.username) ?? item.username,
    }));
    const fields = formFields(
      [
        // Filters: every one may stay empty, so none is marked 选填.
        { name: 'username', label: '用户', widget: 'select', emptyOption: '全部用户', options: users.map((user) => ({ value: user.username, label: namesakes.has(user.displayName) ? `${user.displayName}（${user.username}）` : user.displayName })) },
        { name: 'caseNumber', label: '案件编号（全部或一部分）', widget: 'text', max: 100 },
        { name: 'action', label: '操作', widget: 'select', emptyOption: '全部操作', options: PERSONAL_DATA_ACTION_TERMS.map((term) => ({ value: term.code, label: term.label })) },
        { name: 'from', label: '起始日期', widget: 'date' },
        { name: 'to', label: '截止日期', widget: 'date' },
      ],
      filters,
      problems,
    );
    return {
      fields,
      problems,
      items,
      total: result.total,
      page: result.page,
      pages,
      first: result.total ? (result.page - 1) * ACCESS_LOG_PAGE_SIZE + 1 : 0,
      last: Math.min(result.page * ACCESS_LOG_PAGE_SIZE, result.total),
      previous: result.page > 1 ? link(result.page - 1) : null,
      next: result.page < pages ? link(result.page + 1) : null,
    };
  }
}
