import { Body, Controller, Get, HttpCode, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AgenciesService } from '../agencies/agencies.service';
import { ConsolePage, Public } from '../auth/access.decorator';
import { AuthService } from '../auth/auth.service';
import { ClientAddress } from '../common/client-address';
import { DomainError } from '../common/domain-error';
import { ConsoleErrorFilter, safeNext } from './console-error.filter';
import type { ConsoleRequest } from './console-frame.service';
import { clearSessionCookie, readCookie, sameToken, SESSION_COOKIE, setSessionCookie, SIGN_IN_COOKIE, signInToken } from './console-session';
import { ConsoleViews } from './console-views';
import { ConsoleOrigin } from '../sso/console-origin';
import { SsoSignInService } from '../sso/sso-sign-in.service';

/** Signing in to and out of the console. */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff')
export class SignInController {
  constructor(
    private readonly auth: AuthService,
    private readonly agencies: AgenciesService,
    private readonly views: ConsoleViews,
    private readonly sso: SsoSignInService,
  ) {}

  @Public()
  @Get('sign-in')
  async form(@Req() request: Request, @Res() response: Response, @Query('next') next?: string) {
    await this.render(request, response, 200, { next: safeNext(next), values: {}, errors: [] });
  }

  @Public()
  @Post('sign-in')
  @HttpCode(200)
  async signIn(@Req() request: Request, @Res() response: Response, @Body() body: Record<string, unknown>, @ClientAddress() address: string) {
    const next = safeNext(body.next);
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const expected = readCookie(request, SIGN_IN_COOKIE);
    if (!expected || !sameToken(expected, body._csrf)) {
      return this.render(request, response, 400, { next, values: { username }, errors: [{ name: null, message: '登录页面已过期，请重新登录' }] });
    }
    const errors = [
      ...(username ? [] : [{ name: 'username', message: '请填写用户名' }]),
      ...(password ? [] : [{ name: 'password', message: '请填写密码' }]),
    ];
    if (errors.length) return this.render(request, response, 400, { next, values: { username }, errors });
    try {
      const session = await this.auth.login(username, password, address);
      setSessionCookie(request, response, session.accessToken, new Date(session.expiresAt));
      response.clearCookie(SIGN_IN_COOKIE, { path: '/staff' });
      response.redirect(303, next);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // 403: the password was right, but the agency signs in through its unified identity system only.
      const status = error.code === 'too_many_requests' ? 429 : error.code === 'forbidden' ? 403 : 401;
      return this.render(request, response, status, { next, values: { username }, errors: [{ name: 'password', message: error.message }] });
    }
  }

  /**
   * Signed out here; a session opened through the agency's identity system also ends there when it offers a logout
   * (RP-initiated logout). A page that moves on to the provider, not a redirect: the console's policy lets a form lead
   * only to this site (form-action 'self'), which a redirect after this form's POST would break.
   */
  @ConsolePage()
  @Post('sign-out')
  async signOut(@Req() request: ConsoleRequest, @Res() response: Response, @ConsoleOrigin() origin: string) {
    const method = await this.auth.endSession(request.principal);
    clearSessionCookie(request, response);
    const providerSignOut = method === 'sso' ? await this.sso.signOutUrl(request.principal.agencyId, origin) : null;
    if (!providerSignOut) return response.redirect(303, '/staff/sign-in?signed_out=1');
    const agency = await this.agencies.byId(request.principal.agencyId);
    response.setHeader('Refresh', `0;url=${providerSignOut}`);
    response
      .status(200)
      .type('html')
      .send(this.views.page('sso-signed-out', { title: '已退出', agencyName: agency.name, principal: null }, { providerSignOut }));
  }

  private async render(request: Request, response: Response, status: number, data: { next: string; values: Record<string, string>; errors: { name: string | null; message: string }[] }) {
    const agency = await this.agencies.ensureDefaultAgency();
    const token = signInToken(request, response);
    const signedOut = request.query.signed_out === '1' && !readCookie(request, SESSION_COOKIE);
    const { agencies: sso, passwordsOffEverywhere } = await this.sso.signInOptions();
    response
      .status(status)
      .type('html')
      .send(
        this.views.page('sign-in', { title: '登录', agencyName: agency.name, principal: null, flash: signedOut ? '您已退出登录。' : null }, {
          ...data,
          token,
          sso,
          severalSso: sso.length > 1,
          // No agency takes passwords any more: the form is the break-glass administrators'.
          passwordsMostlyOff: passwordsOffEverywhere,
          nextEncoded: encodeURIComponent(data.next),
          fieldErrors: Object.fromEntries(data.errors.filter((error) => error.name).map((error) => [error.name, error.message])),
        }),
      );
  }
}
