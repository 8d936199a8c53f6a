import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UploadedFile, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { eventLabel } from '@desk/case-workflow';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConsolePage } from '../auth/access.decorator';
import { AttachmentsService, MAX_ATTACHMENT_BYTES, type UploadedFile as UploadedFileShape } from '../attachments/attachments.service';
import { CaseViewService } from '../cases/case-view.service';
import { ClientAddress } from '../common/client-address';
import { invalid } from '../common/domain-error';
import { LettersService } from '../letters/letters.service';
import { sendLetter, staffLetterFormat } from '../letters/letters.controller';
import { ServiceCertificateService } from '../cases/service-certificate.service';
import { CasePages, eventTypeOfSlug } from './case-page.service';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { ConsoleViews } from './console-views';
import { EventForms, type EventForm } from './event-forms.service';

/** The query of the 送达回证 link, checked as the API checks it (ServiceCertificateQueryDto), in words. */
function certificateQuery(query: Record<string, unknown>): { method?: 'direct' | 'delegated'; format: 'pdf' | 'docx' } {
  const method = query.method === undefined || query.method === '' ? undefined : query.method;
  if (method !== undefined && method !== 'direct' && method !== 'delegated') throw invalid('送达方式 应为直接送达或委托送达');
  const format = query.format === undefined || query.format === '' ? 'pdf' : query.format;
  if (format !== 'pdf' && format !== 'docx') throw invalid('文件格式 应为 PDF 或 Word（.docx）');
  return { method, format };
}

/** The case page and the forms of its steps. */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff')
export class CasePageController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly frames: ConsoleFrames,
    private readonly pages: CasePages,
    private readonly forms: EventForms,
    private readonly cases: CaseViewService,
    private readonly attachments: AttachmentsService,
    private readonly letters: LettersService,
    private readonly certificates: ServiceCertificateService,
  ) {}

  @ConsolePage()
  @Get('cases/:id')
  async show(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Param('id') id: string,
    @ClientAddress() address: string,
    @Query('done') done?: string,
    @Query('history') history?: string,
  ) {
    // 办理经过 lists the latest steps; `?history=all` (the page's 显示全部 link) every one of them.
    const page = await this.pages.page(request.principal, id, address, history === 'all' ? 'all' : 'recent');
    const doneType = typeof done === 'string' && done.startsWith('event:') ? done.slice('event:'.length) : null;
    const flash = doneType ? `已办理：${eventLabel(doneType)}` : null;
    const frame = await this.frames.frame(request, `${page.view.caseNumber}`, 'queue', {
      breadcrumbs: [{ label: '工作队列', href: '/staff/queue' }, { label: page.view.caseNumber }],
      ...(flash ? { flash } : {}),
    });
    response.type('html').send(this.views.page('case', frame, page));
  }

  @ConsolePage()
  @Get('cases/:id/act/:event')
  async form(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Param('event') slug: string, @Query() query: Record<string, unknown>) {
    await this.mayAct(request, id, slug);
    const view = await this.cases.view(request.principal, id, null);
    // A link may name values of the form's fields (the 协办 panel's 答复: the request it answers).
    const form = await this.forms.blank(request.principal, view, eventTypeOfSlug(slug), query);
    await this.sendForm(request, response, 200, view.id, view.caseNumber, form);
  }

  /** `stage=commit` records the step the check page showed; anything else checks it first (and records it when nothing leaves). */
  @ConsolePage()
  @Post('cases/:id/act/:event')
  @HttpCode(200)
  async submit(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Param('event') slug: string, @Body() posted: Record<string, unknown>) {
    await this.mayAct(request, id, slug);
    const view = await this.cases.view(request.principal, id, null);
    const type = eventTypeOfSlug(slug);
    // Back from the check page: the form as it was filled.
    if (posted.stage === 'edit') return this.sendForm(request, response, 200, view.id, view.caseNumber, await this.forms.refill(request.principal, view, type, posted));
    const result = await this.forms.submit(request.principal, view, type, posted, posted.stage === 'commit');
    if (result.kind === 'recorded') return response.redirect(303, `/staff/cases/${id}?done=event:${type}`);
    if (result.kind === 'refused') return this.sendForm(request, response, result.status, view.id, view.caseNumber, result.form);
    const form = await this.forms.refill(request.principal, view, type, posted);
    const frame = await this.frames.frame(request, `确认：${form.label}`, 'queue', {
      breadcrumbs: [{ label: '工作队列', href: '/staff/queue' }, { label: view.caseNumber, href: `/staff/cases/${id}` }, { label: form.label }],
    });
    response.type('html').send(
      this.views.page('event-check', frame, {
        caseId: id,
        caseNumber: view.caseNumber,
        action: `/staff/cases/${id}/act/${slug}`,
        form,
        summary: result.summary,
        previews: result.previews,
        issues: result.previews.some((preview) => preview.issued),
        hidden: Object.entries(posted)
          .filter(([name]) => name !== '_csrf' && name !== 'stage')
          .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((item) => ({ name, value: String(item ?? '') }))),
      }),
    );
  }

  @ConsolePage('intake', 'handler', 'legal')
  @Post('cases/:id/attachments')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1 } }))
  async upload(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @UploadedFile() file: UploadedFileShape | undefined) {
    await this.attachments.upload(request.principal, id, file);
    response.redirect(303, `/staff/cases/${id}?done=uploaded#attachments`);
  }

  @ConsolePage()
  @Get('attachments/:id')
  async download(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @ClientAddress() address: string) {
    const file = await this.attachments.download(request.principal, id, address);
    response.setHeader('Content-Type', file.mimeType);
    response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
    response.send(file.content);
  }

  /**
   * A letter as it stands: the frozen bytes once issued, a draft rendered now and marked 草稿; as the page, the PDF or
   * Word (.docx, from the frozen text once issued) — the same documents as GET /api/letters/{id}.
   */
  @ConsolePage()
  @Get('letters/:id/document')
  async letter(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Query('format') format: string | undefined, @ClientAddress() address: string) {
    const kind = staffLetterFormat(format);
    await this.cases.recordAccess(request.principal, await this.letters.caseOf(id), { action: 'view_letter', detail: `${id} ${kind}`, address });
    sendLetter(response, await this.letters.content(id, kind), kind === 'docx' || request.query.download === '1');
  }

  /** 送达回证 to print (国办公开办函〔2016〕235号第四条): the same document as GET /api/cases/{id}/service-certificate. */
  @ConsolePage('intake', 'handler', 'legal', 'head')
  @Get('cases/:id/service-certificate')
  async serviceCertificate(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Query() query: Record<string, unknown>, @ClientAddress() address: string) {
    const { method, format } = certificateQuery(query);
    sendLetter(response, await this.certificates.certificate(request.principal, id, { method, format }, address), true);
  }

  /** The applicant's numbers in clear, for a stated purpose, recorded before they are shown (never cached). */
  @ConsolePage('intake', 'handler', 'legal', 'head')
  @Post('cases/:id/personal-data')
  @HttpCode(200)
  async reveal(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Body() body: Record<string, unknown>, @ClientAddress() address: string) {
    const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
    if (reason.length < 2) throw invalid('用途 不能为空：请写明查看完整号码的用途，如“领取答复时核验身份”');
    const numbers = await this.cases.revealPersonalData(request.principal, id, reason.slice(0, 200), address);
    response.setHeader('Cache-Control', 'no-store');
    response.type('html').send(this.views.fragment('personal-data', { ...numbers, reason }));
  }

  /** A department asked only to assist answers its own request and takes no other step (the case-access rule: 403 in words). */
  private async mayAct(request: ConsoleRequest, id: string, slug: string): Promise<void> {
    await this.cases.assertAccess(request.principal, id, eventTypeOfSlug(slug) === 'ANSWER_ASSISTANCE' ? 'see' : 'act');
  }

  private async sendForm(request: ConsoleRequest, response: Response, status: number, caseId: string, caseNumber: string, form: EventForm) {
    const action = `/staff/cases/${caseId}/act/${form.type.toLowerCase().replace(/_/g, '-')}`;
    const data = { caseId, caseNumber, action, form, csrf: request.csrfToken };
    if (request.headers['hx-request'] && !request.headers['hx-boosted']) {
      response.status(status).type('html').send(this.views.fragment('event-form', data));
      return;
    }
    const frame = await this.frames.frame(request, `${form.label} — ${caseNumber}`, 'queue', {
      breadcrumbs: [{ label: '工作队列', href: '/staff/queue' }, { label: caseNumber, href: `/staff/cases/${caseId}` }, { label: form.label }],
    });
    response.status(status).type('html').send(this.views.page('event-form-page', frame, data));
  }
}
