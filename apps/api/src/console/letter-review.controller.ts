import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FILL_IN_TERMS, LETTER_KIND_TERMS as LETTER_KINDS, RISK_TERMS, labelOf } from '@desk/vocabulary';
import type { Response } from 'express';
import { ConsolePage } from '../auth/access.decorator';
import { CaseViewService } from '../cases/case-view.service';
import { ClientAddress } from '../common/client-address';
import { LettersService } from '../letters/letters.service';
import { CasePages } from './case-page.service';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { ConsoleViews } from './console-views';

/** The steps whose record a reviewer needs beside the draft: what was searched, who was consulted, what was decided. */
const FACT_STEPS = ['记录检索', '征求意见', '收到意见', '拟办答复', '退回修改', '审核通过', '补正告知', '收到补正'];

/** The parts a reply of this outcome has: what was provided only in a disclosure, the withheld part only in a partial one. */
function fillInApplies(field: string, outcome: string | null): boolean {
  if (field === 'provided') return outcome === 'disclosed' || outcome === 'partial';
  if (field === 'withheld') return outcome === 'partial';
  return true;
}

const fillIns = (body: Record<string, unknown>) =>
  Object.fromEntries(FILL_IN_TERMS.filter((term) => typeof body[term.code] === 'string').map((term) => [term.code, String(body[term.code])]));

/**
 * A draft reply before it leaves (issue 16 item 6): the letter beside the legal checker's findings, the litigation-risk
 * review and the facts it depends on; its fill-ins edited in place with the findings updating as one types; legal's
 * approval with each warning acknowledged, or its return with a comment.
 */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff/letters')
export class LetterReviewController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly frames: ConsoleFrames,
    private readonly letters: LettersService,
    private readonly cases: CaseViewService,
    private readonly pages: CasePages,
  ) {}

  @ConsolePage()
  @Get(':id/review')
  async review(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @ClientAddress() address: string) {
    const caseId = await this.letters.caseOf(id);
    const page = await this.pages.page(request.principal, caseId, address);
    const letter = await this.letters.reviewView(id);
    const draft = await this.letters.checkDraft(id, {});
    const actions = page.actions.concat(page.endings);
    const approve = actions.find((action) => action.type === 'APPROVE') ?? null;
    const returnDraft = actions.find((action) => action.type === 'RETURN') ?? null;
    const mayEdit = letter.editableFields.length > 0 && page.view.availableEvents.length > 0 && request.principal.roles.some((role) => role === 'handler' || role === 'legal');
    const frame = await this.frames.frame(request, `审查：${labelOf(LETTER_KINDS, letter.kind)}`, 'review', {
      wide: true,
      breadcrumbs: [{ label: '工作队列', href: '/staff/queue' }, { label: page.view.caseNumber, href: `/staff/cases/${caseId}` }, { label: '答复书审查' }],
      ...(request.query.done === 'saved' ? { flash: '已保存答复书的填写部分。' } : {}),
    });
    response.type('html').send(
      this.views.page('letter-review', frame, {
        caseId,
        caseNumber: page.view.caseNumber,
        letter,
        markup: draft.markup,
        check: this.check(draft),
        fillIns: FILL_IN_TERMS.filter((term) => fillInApplies(term.code, page.view.outcome)).map((term) => ({ name: term.code, label: term.label, value: letter.fillIns[term.code] ?? '', multiline: term.code !== 'contactPerson' && term.code !== 'contactPhone' })),
        mayEdit,
        facts: page.timeline.filter((step) => FACT_STEPS.includes(step.label)),
        warnings: draft.risks.filter((risk) => risk.severity === 'warning').map((risk, index) => ({ ...risk, index, label: labelOf(RISK_TERMS, risk.code) })),
        approve: approve ? `/staff/cases/${caseId}/act/approve` : null,
        returnHref: returnDraft ? `/staff/cases/${caseId}/act/return` : null,
        version: page.view.version,
        rounds: letter.rounds,
      }),
    );
  }

  /** The findings for the fill-ins as typed, and the letter as it would read (htmx, while typing): nothing saved. */
  @ConsolePage()
  @Post(':id/check')
  @HttpCode(200)
  async liveCheck(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    await this.cases.assertAccess(request.principal, await this.letters.caseOf(id));
    const draft = await this.letters.checkDraft(id, fillIns(body));
    response.type('html').send(this.views.fragment('letter-check', { markup: draft.markup, check: this.check(draft) }));
  }

  @ConsolePage('handler', 'legal')
  @Post(':id/fill-ins')
  async save(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    await this.cases.assertAccess(request.principal, await this.letters.caseOf(id), 'act');
    await this.letters.updateFillIns(id, fillIns(body));
    response.redirect(303, `/staff/letters/${id}/review?done=saved`);
  }

  private check(draft: { findings: { rule: string; message: string }[]; risks: { code: string; severity: string; risk: string; authority: string; cure: string }[] }) {
    return {
      findings: draft.findings,
      blocking: draft.risks.filter((risk) => risk.severity === 'blocking').map((risk) => ({ ...risk, label: labelOf(RISK_TERMS, risk.code) })),
      warnings: draft.risks.filter((risk) => risk.severity === 'warning').map((risk) => ({ ...risk, label: labelOf(RISK_TERMS, risk.code) })),
    };
  }
}
