import { Body, Controller, Get, Param, Post, Query, Res, UploadedFiles, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileFieldsInterceptor, FilesInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access.decorator';
import { ClientAddress } from '../common/client-address';
import { LETTER_BODY_FONT, LETTER_TITLE_FONT, REGULAR_FONT } from '../letters/letter-layout';
import { PagesService } from './pages.service';
import { PortalErrorFilter } from './portal-error.filter';
import { MAX_IDENTITY_COPIES, MAX_PORTAL_FILE_MB, MAX_SUPPLEMENT_FILES, PortalPages, type PageResult, type UploadedPortalFile } from './portal-pages.service';

/** The page as the service rendered it. */
function send(response: Response, page: PageResult): void {
  response.status(page.status).type('html').send(page.html);
}

const UPLOAD_LIMITS = { fileSize: MAX_PORTAL_FILE_MB * 1024 * 1024, files: MAX_IDENTITY_COPIES + 1, fields: 40 };

// The forms' bodies are read against their DTOs (dto/portal-forms.dto.ts: TrackFormDto, SupplementFormDto,
// WithdrawFormDto, DocumentQueryDto, TrackQueryDto, and the API's PublicApplicationDto) by PortalPages, which renders each
// problem beside its field in the page; the global pipe would answer them as JSON, and read a browser's empty field as a
// value.

/** The applicant portal at `/`: apply without an account, track with the case number and 查询码, answer, withdraw, download. */
@ApiExcludeController()
@Controller()
@UseFilters(PortalErrorFilter)
export class PortalController {
  constructor(
    private readonly portal: PortalPages,
    private readonly pages: PagesService,
  ) {}

  @Public()
  @Get()
  async home(@Res() response: Response) {
    send(response, await this.portal.home());
  }

  /** Multipart (identity copies, 授权委托书) or urlencoded; the same checks as the API's DTO. */
  @Public()
  @Post('apply')
  @UseInterceptors(FileFieldsInterceptor([{ name: 'identityCopies', maxCount: MAX_IDENTITY_COPIES }, { name: 'authorisation', maxCount: 1 }], { limits: UPLOAD_LIMITS }))
  async apply(
    @Body() body: Record<string, unknown>,
    @UploadedFiles() files: { identityCopies?: UploadedPortalFile[]; authorisation?: UploadedPortalFile[] } | undefined,
    @ClientAddress() address: string,
    @Res() response: Response,
  ) {
    send(response, await this.portal.apply(body, files, address));
  }

  @Public()
  @Get('track')
  async trackForm(@Query() query: Record<string, unknown>, @Res() response: Response) {
    send(response, await this.portal.trackForm(query));
  }

  /** The case number and 查询码 in the body, never the URL. */
  @Public()
  @Post('track')
  async track(@Body() body: Record<string, unknown>, @ClientAddress() address: string, @Res() response: Response) {
    send(response, await this.portal.track(body, address));
  }

  @Public()
  @Post('track/supplement')
  @UseInterceptors(FilesInterceptor('files', MAX_SUPPLEMENT_FILES, { limits: { ...UPLOAD_LIMITS, files: MAX_SUPPLEMENT_FILES } }))
  async supplement(@Body() body: Record<string, unknown>, @UploadedFiles() files: UploadedPortalFile[] | undefined, @Res() response: Response) {
    send(response, await this.portal.supplement(body, files));
  }

  @Public()
  @Post('track/withdraw')
  async withdrawal(@Body() body: Record<string, unknown>, @Res() response: Response) {
    send(response, await this.portal.withdrawal(body));
  }

  @Public()
  @Post('track/withdraw/confirm')
  async withdraw(@Body() body: Record<string, unknown>, @Res() response: Response) {
    send(response, await this.portal.withdraw(body));
  }

  /** A letter or a disclosed file by its short-lived signed link (no 查询码 in any URL). */
  @Public()
  @Get('track/document')
  async document(@Query() query: Record<string, unknown>, @Res() response: Response) {
    await this.portal.document(query, response);
  }

  /** 文书核验: the form, or (with ?code=) its answer. No sign-in; throttled like tracking. */
  @Public()
  @Get('verify')
  async verifyForm(@Query('code') code: string | undefined, @ClientAddress() address: string, @Res() response: Response) {
    send(response, await this.portal.verify(typeof code === 'string' ? code : undefined, address));
  }

  /** Where a letter's QR code leads. */
  @Public()
  @Get('verify/:code')
  async verifyCode(@Param('code') code: string, @ClientAddress() address: string, @Res() response: Response) {
    send(response, await this.portal.verify(code, address));
  }



  @Public()
  @Get('proactive')
  async proactiveList(@Res() response: Response) {
    send(response, await this.portal.proactiveList());
  }

  @Public()
  @Get('guide')
  async guide(@Res() response: Response) {
    send(response, await this.portal.guide());
  }

  /** The printable 政府信息公开申请表, from the agency's settings. */
  @Public()
  @Get('guide/application-form.pdf')
  async applicationForm(@Res() response: Response) {
    response.type('application/pdf').setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent('政府信息公开申请表.pdf')}`).send(await this.portal.applicationForm());
  }

  /** The portal's one script: the print button and focus on an error summary (no inline script or handler: CSP). */
  @Public()
  @Get('assets/portal.js')
  script(@Res() response: Response) {
    response.setHeader('Cache-Control', 'public, max-age=3600');
    response.type('text/javascript').send(this.pages.portalScript());
  }

  /** The CJK font of the letters, so pages read right on machines without Chinese fonts (browsers cache it). */
  @Public()
  @Get('assets/fonts/desk-sans.otf')
  font(@Res() response: Response) {
    response.setHeader('Cache-Control', 'public, max-age=604800, immutable');
    response.type('font/otf').sendFile(REGULAR_FONT);
  }

  /** The letters' serif faces (Noto Serif SC, OFL) for their HTML pages: body and title. */
  @Public()
  @Get('assets/fonts/desk-serif.ttf')
  letterBodyFont(@Res() response: Response) {
    response.setHeader('Cache-Control', 'public, max-age=604800, immutable');
    response.type('font/ttf').sendFile(LETTER_BODY_FONT);
  }

  @Public()
  @Get('assets/fonts/desk-serif-bold.ttf')
  letterTitleFont(@Res() response: Response) {
    response.setHeader('Cache-Control', 'public, max-age=604800, immutable');
    response.type('font/ttf').sendFile(LETTER_TITLE_FONT);
  }
}
