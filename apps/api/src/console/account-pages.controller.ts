import { Body, Controller, Get, HttpCode, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConsolePage } from '../auth/access.decorator';
import { ChangePasswordDto } from '../auth/auth.controller';
import { AuthService, MIN_PASSWORD_LENGTH, PASSWORDS_OFF_MESSAGE } from '../auth/auth.service';
import { ClientAddress } from '../common/client-address';
import { DomainError } from '../common/domain-error';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { dtoProblems, postedText, sendPage, type Problem } from './console-forms';
import { ConsoleViews } from './console-views';

/** The form's fields, each with its label (the messages name them so). */
const FIELDS = [
  { name: 'currentPassword', label: '当前密码', autocomplete: 'current-password' },
  { name: 'newPassword', label: '新密码', autocomplete: 'new-password', hint: `至少 ${MIN_PASSWORD_LENGTH} 位，不能与当前密码相同。建议使用不易猜到的长句或多个词的组合。` },
  { name: 'confirmPassword', label: '再次输入新密码', autocomplete: 'new-password', hint: '与上面的新密码一致。' },
] as const;

/**
 * One's own account (issue 16 item 8): every signed-in user changes his own password here, linked from the header. The
 * current password is asked again and the rules are the API's (POST /api/auth/password, the same AuthService): the
 * user's other sign-ins end, this one stays. A user whose agency signs in only through its unified identity system is
 * told so instead of being offered a password he does not use.
 */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff/account')
export class AccountPagesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly frames: ConsoleFrames,
    private readonly auth: AuthService,
  ) {}

  @ConsolePage()
  @Get('password')
  async form(@Req() request: ConsoleRequest, @Res() response: Response, @Query('done') done?: string) {
    await this.render(request, response, 200, [], done === 'changed');
  }

  @ConsolePage()
  @Post('password')
  @HttpCode(200)
  async change(@Req() request: ConsoleRequest, @Res() response: Response, @Body() posted: Record<string, unknown>, @ClientAddress() address: string) {
    if (!(await this.auth.signsInWithPassword(request.principal))) return this.render(request, response, 403, [], false);
    const values = { currentPassword: postedText(posted, 'currentPassword'), newPassword: postedText(posted, 'newPassword'), confirmPassword: postedText(posted, 'confirmPassword') };
    const problems = dtoProblems(ChangePasswordDto, { currentPassword: values.currentPassword, newPassword: values.newPassword });
    if (!values.confirmPassword) problems.push({ name: 'confirmPassword', message: '请再次输入新密码' });
    else if (values.newPassword && values.confirmPassword !== values.newPassword) problems.push({ name: 'confirmPassword', message: '再次输入新密码 与新密码不一致，请重新输入' });
    if (problems.length) return this.render(request, response, 400, problems, false);
    try {
      await this.auth.changePassword(request.principal, values.currentPassword, values.newPassword, address);
    } catch (error) {
      if (!(error instanceof DomainError) || !['invalid', 'too_many_requests'].includes(error.code)) throw error;
      // “当前密码不正确” belongs beside the current password, “新密码不能与当前密码相同” beside the new one.
      const name = error.code === 'too_many_requests' ? null : (FIELDS.find((field) => error.message.startsWith(field.label))?.name ?? null);
      return this.render(request, response, error.code === 'too_many_requests' ? 429 : 400, [{ name, message: error.message }], false);
    }
    response.redirect(303, '/staff/account/password?done=changed');
  }

  /** The form is always drawn empty: a password is never sent back in a page. */
  private async render(request: ConsoleRequest, response: Response, status: number, problems: Problem[], changed: boolean) {
    const usesPassword = await this.auth.signsInWithPassword(request.principal);
    const fieldErrors = Object.fromEntries(problems.filter((problem) => problem.name).map((problem) => [problem.name, problem.message]));
    response.setHeader('Cache-Control', 'no-store');
    await sendPage(this.views, this.frames, request, response, 'account-password', { status, title: '修改密码', current: 'account', breadcrumbs: [{ label: '首页', href: '/staff' }, { label: '修改密码' }], flash: changed ? '密码已修改。您在其他地方的登录已随即退出，本页面保持登录。' : null }, {
      usesPassword,
      passwordsOffMessage: PASSWORDS_OFF_MESSAGE,
      fields: FIELDS.map((field) => ({ ...field, error: fieldErrors[field.name] ?? null })),
      problems,
      username: request.principal.username,
    });
  }
}
