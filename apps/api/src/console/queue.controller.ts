import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConsolePage } from '../auth/access.decorator';
import { ClientAddress } from '../common/client-address';
import { DomainError, invalid } from '../common/domain-error';
import { isUuid } from '../common/text';
import { RecordEventService } from '../cases/record-event.service';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { ConsoleViews } from './console-views';
import { QueuePages, queueSearch, readQueueFilters, type QueueView } from './queue-page.service';

const MAX_BULK = 50;

/** The work queues: search, filters, sort, pages; export; assigning several cases at once. */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff/queue')
export class QueueController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly frames: ConsoleFrames,
    private readonly queues: QueuePages,
    private readonly steps: RecordEventService,
  ) {}

  @ConsolePage('intake', 'handler', 'legal', 'head')
  @Get()
  async queue(@Req() request: ConsoleRequest, @Res() response: Response, @Query() raw: Record<string, unknown>, @ClientAddress() address: string) {
    const { filters, problems } = readQueueFilters(raw, defaultView(request));
    const page = await this.queues.page(request.principal, filters, address);
    const data = { ...page, errors: problems, back: request.originalUrl };
    // A filter change from the page itself swaps the results only (htmx); the address bar keeps the filters.
    if (request.headers['hx-request'] && request.headers['hx-target'] === 'queue-results') {
      // The address htmx puts in the bar: the filters asked for, not every empty field of the form.
      if (!problems.length) response.setHeader('HX-Push-Url', `/staff/queue?${queueSearch(filters)}`);
      response.status(problems.length ? 400 : 200).type('html').send(this.views.fragment('queue-results', { ...data, csrf: request.csrfToken }));
      return;
    }
    const frame = await this.frames.frame(request, page.viewLabel, 'queue', { wide: true });
    response.status(problems.length ? 400 : 200).type('html').send(this.views.page('queue', frame, data));
  }

  @ConsolePage('intake', 'handler', 'legal', 'head')
  @Get('export.xlsx')
  async export(@Req() request: ConsoleRequest, @Res() response: Response, @Query() raw: Record<string, unknown>, @ClientAddress() address: string) {
    const { filters, problems } = readQueueFilters(raw, defaultView(request));
    if (problems.length) throw invalid(problems.map((problem) => problem.message).join('；'));
    const workbook = await this.queues.export(request.principal, filters, address);
    response.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('工作队列.xlsx')}`);
    response.send(workbook);
  }

  /** 分办 several cases to one handler: each its own step, all or nothing; the page says which went and which did not. */
  @ConsolePage('intake')
  @Post('assign')
  async assign(@Req() request: ConsoleRequest, @Res() response: Response, @Body() body: Record<string, unknown>) {
    const ids = (Array.isArray(body.caseIds) ? body.caseIds : body.caseIds === undefined ? [] : [body.caseIds]).map(String).filter(isUuid);
    const handler = typeof body.handler === 'string' ? body.handler.trim() : '';
    if (!ids.length) throw invalid('请勾选要分办的案件');
    if (ids.length > MAX_BULK) throw invalid(`一次最多分办 ${MAX_BULK} 件`);
    if (!handler) throw invalid('承办人 不能为空：请选择承办人');
    const failures: string[] = [];
    let assigned = 0;
    for (const id of ids) {
      try {
        await this.steps.record(request.principal, id, { type: 'ASSIGN', handler });
        assigned++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        failures.push(error.message);
      }
    }
    const back = typeof body.back === 'string' && body.back.startsWith('/staff/queue') ? body.back : '/staff/queue';
    const frame = await this.frames.frame(request, '分办结果', 'queue');
    response.type('html').send(this.views.page('assign-result', frame, { assigned, failures, back }));
  }
}

/** Where each role starts: the handler at his own cases, legal and the head at what awaits them. */
function defaultView(request: ConsoleRequest): QueueView {
  const roles = request.principal.roles;
  if (roles.includes('intake') || roles.includes('admin')) return 'open';
  if (roles.includes('handler')) return 'mine';
  if (roles.includes('legal')) return 'review';
  if (roles.includes('head')) return 'signing';
  return 'open';
}

