import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConsolePage } from '../auth/access.decorator';
import { DomainError } from '../common/domain-error';
import { sendLetter } from '../letters/letters.controller';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { sendPage } from './console-forms';
import { ConsoleViews } from './console-views';
import { reportYear, ReportsPages } from './reports-pages.service';

const REPORTS = { label: '年度报告', href: '/staff/reports' };

/**
 * The annual report (国办公开办函〔2021〕30号): sections 三 and 四 with drill-down and exports, the office's own parts
 * (二 and 五) written in a form, the checks before export, the whole report as DOCX and PDF, the lock; and the rates.
 */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff/reports')
export class ReportsPagesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly frames: ConsoleFrames,
    private readonly pages: ReportsPages,
  ) {}

  @ConsolePage('legal', 'head', 'admin')
  @Get()
  async report(@Req() request: ConsoleRequest, @Res() response: Response, @Query('year') raw?: string) {
    const year = raw === undefined || raw === '' ? this.pages.defaultYear() : reportYear(raw);
    await this.reportPage(request, response, 200, year, null);
  }

  @ConsolePage('legal', 'head', 'admin')
  @Get('rates')
  async rates(@Req() request: ConsoleRequest, @Res() response: Response, @Query('from') from?: string, @Query('to') to?: string) {
    const rates = await this.pages.rates(request.principal, from, to);
    await sendPage(this.views, this.frames, request, response, 'report-rates', { title: '纠错率、败诉率和逾期率', current: 'reports', breadcrumbs: [REPORTS, { label: '纠错率、败诉率和逾期率' }], wide: true }, rates);
  }

  @ConsolePage('legal', 'head', 'admin')
  @Get(':year/cases')
  async cell(@Req() request: ConsoleRequest, @Res() response: Response, @Param('year') raw: string, @Query('cell') cell?: string) {
    const year = reportYear(raw);
    const page = await this.pages.cell(request.principal, year, cell);
    await sendPage(this.views, this.frames, request, response, 'report-cases', { title: page.title, current: 'reports', breadcrumbs: [REPORTS, { label: `${year}年`, href: `/staff/reports?year=${year}` }, { label: page.title }], wide: true }, page);
  }

  @ConsolePage('legal', 'head', 'admin')
  @Get(':year/export')
  async export(@Req() request: ConsoleRequest, @Res() response: Response, @Param('year') raw: string, @Query('format') format?: string) {
    const year = reportYear(raw);
    const file = await this.pages.export(request.principal, year, format);
    if (file.kind === 'html') return response.type('html').send(file.body);
    response.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${year}年政府信息公开年度报告.xlsx`)}`);
    response.send(file.body);
  }

  /** 二、主动公开 and 五、问题及改进 (with the office's words in 一 and 六): read by all three roles, written by the head and the administrator. */
  @ConsolePage('legal', 'head', 'admin')
  @Get(':year/fill-ins')
  async fillIns(@Req() request: ConsoleRequest, @Res() response: Response, @Param('year') raw: string) {
    const year = reportYear(raw);
    await this.fillInsPage(request, response, 200, year, await this.pages.fillInsPage(request.principal, year));
  }

  @ConsolePage('head', 'admin')
  @Post(':year/fill-ins')
  @HttpCode(200)
  async saveFillIns(@Req() request: ConsoleRequest, @Res() response: Response, @Param('year') raw: string, @Body() posted: Record<string, unknown>) {
    const year = reportYear(raw);
    const result = await this.pages.saveFillIns(request.principal, year, posted);
    if (result.kind === 'saved') return response.redirect(303, `/staff/reports?year=${year}&done=saved#report-document`);
    await this.fillInsPage(request, response, result.status, year, await this.pages.fillInsPage(request.principal, year, posted, result.problems));
  }

  /** The report in full, as the office publishes it: Word to finish in WPS, PDF to print; refused (409) while a check fails. */
  @ConsolePage('legal', 'head', 'admin')
  @Get(':year/document')
  async document(@Req() request: ConsoleRequest, @Res() response: Response, @Param('year') raw: string, @Query('format') format?: string) {
    sendLetter(response, await this.pages.document(request.principal, reportYear(raw), format), true);
  }

  /** Locking cannot be undone: nothing dated in the year can be written afterwards (rules.md §8). This page asks first. */
  @ConsolePage('head', 'admin')
  @Get(':year/lock')
  async confirmLock(@Req() request: ConsoleRequest, @Res() response: Response, @Param('year') raw: string) {
    const year = reportYear(raw);
    const page = await this.pages.page(request.principal, year);
    await sendPage(this.views, this.frames, request, response, 'report-lock', { title: `锁定${year}年度报告`, current: 'reports', breadcrumbs: [REPORTS, { label: `${year}年`, href: `/staff/reports?year=${year}` }, { label: '锁定' }] }, page);
  }

  @ConsolePage('head', 'admin')
  @Post(':year/lock')
  @HttpCode(200)
  async lock(@Req() request: ConsoleRequest, @Res() response: Response, @Param('year') raw: string) {
    const year = reportYear(raw);
    try {
      await this.pages.lock(request.principal, year);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
      return this.reportPage(request, response, 409, year, error.message);
    }
    response.redirect(303, `/staff/reports?year=${year}&done=report_locked`);
  }

  private async fillInsPage(request: ConsoleRequest, response: Response, status: number, year: number, page: Awaited<ReturnType<ReportsPages['fillInsPage']>>) {
    const title = `${year}年度报告：本机关填写的部分`;
    await sendPage(this.views, this.frames, request, response, 'report-fill-ins', { status, title, current: 'reports', wide: true, breadcrumbs: [REPORTS, { label: `${year}年`, href: `/staff/reports?year=${year}` }, { label: '本机关填写的部分' }] }, page);
  }

  private async reportPage(request: ConsoleRequest, response: Response, status: number, year: number, refusal: string | null) {
    const page = await this.pages.page(request.principal, year);
    const canLock = request.principal.roles.some((role) => role === 'head' || role === 'admin');
    await sendPage(this.views, this.frames, request, response, 'reports', { status, title: `${year}年度报告`, current: 'reports', wide: true }, {
      ...page,
      canLock,
      problems: refusal ? [{ name: null, message: refusal }] : [],
    });
  }
}
