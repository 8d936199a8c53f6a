import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { ConsolePage } from '../auth/access.decorator';
import { ClientAddress } from '../common/client-address';
import { LOGGER } from '../common/tokens';
import { EvidenceBundleService } from '../disputes/evidence-bundle.service';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { sendPage, type Problem } from './console-forms';
import { ConsoleViews } from './console-views';
import { DisputesPages } from './disputes-pages.service';

const DISPUTES = { label: '复议诉讼', href: '/staff/disputes' };

/** 行政复议 and 行政诉讼 (issue 16 item 8): the list, each dispute with every field, recording one and its result. */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff')
export class DisputesPagesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly frames: ConsoleFrames,
    private readonly pages: DisputesPages,
    private readonly evidence: EvidenceBundleService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @ConsolePage('legal', 'head')
  @Get('disputes')
  async list(@Req() request: ConsoleRequest, @Res() response: Response, @Query('status') status?: string) {
    const page = await this.pages.list(request.principal, status);
    await sendPage(this.views, this.frames, request, response, 'disputes', { title: `行政复议和诉讼：${page.statusLabel}`, current: 'disputes', wide: true }, page);
  }

  @ConsolePage('legal', 'head')
  @Get('disputes/:id')
  async detail(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    const page = await this.pages.detail(request.principal, id);
    await sendPage(this.views, this.frames, request, response, 'dispute', { title: `${page.dispute.caseNumber} 的行政复议和诉讼`, current: 'disputes', breadcrumbs: [DISPUTES, { label: page.dispute.caseNumber }] }, page);
  }

  /** 证据材料: the same ZIP as GET /api/disputes/{id}/evidence, recorded in the access log. */
  @ConsolePage('legal', 'head')
  @Get('disputes/:id/evidence')
  async bundle(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @ClientAddress() address: string) {
    const bundle = await this.evidence.bundle(request.principal, id, address);
    response.setHeader('Content-Type', 'application/zip');
    response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(bundle.filename)}`);
    await bundle.writeTo(response).catch((error: unknown) => {
      if (!response.headersSent) throw error;
      this.logger.error({ err: error, disputeId: id }, 'evidence bundle: cut short');
      response.destroy();
    });
  }

  @ConsolePage('legal')
  @Get('disputes/:id/result')
  async resultForm(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    const dispute = await this.pages.dispute(request.principal, id);
    await this.sendResultForm(request, response, 200, dispute, {}, dispute.result ? [{ name: null, message: `该争议已于 ${dispute.decidedAt} 记录结果` }] : []);
  }

  /** `stage=check` (default) shows the answers and what follows; `stage=commit` records; `stage=edit` goes back. */
  @ConsolePage('legal')
  @Post('disputes/:id/result')
  @HttpCode(200)
  async recordResult(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Body() posted: Record<string, unknown>) {
    const dispute = await this.pages.dispute(request.principal, id);
    const result = await this.pages.recordResult(request.principal, id, posted, posted.stage === 'commit');
    if (posted.stage === 'edit') return this.sendResultForm(request, response, 200, dispute, result.kind === 'done' ? {} : result.values, []);
    if (result.kind === 'refused') return this.sendResultForm(request, response, result.status, dispute, result.values, result.problems);
    if (result.kind === 'done') return response.redirect(303, `/staff/disputes/${id}?done=dispute_decided`);
    await sendPage(this.views, this.frames, request, response, 'dispute-check', { title: '请核对：审理结果', current: 'disputes', breadcrumbs: [DISPUTES, { label: dispute.caseNumber, href: `/staff/disputes/${id}` }, { label: '核对' }] }, {
      heading: '请核对：审理结果',
      lede: `${dispute.caseNumber}：${dispute.body}`,
      action: `/staff/disputes/${id}/result`,
      cancel: `/staff/disputes/${id}`,
      summary: result.summary,
      warnings: result.warnings,
      hidden: hiddenFields(result.values),
    });
  }

  @ConsolePage('legal')
  @Get('cases/:id/disputes/new')
  async newForm(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') caseId: string, @Query('parent') parent?: string) {
    await this.sendNewForm(request, response, 200, caseId, await this.pages.newDisputeDefaults(request.principal, parent), []);
  }

  @ConsolePage('legal')
  @Post('cases/:id/disputes')
  @HttpCode(200)
  async record(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') caseId: string, @Body() posted: Record<string, unknown>) {
    const result = await this.pages.recordDispute(request.principal, caseId, posted, posted.stage === 'commit');
    if (posted.stage === 'edit') return this.sendNewForm(request, response, 200, caseId, result.kind === 'done' ? {} : result.values, []);
    if (result.kind === 'refused') return this.sendNewForm(request, response, result.status, caseId, result.values, result.problems);
    if (result.kind === 'done') return response.redirect(303, `/staff/disputes/${result.value.id}?done=dispute_recorded`);
    const found = await this.pages.caseNumberOf(request.principal, caseId);
    await sendPage(this.views, this.frames, request, response, 'dispute-check', { title: '请核对：行政复议或诉讼', current: 'disputes', breadcrumbs: [{ label: found.caseNumber, href: `/staff/cases/${caseId}` }, { label: '记录行政复议或诉讼' }] }, {
      heading: '请核对：行政复议或诉讼',
      lede: found.caseNumber,
      action: `/staff/cases/${caseId}/disputes`,
      cancel: `/staff/cases/${caseId}`,
      summary: result.summary,
      warnings: result.warnings,
      hidden: hiddenFields(result.values),
    });
  }

  private async sendNewForm(request: ConsoleRequest, response: Response, status: number, caseId: string, values: Record<string, unknown>, problems: Problem[]) {
    const found = await this.pages.caseNumberOf(request.principal, caseId);
    const fields = await this.pages.newDisputeFields(request.principal, caseId, values, problems);
    await sendPage(this.views, this.frames, request, response, 'dispute-form', { status, title: `记录行政复议或诉讼 — ${found.caseNumber}`, current: 'disputes', breadcrumbs: [{ label: found.caseNumber, href: `/staff/cases/${caseId}` }, { label: '记录行政复议或诉讼' }] }, {
      heading: '记录行政复议或行政诉讼',
      lede: `${found.caseNumber}：申请人对本机关的答复不服，申请行政复议或提起行政诉讼时记录。记录后，系统提醒本机关的答复、答辩期限，并计入年度报告。`,
      action: `/staff/cases/${caseId}/disputes`,
      cancel: `/staff/cases/${caseId}`,
      fields,
      problems,
    });
  }

  private async sendResultForm(request: ConsoleRequest, response: Response, status: number, dispute: { id: string; caseNumber: string; body: string }, values: Record<string, unknown>, problems: Problem[]) {
    await sendPage(this.views, this.frames, request, response, 'dispute-form', { status, title: `记录审理结果 — ${dispute.caseNumber}`, current: 'disputes', breadcrumbs: [DISPUTES, { label: dispute.caseNumber, href: `/staff/disputes/${dispute.id}` }, { label: '记录审理结果' }] }, {
      heading: '记录审理结果',
      lede: `${dispute.caseNumber}：${dispute.body}作出行政复议决定或判决后记录。`,
      action: `/staff/disputes/${dispute.id}/result`,
      cancel: `/staff/disputes/${dispute.id}`,
      fields: this.pages.resultFields(values, problems),
      problems,
    });
  }
}

/** The answers carried through the check page as they were posted (是/否 back to yes/no). */
function hiddenFields(values: Record<string, unknown>): { name: string; value: string }[] {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name, value]) => ({ name, value: value === true ? 'yes' : value === false ? 'no' : String(value) }));
}
