import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { labelOf, SSO_MATCH_TERMS } from '@desk/vocabulary';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Request, Response } from 'express';
import { ConsolePage, Public } from '../auth/access.decorator';
import { AgenciesService } from '../agencies/agencies.service';
import { DomainError } from '../common/domain-error';
import { fieldProblems } from '../common/validation';
import { ConsoleOrigin } from '../sso/console-origin';
import { UpdateSsoSettingsDto, type SsoSettingsDto } from '../sso/dto/sso.dto';
import { SSO_COOKIE_PATH, SSO_PENDING_COOKIE, SSO_PENDING_TTL_MS } from '../sso/sso-pending';
import { SsoSettingsService } from '../sso/sso-settings.service';
import { SsoSignInService } from '../sso/sso-sign-in.service';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { readCookie, setSessionCookie } from './console-session';
import { ConsoleViews } from './console-views';

const HEADINGS: Record<string, string> = {
  invalid: '登录请求已失效',
  unauthenticated: '未能通过统一身份认证登录',
  forbidden: '未能通过统一身份认证登录',
  not_found: '没有启用统一身份认证登录',
  unavailable: '暂时无法通过统一身份认证登录',
};
const STATUSES: Record<string, number> = { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, unavailable: 503 };

/** The form's fields, in order, with what each shows; the labels are the DTO's. */
const TEXT_FIELDS = ['providerName', 'issuer', 'clientId', 'scopes', 'usernameClaim', 'subjectClaim', 'displayNameClaim', 'breakGlassUsername'] as const;
const YES_NO_FIELDS = ['enabled', 'selfRegistration', 'passwordsDisabled', 'providerSignOut'] as const;

/**
 * Single sign-on in the console (issue 19 item 4): the round trip through the agency's unified identity system
 * (统一身份认证) and the administrator's settings page. Refusals are pages in words with the way back to the sign-in.
 */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff')
export class SsoPagesController {
  constructor(
    private readonly signIns: SsoSignInService,
    private readonly settings: SsoSettingsService,
    private readonly views: ConsoleViews,
    private readonly frames: ConsoleFrames,
    private readonly agencies: AgenciesService,
  ) {}

  /** “通过统一身份认证登录”: off to the provider, the attempt remembered in a sealed cookie. */
  @Public()
  @Get('sso/:agency/start')
  async start(@Req() request: Request, @Res() response: Response, @Param('agency') agency: string, @ConsoleOrigin() origin: string, @Query('next') next?: string) {
    try {
      const { redirectTo, pendingCookie } = await this.signIns.start(agency, next, origin);
      // SameSite=Lax, not Strict: the cookie must come back with the provider's redirect, a navigation from its site.
      response.cookie(SSO_PENDING_COOKIE, pendingCookie, { httpOnly: true, sameSite: 'lax', secure: request.secure, path: SSO_COOKIE_PATH, maxAge: SSO_PENDING_TTL_MS });
      response.redirect(303, redirectTo);
    } catch (error) {
      await this.refused(response, error);
    }
  }

  @Public()
  @Get('sso/:agency/callback')
  async callback(@Req() request: Request, @Res() response: Response, @Param('agency') agency: string, @ConsoleOrigin() origin: string) {
    // Good once: whatever happens next, the attempt is over.
    response.clearCookie(SSO_PENDING_COOKIE, { httpOnly: true, sameSite: 'lax', secure: request.secure, path: SSO_COOKIE_PATH });
    try {
      const query = request.originalUrl.includes('?') ? request.originalUrl.slice(request.originalUrl.indexOf('?') + 1) : '';
      const { session, next } = await this.signIns.complete(agency, query, readCookie(request, SSO_PENDING_COOKIE), origin);
      setSessionCookie(request, response, session.accessToken, new Date(session.expiresAt));
      // Not a redirect: this request came from the provider's site, and a browser does not send a SameSite=Strict cookie
      // on a redirect that a cross-site navigation started. The page moves on by itself (a navigation of this site), or by its link.
      response.setHeader('Refresh', `0;url=${next}`);
      response.setHeader('Cache-Control', 'no-store');
      const frame = { title: '登录成功', agencyName: '', principal: null };
      response.status(200).type('html').send(this.views.page('sso-continue', frame, { next, name: session.user.displayName }));
    } catch (error) {
      await this.refused(response, error);
    }
  }

  @ConsolePage('admin')
  @Get('admin/sso')
  async settingsPage(@Req() request: ConsoleRequest, @Res() response: Response, @ConsoleOrigin() origin: string) {
    const current = await this.settings.view(request.principal, origin);
    await this.render(request, response, 200, current, valuesOf(current), []);
  }

  @ConsolePage('admin')
  @Post('admin/sso')
  @HttpCode(200)
  async save(@Req() request: ConsoleRequest, @Res() response: Response, @Body() body: Record<string, unknown>, @ConsoleOrigin() origin: string) {
    const values: Record<string, string> = Object.fromEntries(
      [...TEXT_FIELDS, ...YES_NO_FIELDS, 'matchBy', 'clientSecret'].map((name) => [name, typeof body[name] === 'string' ? (body[name] as string).trim() : '']),
    );
    const optional = (value: string) => (value ? value : undefined);
    const dto = plainToInstance(UpdateSsoSettingsDto, {
      enabled: values.enabled === 'yes',
      providerName: values.providerName,
      issuer: values.issuer,
      clientId: values.clientId,
      clientSecret: optional(values.clientSecret),
      scopes: optional(values.scopes),
      matchBy: values.matchBy,
      usernameClaim: optional(values.usernameClaim),
      subjectClaim: optional(values.subjectClaim),
      displayNameClaim: optional(values.displayNameClaim),
      selfRegistration: values.selfRegistration === 'yes',
      passwordsDisabled: values.passwordsDisabled === 'yes',
      breakGlassUsername: optional(values.breakGlassUsername),
      providerSignOut: values.providerSignOut !== 'no',
    });
    const problems = fieldProblems(validateSync(dto, { whitelist: true })).map((problem) => ({ name: problem.path, message: problem.message }));
    if (!problems.length) {
      try {
        await this.settings.update(request.principal, dto, origin);
        return response.redirect(303, '/staff/admin/sso?done=saved');
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'invalid') throw error;
        problems.push({ name: fieldNamed(error.message), message: error.message });
      }
    }
    await this.render(request, response, 400, await this.settings.view(request.principal, origin), { ...values, clientSecret: '' }, problems);
  }

  @ConsolePage('admin')
  @Post('admin/sso/links/:userId/unlink')
  @HttpCode(200)
  async unlink(@Req() request: ConsoleRequest, @Res() response: Response, @Param('userId') userId: string) {
    await this.settings.unlink(request.principal, userId);
    response.redirect(303, '/staff/admin/sso?done=saved');
  }

  private async render(request: ConsoleRequest, response: Response, status: number, current: SsoSettingsDto, values: Record<string, string>, errors: { name: string; message: string }[]) {
    const frame = await this.frames.frame(request, '统一身份认证', 'admin', {
      breadcrumbs: [{ label: '系统管理', href: '/staff/admin' }, { label: '统一身份认证' }],
    });
    const fieldErrors = Object.fromEntries(errors.map((error) => [error.name, error.message]));
    response.status(status).type('html').send(
      this.views.page('admin-sso', frame, {
        current,
        values,
        errors,
        fieldErrors,
        matchByOptions: SSO_MATCH_TERMS.map((term) => ({ value: term.code, label: term.label, hint: term.hint, selected: term.code === values.matchBy })),
        matchByLabel: labelOf(SSO_MATCH_TERMS, current.matchBy),
        links: await this.settings.links(request.principal),
      }),
    );
  }

  private async refused(response: Response, error: unknown): Promise<void> {
    if (!(error instanceof DomainError) || !(error.code in STATUSES)) throw error;
    const agency = await this.agencies.ensureDefaultAgency();
    response
      .status(STATUSES[error.code])
      .type('html')
      .send(this.views.page('sso-refused', { title: HEADINGS[error.code], agencyName: agency.name, principal: null }, { heading: HEADINGS[error.code], message: error.message }));
  }
}

/** The form's values from what is stored: yes/no for the switches. */
function valuesOf(current: SsoSettingsDto): Record<string, string> {
  const yesNo = (value: boolean) => (value ? 'yes' : 'no');
  return {
    providerName: current.providerName,
    issuer: current.issuer,
    clientId: current.clientId,
    clientSecret: '',
    scopes: current.scopes,
    matchBy: current.matchBy,
    usernameClaim: current.usernameClaim,
    subjectClaim: current.subjectClaim,
    displayNameClaim: current.displayNameClaim,
    breakGlassUsername: current.breakGlass?.username ?? '',
    enabled: yesNo(current.enabled),
    selfRegistration: yesNo(current.selfRegistration),
    passwordsDisabled: yesNo(current.passwordsDisabled),
    providerSignOut: yesNo(current.providerSignOut),
  };
}

/** The field a service's message names by its label (they begin with it), so the page shows it beside that field. */
const LABELS: Record<string, string> = {
  签发方地址: 'issuer',
  客户端密钥: 'clientSecret',
  申请的权限范围: 'scopes',
  应急管理员: 'breakGlassUsername',
  关闭密码登录: 'passwordsDisabled',
};
function fieldNamed(message: string): string {
  // “关闭密码登录 须指定应急管理员…” is answered where the administrator is named.
  if (message.includes('须指定应急管理员')) return 'breakGlassUsername';
  return Object.entries(LABELS).find(([label]) => message.startsWith(label))?.[1] ?? 'enabled';
}
