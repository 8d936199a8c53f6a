import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AgencySettingsInput } from '../agencies/agency-settings';
import { ConsolePage } from '../auth/access.decorator';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { sendPage, type Problem } from './console-forms';
import { ConsoleViews } from './console-views';
import { calendarYear, SettingsPages, type CalendarDraft } from './settings-pages.service';

const ADMIN = { label: '系统管理', href: '/staff/admin' };
const CALENDAR = { label: '工作日历', href: '/staff/admin/calendar' };

/** The agency's settings and the working-day calendar (issue 16 item 8). */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff/admin')
export class SettingsPagesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly frames: ConsoleFrames,
    private readonly pages: SettingsPages,
  ) {}

  @ConsolePage('admin')
  @Get('settings')
  async settings(@Req() request: ConsoleRequest, @Res() response: Response) {
    await this.settingsPage(request, response, 200, await this.pages.current(request.principal), []);
  }

  @ConsolePage('admin')
  @Post('settings')
  @HttpCode(200)
  async saveSettings(@Req() request: ConsoleRequest, @Res() response: Response, @Body() posted: Record<string, unknown>) {
    const { input, problems } = await this.pages.readSettings(request.principal, posted);
    if (problems.length) return this.settingsPage(request, response, 400, input, problems);
    const saved = await this.pages.saveSettings(request.principal, input);
    if (!saved.ok) return this.settingsPage(request, response, saved.status, input, saved.problems);
    response.redirect(303, '/staff/admin/settings?done=settings_saved');
  }

  @ConsolePage('admin')
  @Get('calendar')
  async calendar(@Req() request: ConsoleRequest, @Res() response: Response) {
    await sendPage(this.views, this.frames, request, response, 'admin-calendar', { title: '工作日历', current: 'admin', breadcrumbs: [ADMIN, { label: '工作日历' }] }, await this.pages.years());
  }

  @ConsolePage('admin')
  @Get('calendar/:year')
  async year(@Req() request: ConsoleRequest, @Res() response: Response, @Param('year') value: string) {
    const year = calendarYear(value);
    const stored = await this.pages.draftOf(year);
    await this.yearForm(request, response, 200, year, stored.draft, [], stored.exists ? this.pages.monthGrid(year, stored.days) : null);
  }

  /**
   * The notice as entered: `stage=check` (the default) reads it into days and shows them month by month before anything
   * is saved; `stage=commit` saves what the check page showed; `stage=edit` goes back to the form as filled.
   */
  @ConsolePage('admin')
  @Post('calendar/:year')
  @HttpCode(200)
  async saveYear(@Req() request: ConsoleRequest, @Res() response: Response, @Param('year') value: string, @Body() posted: Record<string, unknown>) {
    const year = calendarYear(value);
    const draft = this.pages.readDraft(posted);
    if (posted.stage === 'edit') return this.yearForm(request, response, 200, year, draft, [], null);
    const { parsed, problems } = this.pages.checkDraft(year, draft);
    if (problems.length) return this.yearForm(request, response, 400, year, draft, problems, null);
    if (posted.stage === 'commit') {
      const saved = await this.pages.saveYear(request.principal, year, draft, parsed);
      if (!saved.ok) return this.yearForm(request, response, saved.status, year, draft, saved.problems, null);
      return response.redirect(303, `/staff/admin/calendar/${year}?done=calendar_saved`);
    }
    const stored = await this.pages.draftOf(year);
    await sendPage(this.views, this.frames, request, response, 'admin-calendar-check', { title: `请核对：${year}年节假日安排`, current: 'admin', breadcrumbs: [ADMIN, CALENDAR, { label: `${year}年`, href: `/staff/admin/calendar/${year}` }, { label: '核对' }] }, {
      year,
      draft,
      exists: stored.exists,
      grid: this.pages.monthGrid(year, parsed),
      holidayCount: parsed.holidays.length,
      workdayCount: parsed.workdays.length,
      differences: stored.exists ? this.pages.differences(stored.days, parsed) : [],
    });
  }

  private async settingsPage(request: ConsoleRequest, response: Response, status: number, input: AgencySettingsInput, problems: Problem[]) {
    await sendPage(this.views, this.frames, request, response, 'admin-settings', { status, title: '机关设置', current: 'admin', breadcrumbs: [ADMIN, { label: '机关设置' }] }, {
      ...this.pages.settingsForm(input, problems),
      changes: await this.pages.changes(request.principal),
    });
  }

  private async yearForm(request: ConsoleRequest, response: Response, status: number, year: number, draft: CalendarDraft, problems: Problem[], grid: unknown) {
    await sendPage(this.views, this.frames, request, response, 'admin-calendar-year', { status, title: `${year}年节假日安排`, current: 'admin', breadcrumbs: [ADMIN, CALENDAR, { label: `${year}年` }] }, {
      year,
      fields: this.pages.draftFields(draft, problems),
      problems,
      grid,
    });
  }
}
