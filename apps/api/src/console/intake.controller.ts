import { Body, Controller, Get, HttpCode, Post, Query, Req, Res, UploadedFiles, UseFilters, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { isIsoDate, isoDateToChinese } from '@desk/calendar';
import { APPLICANT_CATEGORY_TERMS, CHANNEL_TERMS, DELIVERY_FORM_TERMS, ID_TYPE_TERMS, REQUEST_TYPE_TERMS, type Vocabulary } from '@desk/vocabulary';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import { ApplicationsService } from '../applications/applications.service';
import { DeskApplicationDto } from '../applications/dto/application.dto';
import { ConsolePage } from '../auth/access.decorator';
import { MAX_ATTACHMENT_BYTES, type UploadedFile } from '../attachments/attachments.service';
import { CalendarService } from '../calendar/calendar.service';
import { ClientAddress } from '../common/client-address';
import { DomainError } from '../common/domain-error';
import { fieldProblems } from '../common/validation';
import { LettersService } from '../letters/letters.service';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { ConsoleViews, workingDaysLeft } from './console-views';

type Values = Record<string, string>;

const MAX_SCANS = 10;

const options = (terms: Vocabulary, selected: string | undefined) => terms.map((term) => ({ value: term.code, label: term.label, selected: term.code === selected }));

/** The desk's own channels: an online application arrives by itself and is confirmed from its queue. */
const DESK_CHANNELS = CHANNEL_TERMS.filter((channel) => channel.code !== 'online');

/** Desk intake (issue 16 item 7): register what arrived at the desk, by post, fax or email, and hand over the receipt. */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff/intake')
export class IntakeController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly frames: ConsoleFrames,
    private readonly applications: ApplicationsService,
    private readonly agencies: AgenciesService,
    private readonly calendars: CalendarService,
    private readonly letters: LettersService,
    private readonly dataSource: DataSource,
  ) {}

  @ConsolePage('intake')
  @Get()
  async form(@Req() request: ConsoleRequest, @Res() response: Response) {
    await this.render(request, response, 200, { channel: 'in_person', receivedAt: this.calendars.today(), category: 'natural_person', idType: 'id_card', deliveryForm: 'paper_pickup' }, []);
  }

  /** The reply's due date if the application was received on that day, as the officer types it (htmx). */
  @ConsolePage('intake')
  @Get('due')
  async due(@Req() request: ConsoleRequest, @Res() response: Response, @Query('receivedAt') receivedAt?: string) {
    response.type('html').send(this.views.fragment('intake-due', await this.dueFacts(request, receivedAt ?? '')));
  }

  @ConsolePage('intake')
  @Post()
  @HttpCode(200)
  @UseInterceptors(FilesInterceptor('scans', MAX_SCANS, { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: MAX_SCANS } }))
  async register(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
    @UploadedFiles() files: UploadedFile[] | undefined,
    @ClientAddress() address: string,
  ) {
    const values: Values = Object.fromEntries(Object.entries(body ?? {}).map(([key, value]) => [key, String(value ?? '').trim()]));
    const optional = (value: string | undefined) => (value ? value : undefined);
    const dto = plainToInstance(DeskApplicationDto, {
      channel: values.channel,
      receivedAt: values.receivedAt,
      applicant: {
        category: values.category,
        name: values.name,
        idType: values.idType,
        idNumber: values.idNumber,
        phone: optional(values.phone),
        email: optional(values.email),
        address: optional(values.address),
      },
      description: values.description,
      deliveryForm: values.deliveryForm,
      requestType: optional(values.requestType),
      postalTrackingNumber: optional(values.postalTrackingNumber),
      agentName: optional(values.agentName),
    });
    const problems = fieldProblems(validateSync(dto, { whitelist: true })).map((problem) => ({ name: problem.path.replace(/^applicant\./, ''), message: problem.message }));
    const scans = (files ?? []).filter((file) => file.size > 0);
    if (values.channel === 'post_signed' && !values.postalTrackingNumber) problems.push({ name: 'postalTrackingNumber', message: '挂号信、EMS 邮寄的申请，须填写信封上的邮件号（证明签收之日）' });
    if (values.agentName && !scans.length) problems.push({ name: 'scans', message: '委托代理人提交的，须上传授权委托书的扫描件' });
    const due = await this.dueFacts(request, values.receivedAt);
    if (!problems.length && due.late && values.acknowledgeLate !== 'yes') {
      problems.push({ name: 'acknowledgeLate', message: `按收到申请之日计算，答复期限${due.dueDate ? isoDateToChinese(due.dueDate) : ''}已过：请核对收到日期；确属如此的，勾选“已知悉”后登记` });
    }
    if (problems.length) return this.render(request, response, 400, values, problems, scans.length > 0);
    try {
      const registered = await this.applications.registerAtDesk(request.principal, dto, address, scans);
      const letters = await this.letters.forCase(registered.id);
      const receipt = letters.find((letter) => letter.kind === 'receipt');
      const previews = receipt ? await this.letters.previews(this.dataSource.manager, [receipt.id]) : [];
      const frame = await this.frames.frame(request, `已登记 ${registered.caseNumber}`, 'intake');
      // The 查询码 is in this answer only (never stored readable): the officer prints it with the receipt now.
      response.setHeader('Cache-Control', 'no-store');
      response.type('html').send(
        this.views.page('intake-done', frame, { caseId: registered.id, caseNumber: registered.caseNumber, queryCode: registered.queryCode, receipt: previews[0] ?? null, scans: scans.length, due }),
      );
    } catch (error) {
      if (!(error instanceof DomainError) || (error.code !== 'invalid' && error.code !== 'conflict')) throw error;
      return this.render(request, response, error.code === 'invalid' ? 400 : 409, values, [{ name: 'receivedAt', message: error.message }], scans.length > 0);
    }
  }

  /** Art. 33: the due date that receipt on `receivedAt` gives, and whether it has already passed or is close. */
  private async dueFacts(request: ConsoleRequest, receivedAt: string) {
    if (!isIsoDate(receivedAt)) return { known: false, dueDate: null, left: null, late: false, soon: false, provisional: false };
    const agency = await this.agencies.byId(request.principal.agencyId);
    const clock = this.calendars.clockOf([{ type: 'REGISTER', at: receivedAt, payload: { channel: 'in_person' } }], agency.settings);
    const left = clock.remainingWorkingDays;
    return {
      known: clock.dueDate !== null,
      dueDate: clock.dueDate,
      left: workingDaysLeft(left),
      late: left !== null && left < 0,
      soon: left !== null && left >= 0 && left <= agency.settings.dueSoonWorkingDays,
      provisional: clock.provisional,
    };
  }

  private async render(request: ConsoleRequest, response: Response, status: number, values: Values, errors: { name: string; message: string }[], filesLost = false) {
    const frame = await this.frames.frame(request, '登记申请', 'intake');
    const fieldErrors = Object.fromEntries(errors.map((error) => [error.name, error.message]));
    response.status(status).type('html').send(
      this.views.page('intake', frame, {
        values,
        errors,
        fieldErrors,
        filesLost: filesLost && errors.length > 0,
        due: await this.dueFacts(request, values.receivedAt ?? ''),
        channels: options(DESK_CHANNELS, values.channel),
        // Art. 31: each channel's receipt-date rule, from the vocabulary.
        channelRules: DESK_CHANNELS.map((channel) => `${channel.label}：${channel.hint}`).join('；'),
        categories: options(APPLICANT_CATEGORY_TERMS, values.category),
        idTypes: options(ID_TYPE_TERMS, values.idType),
        deliveryForms: options(DELIVERY_FORM_TERMS, values.deliveryForm),
        requestTypes: options(REQUEST_TYPE_TERMS, values.requestType || 'disclosure'),
        today: this.calendars.today(),
      }),
    );
  }
}
