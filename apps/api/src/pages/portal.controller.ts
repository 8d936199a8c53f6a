import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APPLICANT_CATEGORY_TERMS, DELIVERY_FORM_TERMS, ID_TYPE_TERMS, type Vocabulary } from '@desk/vocabulary';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Request, Response } from 'express';
import { AgenciesService } from '../agencies/agencies.service';
import { ApplicationsService, type OnlineSubmission } from '../applications/applications.service';
import { PublicApplicationDto } from '../applications/dto/application.dto';
import { Public } from '../auth/access.decorator';
import { ProactiveService } from '../cases/proactive.service';
import { ClientAddress } from '../common/client-address';
import { DomainError } from '../common/domain-error';
import { flattenValidationErrors } from '../common/validation';
import { PublicTrackingService } from '../public/public-tracking.service';
import { LetterVerificationService } from '../public/letter-verification.service';
import { formatVerificationCode, normaliseVerificationCode } from '@desk/letters';
import { LETTER_BODY_FONT, LETTER_TITLE_FONT, REGULAR_FONT } from '../letters/letter-layout';
import { PagesService } from './pages.service';

type FormValues = Record<string, string>;

const options = (terms: Vocabulary, selected: string | undefined) => terms.map((term) => ({ value: term.code, label: term.label, selected: term.code === selected }));

/** The applicant's own words for the categories: an organisation says which kind it is (Art. 29, the report's columns). */
const APPLICANT_CATEGORY_CHOICES: Vocabulary = APPLICANT_CATEGORY_TERMS.map((term) =>
  term.code === 'natural_person' ? term : { code: term.code, label: `法人或其他组织：${term.label}` },
);

/** The applicant portal at `/`: apply without an account, track with the case number and 查询码, the proactive list, the guide. */
@ApiExcludeController()
@Controller()
export class PortalController {
  constructor(
    private readonly pages: PagesService,
    private readonly agencies: AgenciesService,
    private readonly applications: ApplicationsService,
    private readonly tracking: PublicTrackingService,
    private readonly proactive: ProactiveService,
    private readonly verification: LetterVerificationService,
  ) {}

  private async agencyName(): Promise<string> {
    return (await this.agencies.ensureDefaultAgency()).name;
  }

  private applyForm(values: FormValues, errors: string[], fieldErrors: Record<string, string>) {
    return {
      values,
      errors,
      fieldErrors,
      categories: options(APPLICANT_CATEGORY_CHOICES, values.category ?? 'natural_person'),
      idTypes: options(ID_TYPE_TERMS, values.idType ?? 'id_card'),
      deliveryForms: options(DELIVERY_FORM_TERMS, values.deliveryForm ?? 'email'),
    };
  }

  @Public()
  @Get()
  async home(@Res() response: Response) {
    response.type('html').send(this.pages.render('apply', '在线申请', await this.agencyName(), this.applyForm({}, [], {})));
  }

  /** The form posts its fields flat; they are checked by the same DTO as the API, with each message beside its field. */
  @Public()
  @Post('apply')
  async apply(@Body() body: FormValues, @ClientAddress() address: string, @Res() response: Response) {
    const values: FormValues = Object.fromEntries(Object.entries(body ?? {}).map(([key, value]) => [key, String(value ?? '').trim()]));
    const optional = (value: string | undefined) => (value ? value : undefined);
    const dto = plainToInstance(PublicApplicationDto, {
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
    });
    const problems = validateSync(dto, { whitelist: true });
    const agencyName = await this.agencyName();
    if (problems.length) {
      const messages = flattenValidationErrors(problems);
      const fieldErrors: Record<string, string> = {};
      for (const problem of problems.flatMap((error) => (error.children?.length ? error.children : [error]))) {
        for (const message of Object.values(problem.constraints ?? {})) {
          const field = message.includes('联系方式') ? 'contact' : problem.property;
          fieldErrors[field] ??= message.replace(/^applicant\.\w+：/, '');
        }
      }
      response.status(400).type('html').send(this.pages.render('apply', '在线申请', agencyName, this.applyForm(values, messages, fieldErrors)));
      return;
    }
    let created: OnlineSubmission;
    try {
      created = await this.applications.submitOnline(dto, address);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'too_many_requests') throw error;
      response.status(429).type('html').send(this.pages.render('apply', '在线申请', agencyName, this.applyForm(values, [error.message], {})));
      return;
    }
    response.status(201).type('html').send(this.pages.render('applied', '申请已提交', agencyName, { ...created }));
  }

  @Public()
  @Get('track')
  async track(@Query('caseNumber') caseNumber: string | undefined, @Query('queryCode') queryCode: string | undefined, @Req() request: Request, @Res() response: Response) {
    const agencyName = await this.agencyName();
    const data: Record<string, unknown> = { caseNumber: caseNumber ?? '' };
    let status = 200;
    if (typeof caseNumber === 'string' && caseNumber && typeof queryCode === 'string' && queryCode) {
      try {
        data.result = await this.tracking.track(caseNumber, queryCode, request.ip ?? 'unknown');
        data.queryCode = encodeURIComponent(queryCode);
        data.caseNumberEncoded = encodeURIComponent(caseNumber);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        status = error.code === 'too_many_requests' ? 429 : 404;
        data.error = error.message;
      }
    }
    response.status(status).type('html').send(this.pages.render('track', '查询办理进度', agencyName, data));
  }

  /** 文书核验: the form, or (with ?code=) its answer. No sign-in; throttled like tracking. */
  @Public()
  @Get('verify')
  async verifyForm(@Query('code') code: string | undefined, @ClientAddress() address: string, @Res() response: Response) {
    await this.verifyPage(typeof code === 'string' ? code : undefined, address, response);
  }

  /** Where a letter's QR code leads. */
  @Public()
  @Get('verify/:code')
  async verifyCode(@Param('code') code: string, @ClientAddress() address: string, @Res() response: Response) {
    await this.verifyPage(code, address, response);
  }

  private async verifyPage(code: string | undefined, address: string, response: Response): Promise<void> {
    const data: Record<string, unknown> = { code: code ?? '' };
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
    response.status(status).type('html').send(this.pages.render('verify', '文书核验', await this.agencyName(), data));
  }

  @Public()
  @Get('proactive')
  async proactiveList(@Res() response: Response) {
    response.type('html').send(this.pages.render('proactive', '依申请公开转主动公开', await this.agencyName(), { entries: await this.proactive.publicList() }));
  }

  /** The staff console: one page over the JSON API; the token stays in sessionStorage (no cookies, so no CSRF surface). */
  @Public()
  @Get('staff')
  staff(@Res() response: Response) {
    response.type('html').send(this.pages.staffConsole());
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

  @Public()
  @Get('guide')
  async guide(@Res() response: Response) {
    const agency = await this.agencies.ensureDefaultAgency();
    response.type('html').send(
      this.pages.render('guide', '政府信息公开指南', agency.name, { address: agency.settings.address, phone: agency.settings.phone, hours: agency.settings.officeHours }),
    );
  }
}
