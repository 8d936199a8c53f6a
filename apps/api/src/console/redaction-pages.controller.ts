import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UploadedFile, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConsolePage, Public } from '../auth/access.decorator';
import { MAX_ATTACHMENT_BYTES, type UploadedFile as UploadedFileShape } from '../attachments/attachments.service';
import { ClientAddress } from '../common/client-address';
import { sendLetter } from '../letters/letters.controller';
import { templatesDirectory } from '../letters/letter-layout';
import { RedactionService } from '../redaction/redaction.service';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { ConsoleViews } from './console-views';
import { RedactionPages, type RegionFormState } from './redaction-pages.service';

/** The drawing island of the marking page: local, small, and the page works without it (the form takes percentages). */
const REDACTION_SCRIPT = readFileSync(join(templatesDirectory(), 'console', 'redaction.js'), 'utf8');

const FLASHES: Record<string, string> = {
  started: '文件已打开，请在页面上标记不予公开的区域。',
  marked: '已标记一个区域。',
  removed: '已撤销这个区域（处理记录保留）。',
  produced: '部分公开文本已生成。',
};

/** 区分处理 (Art. 37) in the console: start from a PDF, mark regions with their reasons, produce the copy. */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller()
export class RedactionPagesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly frames: ConsoleFrames,
    private readonly pages: RedactionPages,
    private readonly redactions: RedactionService,
  ) {}

  @Public()
  @Get('assets/redaction.js')
  script(@Res() response: Response) {
    response.setHeader('Cache-Control', 'public, max-age=3600');
    response.type('application/javascript').send(REDACTION_SCRIPT);
  }

  @ConsolePage('handler')
  @Get('staff/cases/:id/redaction')
  async start(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    const data = await this.pages.start(request.principal, id);
    const frame = await this.frames.frame(request, `区分处理 — ${data.caseNumber}`, 'queue', {
      breadcrumbs: [{ label: '工作队列', href: '/staff/queue' }, { label: data.caseNumber, href: `/staff/cases/${id}` }, { label: '区分处理' }],
    });
    response.type('html').send(this.views.page('redaction-start', frame, data));
  }

  /** An uploaded PDF (multipart: the CSRF token rides in the address) or a chosen attachment. */
  @ConsolePage('handler')
  @Post('staff/cases/:id/redactions')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1 } }))
  async create(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Body() body: Record<string, unknown>, @UploadedFile() file: UploadedFileShape | undefined) {
    const documentId = await this.pages.create(request.principal, id, body ?? {}, file);
    response.redirect(303, `/staff/redactions/${documentId}?done=started`);
  }

  @ConsolePage()
  @Get('staff/redactions/:id')
  async show(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Query('done') done?: string) {
    await this.send(request, response, id, 200, null, typeof done === 'string' ? (FLASHES[done] ?? null) : null);
  }

  @ConsolePage()
  @Get('staff/redactions/:id/pages/:page/preview')
  async preview(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Param('page') page: string) {
    const png = await this.pages.preview(request.principal, id, /^\d{1,6}$/.test(page) ? Number(page) : 0);
    response.type('png').setHeader('Cache-Control', 'no-store').send(png);
  }

  @ConsolePage('handler')
  @Post('staff/redactions/:id/regions')
  @HttpCode(200)
  async addRegion(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    const refused = await this.pages.addRegion(request.principal, id, body ?? {});
    if (refused) return this.send(request, response, id, 400, refused, null);
    response.redirect(303, `/staff/redactions/${id}?done=marked#regions`);
  }

  @ConsolePage('handler')
  @Post('staff/redactions/:id/regions/:regionId/remove')
  async removeRegion(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Param('regionId') regionId: string) {
    await this.pages.removeRegion(request.principal, id, regionId);
    response.redirect(303, `/staff/redactions/${id}?done=removed#regions`);
  }

  @ConsolePage('handler')
  @Post('staff/redactions/:id/copy')
  async produce(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    await this.pages.produce(request.principal, id);
    response.redirect(303, `/staff/redactions/${id}?done=produced#copy`);
  }

  /** The latest copy (staff only; the applicant's is through the portal's signed link, once the reply is issued). */
  @ConsolePage()
  @Get('staff/redactions/:id/copy.pdf')
  async copy(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @ClientAddress() address: string) {
    sendLetter(response, await this.redactions.copy(request.principal, id, address), true);
  }

  private async send(request: ConsoleRequest, response: Response, id: string, status: number, form: RegionFormState | null, flash: string | null) {
    const data = await this.pages.page(request.principal, id, form);
    const frame = await this.frames.frame(request, `区分处理：${data.document.filename} — ${data.caseNumber}`, 'queue', {
      breadcrumbs: [{ label: '工作队列', href: '/staff/queue' }, { label: data.caseNumber, href: `/staff/cases/${data.caseId}` }, { label: '区分处理' }],
      wide: true,
      ...(flash ? { flash } : {}),
    });
    response.status(status).type('html').send(this.views.page('redaction', frame, data));
  }
}
