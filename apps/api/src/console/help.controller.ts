import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { labelOf, ROLE_TERMS } from '@desk/vocabulary';
import type { Response } from 'express';
import { ConsolePage } from '../auth/access.decorator';
import { notFound } from '../common/domain-error';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { sendPage } from './console-forms';
import { ConsoleViews } from './console-views';
import { HELP_SECTIONS } from './help-content';

/** 操作帮助 (issue 16 item 10): the user's own roles first, the others folded away. */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff')
export class HelpController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly frames: ConsoleFrames,
  ) {}

  @ConsolePage()
  @Get('help')
  async help(@Req() request: ConsoleRequest, @Res() response: Response) {
    const mine = (role: string) => request.principal.roles.includes(role as never);
    const sections = HELP_SECTIONS.map((section) => ({ ...section, label: labelOf(ROLE_TERMS, section.role), mine: mine(section.role) }));
    await sendPage(this.views, this.frames, request, response, 'help', { title: '操作帮助', current: 'help' }, {
      own: sections.filter((section) => section.mine),
      others: sections.filter((section) => !section.mine),
    });
  }
}

const NO_SUCH_PAGE = '没有这个页面。地址可能输错了，或者页面已经移动。请回到首页，从页面上方的导航进入。';

/**
 * Any other address under /staff that a browser may ask for (a page, a form sent to it): a console page that says so
 * (404), not the API's JSON. Registered after every other console controller (api.module.ts), so it only answers what
 * none of them serves.
 */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff')
export class ConsoleNotFoundController {
  @ConsolePage()
  @Get('*path')
  page() {
    throw notFound(NO_SUCH_PAGE);
  }

  @ConsolePage()
  @Post('*path')
  form() {
    throw notFound(NO_SUCH_PAGE);
  }
}
