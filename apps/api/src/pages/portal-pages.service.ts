import { formatVerificationCode, normaliseVerificationCode } from '@desk/letters';
import { LetterVerificationService } from '../public/letter-verification.service';
import { Inject, Injectable } from '@nestjs/common';
import { yearOf } from '@desk/calendar';
import { formatDocumentNumber } from '@desk/letters';
import { PER_ITEM_TARIFF, PER_PAGE_BANDS } from '@desk/fees';
import { APPLICANT_CATEGORY_TERMS, CHANNEL_TERMS, DELIVERY_FORM_TERMS, ID_TYPE_TERMS, labelOf, NOTICE_CHANNEL_TERMS, REQUEST_TYPE_TERMS, type Vocabulary } from '@desk/vocabulary';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Response } from 'express';
import { AgenciesService } from '../agencies/agencies.service';
import { ApplicationsService } from '../applications/applications.service';
import { PublicApplicationDto } from '../applications/dto/application.dto';
import { CalendarService } from '../calendar/calendar.service';
import { ProactiveService } from '../cases/proactive.service';
import type { AppConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG } from '../common/tokens';
import { fieldProblems } from '../common/validation';
import type { ApplicantFile } from '../portal/applicant.repository';
import { ApplicantCaseService, type OpenedCase } from '../portal/applicant-case.service';
import { applicationFormPdf } from './application-form-pdf';
import { DocumentQueryDto, SupplementFormDto, TrackFormDto, TrackQueryDto, WithdrawFormDto } from './dto/portal-forms.dto';
import { PagesService, type PortalSection } from './pages.service';

/** An uploaded file as multer hands it over. */
export interface UploadedPortalFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

export type PageResult = { status: number; html: string };

type FormValues = Record<string, unknown>;
type Problem = { field: string | null; message: string };

export const MAX_PORTAL_FILE_MB = 10;
export const MAX_IDENTITY_COPIES = 3;
export const MAX_SUPPLEMENT_FILES = 5;

/** The applicant's own words for the categories: an organisation says which kind it is (Art. 29, the report's columns). */
const APPLICANT_CATEGORY_CHOICES: Vocabulary = APPLICANT_CATEGORY_TERMS.map((term) =>
  term.code === 'natural_person' ? term : { code: term.code, label: `法人或其他组织：${term.label}` },
);

const options = (terms: Vocabulary, selected: unknown) => terms.map((term) => ({ value: term.code, label: term.label, selected: term.code === selected }));

/** Where each of the application form's messages is shown, in the form's order (the error summary follows it). */
const APPLY_FIELDS: Record<string, string> = {
  requestType: 'requestType-disclosure',
  'applicant.category': 'category',
  'applicant.name': 'name',
  'applicant.idType': 'idType',
  'applicant.idNumber': 'idNumber',
  identityCopies: 'identityCopies',
  contact: 'contact',
  'applicant.phone': 'phone',
  'applicant.email': 'email',
  'applicant.address': 'address',
  agentName: 'agentName',
  authorisation: 'authorisation',
  description: 'description',
  deliveryForm: 'deliveryForm',
  notifyByEmail: 'notifyByEmail',
  notifyBySms: 'notifyBySms',
};

const TEXT_FIELDS = ['category', 'name', 'idType', 'idNumber', 'phone', 'email', 'address', 'agentName', 'description', 'deliveryForm', 'requestType'] as const;

/** PDF, JPEG or PNG, told by their first bytes (a name or a browser's type says nothing). */
function fileKind(content: Buffer): 'application/pdf' | 'image/jpeg' | 'image/png' | null {
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'image/jpeg';
  if (content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

/**
 * The applicant portal's pages: the application (with identity copies and a 授权委托书), the confirmation, tracking by
 * the case number as typed and the 查询码 in a POST body, the case page in plain words with its signed links, answering a
 * 补正 notice and withdrawing, the guide and the printable form. Every page works without JavaScript.
 */
@Injectable()
export class PortalPages {
  constructor(
    private readonly pages: PagesService,
    private readonly agencies: AgenciesService,
    private readonly applications: ApplicationsService,
    private readonly applicant: ApplicantCaseService,
    private readonly proactive: ProactiveService,
    private readonly calendars: CalendarService,
    private readonly verification: LetterVerificationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async page(name: string, title: string, data: Record<string, unknown>, section: PortalSection, status = 200): Promise<PageResult> {
    const agency = await this.agencies.ensureDefaultAgency();
    return { status, html: this.pages.render(name, title, agency.name, data, section) };
  }

  // ---- applying ----

  home(): Promise<PageResult> {
    return this.applyForm({}, []);
  }

  private applyForm(values: FormValues, problems: Problem[], status = 200, filesLost = false): Promise<PageResult> {
    const fieldErrors: Record<string, string> = {};
    for (const problem of problems) if (problem.field) fieldErrors[problem.field] ??= problem.message;
    const shown = Object.fromEntries(TEXT_FIELDS.map((field) => [field, typeof values[field] === 'string' ? values[field] : '']));
    return this.page(
      'apply',
      '在线申请',
      {
        values: { ...shown, notifyByEmail: values.notifyByEmail === 'yes', notifyBySms: values.notifyBySms === 'yes' },
        errors: problems,
        fieldErrors,
        filesLost,
        maxFileMb: MAX_PORTAL_FILE_MB,
        maxIdentityCopies: MAX_IDENTITY_COPIES,
        requestTypes: options(REQUEST_TYPE_TERMS, values.requestType || 'disclosure'),
        categories: options(APPLICANT_CATEGORY_CHOICES, values.category || 'natural_person'),
        idTypes: options(ID_TYPE_TERMS, values.idType || 'id_card'),
        deliveryForms: options(DELIVERY_FORM_TERMS, values.deliveryForm || 'email'),
      },
      'apply',
      status,
    );
  }

  /** The form posts its fields flat; they are checked by the API's own DTO, each message beside its field and in the summary. */
  async apply(body: FormValues | undefined, uploads: { identityCopies?: UploadedPortalFile[]; authorisation?: UploadedPortalFile[] } | undefined, address: string): Promise<PageResult> {
    const values: FormValues = Object.fromEntries(Object.entries(body ?? {}).map(([key, value]) => [key, typeof value === 'string' ? value.trim() : value]));
    const text = (field: string) => (typeof values[field] === 'string' && values[field] ? (values[field] as string) : undefined);
    const dto = plainToInstance(PublicApplicationDto, {
      applicant: { category: text('category'), name: text('name'), idType: text('idType'), idNumber: text('idNumber'), phone: text('phone'), email: text('email'), address: text('address') },
      description: text('description'),
      deliveryForm: text('deliveryForm'),
      requestType: text('requestType') ?? 'disclosure',
      ...(text('agentName') ? { agentName: text('agentName') } : {}),
      ...(values.notifyByEmail === 'yes' ? { notifyByEmail: true } : {}),
      ...(values.notifyBySms === 'yes' ? { notifyBySms: true } : {}),
    });
    const problems: { path: string; message: string }[] = fieldProblems(validateSync(dto, { whitelist: true }), '', ['hasContact']).map((problem) => ({
      path: problem.constraint === 'hasContact' ? 'contact' : problem.path,
      message: problem.message,
    }));
    const identityCopies = uploads?.identityCopies ?? [];
    const authorisation = uploads?.authorisation ?? [];
    const files: ApplicantFile[] = [];
    const checkFiles = (list: UploadedPortalFile[], kind: ApplicantFile['kind'], path: string, label: string) => {
      for (const upload of list) {
        const mimeType = upload.size ? fileKind(upload.buffer) : null;
        if (!mimeType) problems.push({ path, message: `${label} 只能上传 PDF、JPG 或 PNG 文件（“${uploadName(upload)}”不是）` });
        else files.push({ kind, filename: uploadName(upload), mimeType, content: upload.buffer });
      }
    };
    checkFiles(identityCopies, 'identity_copy', 'identityCopies', '身份证明材料');
    checkFiles(authorisation, 'authorisation', 'authorisation', '授权委托书');
    if (text('agentName') && !authorisation.length) problems.push({ path: 'authorisation', message: '委托他人代为申请的，请上传授权委托书' });
    if (!text('agentName') && authorisation.length) problems.push({ path: 'agentName', message: '上传了授权委托书的，请填写代理人姓名或名称' });
    if (problems.length) {
      const order = Object.keys(APPLY_FIELDS);
      const sorted = problems
        .map((problem) => ({ field: APPLY_FIELDS[problem.path] ?? null, message: problem.message, rank: order.indexOf(problem.path) }))
        .sort((a, b) => (a.rank === -1 ? 99 : a.rank) - (b.rank === -1 ? 99 : b.rank))
        .map(({ field, message }) => ({ field, message }));
      return this.applyForm(values, sorted, 400, identityCopies.length + authorisation.length > 0);
    }
    let created: { caseNumber: string; queryCode: string };
    try {
      created = await this.applications.submitOnline(dto, address, files);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'too_many_requests') throw error;
      return this.applyForm(values, [{ field: null, message: error.message }], 429, files.length > 0);
    }
    const notified = [dto.notifyByEmail ? 'email' : null, dto.notifyBySms ? 'sms' : null].filter((code): code is string => code !== null).map((code) => labelOf(NOTICE_CHANNEL_TERMS, code));
    return this.page(
      'applied',
      '申请已提交',
      { ...created, caseNumberParam: created.caseNumber, submittedOn: this.calendars.today(), notified: notified.join('和') },
      'apply',
      201,
    );
  }

  // ---- tracking ----

  /** The form; a case number from a notice's link is filled in. A 查询码 put in the URL (an old bookmark) is never read. */
  async trackForm(query: FormValues | undefined): Promise<PageResult> {
    const form = readForm(TrackQueryDto, query);
    const caseNumber = form.problems.some((problem) => problem.field === 'caseNumber') ? '' : (form.value.caseNumber ?? '');
    const notice = query?.queryCode ? '为保护您的查询码，查询码不再放在网址中：请在下方输入查询码后查询，并删除浏览器中保存的旧链接。' : '';
    return this.trackPage({ caseNumber, notice });
  }

  private async trackPage(data: { caseNumber?: string; notice?: string; problems?: Problem[]; opened?: OpenedCase }, status = 200): Promise<PageResult> {
    const agency = await this.agencies.ensureDefaultAgency();
    const year = yearOf(this.calendars.today());
    const fieldErrors: Record<string, string> = {};
    for (const problem of data.problems ?? []) if (problem.field) fieldErrors[problem.field] ??= problem.message;
    return this.page(
      'track',
      data.opened ? `${data.opened.view.caseNumber} 办理进度` : '查询办理进度',
      {
        caseNumber: data.caseNumber ?? '',
        notice: data.notice ?? '',
        errors: data.problems ?? [],
        errorsTitle: data.opened ? '没有完成' : '查询未成功',
        fieldErrors,
        example: formatDocumentNumber(agency.settings.caseNumberPattern, agency.settings.caseNumberPrefix, year, 8),
        exampleShort: `${year}-8`,
        result: data.opened?.view ?? null,
        token: data.opened?.token ?? '',
        linkMinutes: this.config.PUBLIC_LINK_TTL_MINUTES,
        maxFileMb: MAX_PORTAL_FILE_MB,
        maxSupplementFiles: MAX_SUPPLEMENT_FILES,
      },
      'track',
      status,
    );
  }

  /** POST /track: the case number as typed and the 查询码 (or the page's own token, to go back to the case). */
  async track(body: FormValues | undefined, address: string): Promise<PageResult> {
    const form = readForm(TrackFormDto, body);
    if (form.problems.length) return this.trackPage({ problems: form.problems }, 400);
    const { caseNumber, queryCode, token } = form.value;
    if (token && !caseNumber && !queryCode) return this.answer(() => this.applicant.openByToken(token), (opened) => this.trackPage({ opened }));
    const missing: Problem[] = [
      ...(caseNumber ? [] : [{ field: 'caseNumber', message: '案件编号 不能为空' }]),
      ...(queryCode ? [] : [{ field: 'queryCode', message: '查询码 不能为空' }]),
    ];
    if (missing.length) return this.trackPage({ caseNumber, problems: missing }, 400);
    try {
      return await this.trackPage({ opened: await this.applicant.open(caseNumber!, queryCode!, address) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const status = error.code === 'too_many_requests' ? 429 : error.code === 'invalid' ? 400 : 404;
      return this.trackPage({ caseNumber, problems: [{ field: 'queryCode', message: error.message }] }, status);
    }
  }

  /** 网上补正 (Art. 30): received today; the page then shows the clock restarted. */
  async supplement(body: FormValues | undefined, uploads: UploadedPortalFile[] | undefined): Promise<PageResult> {
    const form = readForm(SupplementFormDto, body);
    if (form.problems.length) return this.expired();
    const files: ApplicantFile[] = [];
    const problems: Problem[] = [];
    for (const upload of uploads ?? []) {
      const mimeType = upload.size ? fileKind(upload.buffer) : null;
      if (!mimeType) problems.push({ field: 'files', message: `补正材料 只能上传 PDF、JPG 或 PNG 文件（“${uploadName(upload)}”不是）` });
      else files.push({ kind: 'supplement', filename: uploadName(upload), mimeType, content: upload.buffer });
    }
    if (!form.value.content?.trim() && !(uploads ?? []).length) problems.push({ field: 'content', message: '请填写补正内容，或上传补正材料' });
    if (problems.length) return this.answer(() => this.applicant.openByToken(form.value.token), (opened) => this.trackPage({ opened, problems }, 400));
    return this.answer(
      () => this.applicant.supplement(form.value.token, form.value.content, files),
      (opened) => this.trackPage({ opened, notice: '本机关已收到您的补正。答复期限自今日起重新计算，新的答复期限见下方。' }),
      form.value.token,
    );
  }

  /** The confirmation before a withdrawal ("check your answers" before an irreversible step). */
  async withdrawal(body: FormValues | undefined, problems: Problem[] = []): Promise<PageResult> {
    const form = readForm(WithdrawFormDto, body);
    if (form.problems.length) return this.expired();
    return this.answer(
      () => this.applicant.withdrawal(form.value.token),
      (opened) => this.page('withdraw', '确认撤回申请', { result: opened.view, token: opened.token, errors: problems, errorsTitle: '请确认', fieldErrors: Object.fromEntries(problems.map((problem) => [problem.field, problem.message])) }, 'track', problems.length ? 400 : 200),
      form.value.token,
    );
  }

  async withdraw(body: FormValues | undefined): Promise<PageResult> {
    const form = readForm(WithdrawFormDto, body);
    if (form.problems.length) return this.expired();
    if (form.value.confirmed !== 'yes') return this.withdrawal(body, [{ field: 'confirmed', message: '请勾选“我确认撤回本申请”，或选择不撤回' }]);
    return this.answer(
      () => this.applicant.withdraw(form.value.token, form.value.reason),
      (opened) => this.trackPage({ opened, notice: '您的申请已撤回，本机关不再办理。' }),
      form.value.token,
    );
  }

  /**
   * A letter or a file by its signed link, as a download; for an applicant who chose electronic delivery, the first
   * download of the reply is recorded as its service once the bytes have gone out.
   */
  async document(query: FormValues | undefined, response: Response): Promise<void> {
    const form = readForm(DocumentQueryDto, query);
    const document = await this.applicant.document(form.value.token);
    response.setHeader('Content-Type', document.contentType);
    response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(document.filename)}`);
    response.on('finish', () => void document.served());
    response.send(document.body);
  }

  /** Runs an applicant's step; a refusal (an expired page, a step the case no longer allows) is shown on the page. */
  private async answer(step: () => Promise<OpenedCase>, render: (opened: OpenedCase) => Promise<PageResult>, token?: string): Promise<PageResult> {
    try {
      return await render(await step());
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'not_found') return this.expired(error.message);
      // Shown on the case's page as it now stands (the token still opens it).
      const problems = [{ field: null, message: error.message }];
      try {
        return await this.trackPage({ opened: await this.applicant.openByToken(token), problems }, error.code === 'conflict' ? 409 : 400);
      } catch {
        return this.trackPage({ problems }, 400);
      }
    }
  }

  private expired(message = '页面已过期：为保护您的查询码，页面只在一段时间内有效，请重新输入案件编号和查询码查询。'): Promise<PageResult> {
    return this.trackPage({ problems: [{ field: 'caseNumber', message }] }, 400);
  }

  // ---- the guide, the form, the list ----

  async guide(): Promise<PageResult> {
    const agency = await this.agencies.ensureDefaultAgency();
    const HOW: Record<string, string> = {
      in_person: `到 ${agency.settings.address} 提交（${agency.settings.officeHours}）`,
      post_signed: `寄至 ${agency.settings.address}（邮编 ${agency.settings.postcode}），信封注明“政府信息公开申请”`,
      post_ordinary: `寄至 ${agency.settings.address}（邮编 ${agency.settings.postcode}）`,
      online: '本网站“在线申请”',
      email: `发送至 ${agency.settings.email}`,
      fax: `传真至 ${agency.settings.fax}`,
    };
    const channels = CHANNEL_TERMS.filter((term) => term.code in HOW).map((term) => ({ label: term.label, how: HOW[term.code], hint: term.hint }));
    const yuan = (amount: number) => (amount === 0 ? '免费' : `${amount} 元`);
    const perPage = PER_PAGE_BANDS.map((band) => ({ range: band.to === null ? `第 ${band.from} 页起` : `第 ${band.from}—${band.to} 页`, price: band.yuanPerUnit ? `${yuan(band.yuanPerUnit)}/页` : '免费' }));
    const tariff = PER_ITEM_TARIFF;
    const perItem = [
      { range: `第 1—${tariff.freeItems} 件`, price: '免费' },
      { range: `第 ${tariff.firstBand.from}—${tariff.firstBand.to} 件`, price: `${tariff.firstBand.yuanPerUnit} 元/件` },
      {
        range: `第 ${tariff.firstBand.to + 1} 件起，每 ${tariff.bandSize} 件为一档`,
        price: `每档比上一档每件增加 ${tariff.bandIncrementYuan} 元（第 ${tariff.firstBand.to + 1}—${tariff.firstBand.to + tariff.bandSize} 件 ${tariff.firstBand.yuanPerUnit + tariff.bandIncrementYuan} 元/件，依此类推）`,
      },
    ];
    return this.page('guide', '政府信息公开指南', { settings: agency.settings, channels, fees: { perItem, perPage } }, 'guide');
  }

  async applicationForm(): Promise<Buffer> {
    return applicationFormPdf(await this.agencies.ensureDefaultAgency(), this.calendars.today());
  }

  async proactiveList(): Promise<PageResult> {
    return this.page('proactive', '依申请公开转主动公开', { entries: await this.proactive.publicList() }, 'proactive');
  }

  /** 文书核验: the form, or (with a code) what the letter is, so an applicant or a court can check a printout. */
  async verify(code: string | undefined, address: string): Promise<PageResult> {
    const data: Record<string, unknown> = { code: code ?? '', letter: null, formattedCode: null, error: null };
    let status = 200;
    if (code) {
      try {
        data.letter = await this.verification.verify(code, address);
        data.formattedCode = formatVerificationCode(normaliseVerificationCode(code)!);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        status = error.code === 'too_many_requests' ? 429 : 404;
        data.error = error.message;
      }
    }
    return this.page('verify', '文书核验', data, null, status);
  }

  /** A portal route that failed: the page in words, never JSON (the filter of the portal's controller). */
  async errorPage(status: number, message: string): Promise<PageResult> {
    const heading = status === 413 ? '文件过大' : status === 404 ? '页面不存在或已过期' : status >= 500 ? '系统暂时无法处理' : '无法处理';
    const shown = status === 413 ? `上传的文件过大：每个文件不超过 ${MAX_PORTAL_FILE_MB} MB。请返回上一页，重新选择较小的文件。` : message;
    return this.page('error', heading, { heading, message: shown, back: '/', backLabel: '返回首页' }, null, status);
  }
}

/** multer reads the name as latin1; browsers send UTF-8. */
function uploadName(upload: UploadedPortalFile): string {
  return Buffer.from(upload.originalname, 'latin1').toString('utf8').slice(0, 200) || '未命名文件';
}

/** A portal form read against its DTO: the values, or the problems in words, each with its field. */
function readForm<T extends object>(type: new () => T, body: FormValues | undefined): { value: T; problems: Problem[] } {
  const value = plainToInstance(type, Object.fromEntries(Object.entries(body ?? {}).filter(([, entry]) => typeof entry === 'string' && entry !== '')));
  const problems = fieldProblems(validateSync(value, { whitelist: true, forbidNonWhitelisted: false })).map((problem) => ({ field: problem.path, message: problem.message }));
  return { value, problems };
}
