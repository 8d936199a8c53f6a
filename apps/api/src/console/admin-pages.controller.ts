import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConsolePage } from '../auth/access.decorator';
import { notFound } from '../common/domain-error';
import { AdminPages } from './admin-pages.service';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { formField, postedYesNo, sendPage, type Problem } from './console-forms';
import { ConsoleViews } from './console-views';

const ADMIN = { label: '系统管理', href: '/staff/admin' };
const USERS = { label: '用户', href: '/staff/admin/users' };
const DEPARTMENTS = { label: '部门', href: '/staff/admin/departments' };

/** Administration (issue 16 item 8): users, departments and the personal-data access log. */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff/admin')
export class AdminPagesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly frames: ConsoleFrames,
    private readonly pages: AdminPages,
  ) {}

  @ConsolePage('admin')
  @Get()
  async index(@Req() request: ConsoleRequest, @Res() response: Response) {
    await sendPage(this.views, this.frames, request, response, 'admin', { title: '系统管理', current: 'admin' }, {});
  }

  @ConsolePage('admin')
  @Get('users')
  async users(@Req() request: ConsoleRequest, @Res() response: Response) {
    await sendPage(this.views, this.frames, request, response, 'admin-users', { title: '用户', current: 'admin', breadcrumbs: [ADMIN, { label: '用户' }], wide: true }, await this.pages.users(request.principal));
  }

  @ConsolePage('admin')
  @Get('users/new')
  async newUser(@Req() request: ConsoleRequest, @Res() response: Response) {
    await this.userForm(request, response, 200, null, { roles: [] }, []);
  }

  /** The new user's first password is shown once, on this answer, and never again (not in an address, not on a redirect). */
  @ConsolePage('admin')
  @Post('users')
  @HttpCode(200)
  async createUser(@Req() request: ConsoleRequest, @Res() response: Response, @Body() posted: Record<string, unknown>) {
    const result = await this.pages.createUser(request.principal, posted);
    if (!result.ok) return this.userForm(request, response, result.status, null, result.values, result.problems);
    await sendPage(this.views, this.frames, request, response, 'admin-password', { title: '用户已创建', current: 'admin', breadcrumbs: [ADMIN, USERS, { label: result.value.user.displayName }] }, {
      ...result.value,
      created: true,
    });
  }

  @ConsolePage('admin')
  @Get('users/:id')
  async user(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    const user = await this.pages.user(request.principal, id);
    await this.userForm(request, response, 200, user, user, []);
  }

  @ConsolePage('admin')
  @Post('users/:id')
  @HttpCode(200)
  async updateUser(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Body() posted: Record<string, unknown>) {
    const user = await this.pages.user(request.principal, id);
    const result = await this.pages.updateUser(request.principal, id, posted);
    if (!result.ok) return this.userForm(request, response, result.status, user, result.values, result.problems);
    response.redirect(303, `/staff/admin/users?done=user_saved`);
  }

  /** 停用 or 启用 (active=no / yes): a deactivated user's sign-ins end at once; the agency keeps an active administrator. */
  @ConsolePage('admin')
  @Post('users/:id/active')
  @HttpCode(200)
  async setActive(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Body() posted: Record<string, unknown>) {
    const user = await this.pages.user(request.principal, id);
    const active = postedYesNo(posted, 'active');
    if (active === undefined) return this.userForm(request, response, 400, user, user, [{ name: null, message: '请选择停用或启用' }]);
    const result = await this.pages.setActive(request.principal, id, active);
    if (!result.ok) return this.userForm(request, response, result.status, user, user, result.problems);
    response.redirect(303, `/staff/admin/users/${id}?done=${active ? 'user_reactivated' : 'user_deactivated'}`);
  }

  /** Resetting a password cannot be undone (the old one is gone and every sign-in ends): a page asks first. */
  @ConsolePage('admin')
  @Get('users/:id/password')
  async confirmReset(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    const user = await this.pages.user(request.principal, id);
    await sendPage(this.views, this.frames, request, response, 'admin-password', { title: '重置密码', current: 'admin', breadcrumbs: [ADMIN, USERS, { label: user.displayName, href: `/staff/admin/users/${id}` }, { label: '重置密码' }] }, {
      user,
      confirm: true,
      isSelf: user.id === request.principal.userId,
    });
  }

  @ConsolePage('admin')
  @Post('users/:id/password')
  @HttpCode(200)
  async resetPassword(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    const result = await this.pages.resetPassword(request.principal, id);
    await sendPage(this.views, this.frames, request, response, 'admin-password', { title: '密码已重置', current: 'admin', breadcrumbs: [ADMIN, USERS, { label: result.user.displayName, href: `/staff/admin/users/${id}` }, { label: '重置密码' }] }, result);
  }

  @ConsolePage('admin')
  @Get('departments')
  async departments(@Req() request: ConsoleRequest, @Res() response: Response) {
    await this.departmentsPage(request, response, 200, {}, []);
  }

  @ConsolePage('admin')
  @Post('departments')
  @HttpCode(200)
  async createDepartment(@Req() request: ConsoleRequest, @Res() response: Response, @Body() posted: Record<string, unknown>) {
    const result = await this.pages.saveDepartment(request.principal, null, posted);
    if (!result.ok) return this.departmentsPage(request, response, result.status, result.values, result.problems);
    response.redirect(303, '/staff/admin/departments?done=department_created');
  }

  @ConsolePage('admin')
  @Get('departments/:id')
  async department(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    const department = await this.pages.department(request.principal, id);
    if (!department) throw notFound('没有这个部门');
    await this.renameForm(request, response, 200, department, { name: department.name }, []);
  }

  @ConsolePage('admin')
  @Post('departments/:id')
  @HttpCode(200)
  async renameDepartment(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Body() posted: Record<string, unknown>) {
    const department = await this.pages.department(request.principal, id);
    if (!department) throw notFound('没有这个部门');
    const result = await this.pages.saveDepartment(request.principal, id, posted);
    if (!result.ok) return this.renameForm(request, response, result.status, department, result.values, result.problems);
    response.redirect(303, '/staff/admin/departments?done=department_renamed');
  }

  @ConsolePage('admin')
  @Get('access-log')
  async accessLog(@Req() request: ConsoleRequest, @Res() response: Response, @Query() raw: Record<string, unknown>) {
    const log = await this.pages.accessLog(request.principal, raw);
    await sendPage(this.views, this.frames, request, response, 'access-log', { status: log.problems.length ? 400 : 200, title: '个人信息访问日志', current: 'admin', breadcrumbs: [ADMIN, { label: '个人信息访问日志' }], wide: true }, log);
  }

  private async userForm(request: ConsoleRequest, response: Response, status: number, user: { id: string; displayName: string; active: boolean; username: string } | null, values: Record<string, unknown>, problems: Problem[]) {
    const fields = await this.pages.userFields(request.principal, !user, values, problems);
    const title = user ? `用户：${user.displayName}` : '新建用户';
    await sendPage(this.views, this.frames, request, response, 'admin-user', { status, title, current: 'admin', breadcrumbs: [ADMIN, USERS, { label: user ? user.displayName : '新建用户' }] }, {
      user,
      isSelf: user?.id === request.principal.userId,
      action: user ? `/staff/admin/users/${user.id}` : '/staff/admin/users',
      fields,
      problems,
    });
  }

  private async departmentsPage(request: ConsoleRequest, response: Response, status: number, values: Record<string, unknown>, problems: Problem[]) {
    const departments = await this.pages.departments(request.principal);
    await sendPage(this.views, this.frames, request, response, 'admin-departments', { status, title: '部门', current: 'admin', breadcrumbs: [ADMIN, { label: '部门' }] }, {
      departments,
      field: formField({ name: 'name', label: '部门名称', widget: 'text', hint: '如“住房保障科”。承办人按部门分办，协办请求发给部门。', max: 100 }, values.name, problems),
      problems,
    });
  }

  private async renameForm(request: ConsoleRequest, response: Response, status: number, department: { id: string; name: string; activeUsers: number }, values: Record<string, unknown>, problems: Problem[]) {
    await sendPage(this.views, this.frames, request, response, 'admin-department', { status, title: `部门：${department.name}`, current: 'admin', breadcrumbs: [ADMIN, DEPARTMENTS, { label: department.name }] }, {
      department,
      field: formField({ name: 'name', label: '部门名称', widget: 'text', hint: '改名后，该部门的用户和案件随之显示新名称；办理经过中已记录的名称不变。', max: 100 }, values.name, problems),
      problems,
    });
  }
}
