import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConsolePage } from '../auth/access.decorator';
import { ApiClientsPages } from './api-clients-pages.service';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { sendPage, type PageOptions, type Problem } from './console-forms';
import { ConsoleViews } from './console-views';

const ADMIN = { label: '系统管理', href: '/staff/admin' };
const CLIENTS = { label: '接入平台', href: '/staff/admin/api-clients' };

/** What a step on these pages leaves for the page it redirects to (`?done=`), in words. */
const DONE: Record<string, string> = {
  revoked: '客户端已停用：它的密钥从下一次调用起即被拒绝，回调随之停止。',
  subscribed: '回调订阅已保存。',
  unsubscribed: '已取消回调订阅，尚未发出的回调不再发送。',
  replayed: '回调已重新排队，将从第一次尝试起重新发送。',
};

/**
 * The platforms' API clients and their status callbacks in the console (issues 16 and 19): list, create, rotate and
 * revoke a client, its callback subscription and access log; the callbacks with their delivery, and the replay of a
 * dead one. A secret is shown on the answer to the step that made it, never on a page one can come back to.
 */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff/admin')
export class ApiClientsPagesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly frames: ConsoleFrames,
    private readonly pages: ApiClientsPages,
  ) {}

  @ConsolePage('admin')
  @Get('api-clients')
  async list(@Req() request: ConsoleRequest, @Res() response: Response, @Query('done') done?: string) {
    await this.send(request, response, 'admin-api-clients', { title: '接入平台', breadcrumbs: [ADMIN, { label: '接入平台' }], wide: true, flash: flashOf(done) }, await this.pages.list(request.principal));
  }

  @ConsolePage('admin')
  @Get('api-clients/new')
  async newClient(@Req() request: ConsoleRequest, @Res() response: Response) {
    await this.createForm(request, response, 200, await this.pages.defaultCreateValues(request.principal), []);
  }

  /** The secret is on this answer only: not in an address, not after a redirect, not cached. */
  @ConsolePage('admin')
  @Post('api-clients')
  @HttpCode(200)
  async create(@Req() request: ConsoleRequest, @Res() response: Response, @Body() posted: Record<string, unknown>) {
    const result = await this.pages.create(request.principal, posted);
    if (!result.ok) return this.createForm(request, response, result.status, result.values, result.problems);
    const { client, secret } = result.value;
    await this.secret(request, response, `已登记客户端 ${client.name}`, client, { kind: 'client', secret, created: true });
  }

  @ConsolePage('admin')
  @Get('api-clients/:id')
  async client(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Query('done') done?: string) {
    await this.detail(request, response, 200, id, {}, flashOf(done));
  }

  @ConsolePage('admin')
  @Get('api-clients/:id/rotate')
  async confirmRotate(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    await this.confirm(request, response, 200, id, 'rotate', { previousSecretValidMinutes: '0' }, []);
  }

  @ConsolePage('admin')
  @Post('api-clients/:id/rotate')
  @HttpCode(200)
  async rotate(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Body() posted: Record<string, unknown>) {
    const result = await this.pages.rotate(request.principal, id, posted);
    if (!result.ok) return this.confirm(request, response, result.status, id, 'rotate', result.values, result.problems);
    const { client, secret } = result.value;
    await this.secret(request, response, `已更换 ${client.name} 的客户端密钥`, client, { kind: 'client', secret, rotated: true });
  }

  /** Revoking cannot be undone (the platform needs a new client): a page asks first. */
  @ConsolePage('admin')
  @Get('api-clients/:id/revoke')
  async confirmRevoke(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    await this.confirm(request, response, 200, id, 'revoke', {}, []);
  }

  @ConsolePage('admin')
  @Post('api-clients/:id/revoke')
  @HttpCode(200)
  async revoke(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    const result = await this.pages.revoke(request.principal, id);
    if (!result.ok) return this.confirm(request, response, result.status, id, 'revoke', {}, result.problems);
    response.redirect(303, `/staff/admin/api-clients/${id}?done=revoked`);
  }

  @ConsolePage('admin')
  @Post('api-clients/:id/subscription')
  @HttpCode(200)
  async subscribe(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Body() posted: Record<string, unknown>) {
    const result = await this.pages.subscribe(request.principal, id, posted);
    if (!result.ok) return this.detail(request, response, result.status, id, { values: result.values, problems: result.problems }, null);
    if (!result.value.signingSecret) return response.redirect(303, `/staff/admin/api-clients/${id}?done=subscribed`);
    const client = await this.pages.client(request.principal, id);
    await this.secret(request, response, `已保存 ${client.name} 的回调订阅`, client, { kind: 'signing', secret: result.value.signingSecret });
  }

  @ConsolePage('admin')
  @Post('api-clients/:id/subscription/cancel')
  @HttpCode(200)
  async unsubscribe(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    await this.pages.unsubscribe(request.principal, id);
    response.redirect(303, `/staff/admin/api-clients/${id}?done=unsubscribed`);
  }

  @ConsolePage('admin')
  @Get('callbacks')
  async callbacks(@Req() request: ConsoleRequest, @Res() response: Response, @Query() raw: Record<string, unknown>) {
    await this.callbackPage(request, response, raw, [], flashOf(raw.done));
  }

  /** A dead callback sent again from its first attempt; a refusal (not dead, client revoked) is said on the list. */
  @ConsolePage('admin')
  @Post('callbacks/:id/replay')
  @HttpCode(200)
  async replay(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    const result = await this.pages.replay(request.principal, id);
    if (!result.ok) return this.callbackPage(request, response, {}, result.problems, null, result.status);
    response.redirect(303, '/staff/admin/callbacks?done=replayed');
  }

  private async callbackPage(request: ConsoleRequest, response: Response, raw: Record<string, unknown>, refusals: Problem[], flash: string | null, status?: number) {
    const data = await this.pages.callbackList(request.principal, raw);
    const problems = [...refusals, ...data.problems];
    await this.send(request, response, 'admin-callbacks', { status: status ?? (problems.length ? 400 : 200), title: '状态回调', breadcrumbs: [ADMIN, { label: '状态回调' }], wide: true, flash }, { ...data, problems });
  }

  private async createForm(request: ConsoleRequest, response: Response, status: number, values: Record<string, unknown>, problems: Problem[]) {
    await this.send(request, response, 'admin-api-client-new', { status, title: '登记接入平台的客户端', breadcrumbs: [ADMIN, CLIENTS, { label: '登记客户端' }] }, {
      fields: await this.pages.createFields(values, problems),
      problems,
    });
  }

  private async detail(request: ConsoleRequest, response: Response, status: number, id: string, subscription: { values?: Record<string, unknown>; problems?: Problem[] }, flash: string | null) {
    const data = await this.pages.detail(request.principal, id, subscription);
    await this.send(request, response, 'admin-api-client', { status, title: `客户端：${data.client.name}`, breadcrumbs: [ADMIN, CLIENTS, { label: data.client.name }], wide: true, flash }, data);
  }

  private async confirm(request: ConsoleRequest, response: Response, status: number, id: string, step: 'rotate' | 'revoke', values: Record<string, unknown>, problems: Problem[]) {
    const client = await this.pages.client(request.principal, id);
    const label = step === 'rotate' ? '更换客户端密钥' : '停用客户端';
    await this.send(request, response, 'admin-api-client-confirm', { status, title: `${label}：${client.name}`, breadcrumbs: [ADMIN, CLIENTS, { label: client.name, href: `/staff/admin/api-clients/${id}` }, { label }] }, {
      client,
      rotate: step === 'rotate',
      field: this.pages.rotateField(values, problems),
      problems,
    });
  }

  private async secret(request: ConsoleRequest, response: Response, title: string, client: { id: string; name: string }, data: Record<string, unknown>) {
    response.setHeader('Cache-Control', 'no-store');
    await this.send(request, response, 'admin-api-client-secret', { title, breadcrumbs: [ADMIN, CLIENTS, { label: client.name }] }, { ...data, heading: title, client });
  }

  private send(request: ConsoleRequest, response: Response, page: string, options: Omit<PageOptions, 'current'>, data: Record<string, unknown>) {
    return sendPage(this.views, this.frames, request, response, page, { ...options, current: 'admin' }, data);
  }
}

function flashOf(done: unknown): string | null {
  return typeof done === 'string' ? (DONE[done] ?? null) : null;
}
