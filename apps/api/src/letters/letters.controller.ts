import { Body, Controller, Get, HttpCode, Param, Patch, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ClientAddress } from '../common/client-address';
import { ApiErrors } from '../common/error-response.dto';
import { Authenticated } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { invalid } from '../common/domain-error';
import { ValidateText } from '../common/validation';
import { CaseViewService } from '../cases/case-view.service';
import { LETTER_CONTENT, LetterReviewDto, LetterSummaryDto } from './dto/letter-views.dto';
import { LettersService, type LetterFormat } from './letters.service';

export class LetterFillInsDto {
  @ValidateText({ label: '理由', optional: true, max: 5000 }) reasons?: string;
  @ValidateText({ label: '提供的信息及方式', optional: true, max: 5000 }) provided?: string;
  @ValidateText({ label: '不予公开的部分', optional: true, max: 5000 }) withheld?: string;
  @ValidateText({ label: '联系人', optional: true, max: 50 }) contactPerson?: string;
  @ValidateText({ label: '联系电话', optional: true, max: 50 }) contactPhone?: string;
}

/** The applicant downloads the page or the PDF; staff also the Word file (docx) the office keeps and edits. */
export function letterFormat(format: string | undefined): 'html' | 'pdf' {
  if (format === undefined || format === 'html') return 'html';
  if (format === 'pdf') return 'pdf';
  throw invalid('文书格式应为网页（html）或 PDF（pdf）');
}

export function staffLetterFormat(format: string | undefined): LetterFormat {
  if (format === 'docx') return 'docx';
  if (format === undefined || format === 'html' || format === 'pdf') return letterFormat(format);
  throw invalid('文书格式应为网页（html）、PDF（pdf）或 Word（docx）');
}

export function sendLetter(response: Response, letter: { body: Buffer | string; contentType: string; filename: string; sha256: string | null }, download: boolean): void {
  response.setHeader('Content-Type', letter.contentType);
  if (letter.sha256) response.setHeader('X-Content-SHA256', letter.sha256);
  response.setHeader('Content-Disposition', `${download ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(letter.filename)}`);
  response.send(letter.body);
}

@ApiTags('letters')
@Controller('api')
export class LettersController {
  constructor(
    private readonly letters: LettersService,
    private readonly cases: CaseViewService,
  ) {}

  @Authenticated()
  @Get('cases/:id/letters')
  @ApiOperation({ summary: '案件的文书，按制作顺序' })
  @ApiParam({ name: 'id', description: '案件 id' })
  @ApiOkResponse({ type: [LetterSummaryDto] })
  @ApiErrors([404, '没有这个案件，或当前用户无权查看'])
  async forCase(@CurrentUser() principal: Principal, @Param('id') id: string) {
    await this.cases.assertAccess(principal, id);
    return this.letters.forCase(id);
  }

  @Authenticated()
  @Get('letters/:id')
  @ApiOperation({ summary: '文书：已出具的为出具时的原文（同样的字节、同样的 SHA-256），未出具的为草稿（记入个人信息访问日志）' })
  @ApiParam({ name: 'id', description: '文书编号' })
  @ApiQuery({ name: 'format', enum: ['html', 'pdf', 'docx'], required: false, description: '格式：html（默认）、pdf 或 docx（Word，与 PDF 文字相同；已出具的由出具时的原文生成）' })
  @ApiOkResponse({ description: '文书：网页、PDF 或 Word；已出具的附 X-Content-SHA256', content: LETTER_CONTENT })
  @ApiErrors([400, '格式应为 html、pdf 或 docx'], [404, '没有这份文书，或当前用户无权查看'])
  async content(
    @CurrentUser() principal: Principal,
    @Param('id') id: string,
    @Query('format') format: string | undefined,
    @ClientAddress() address: string,
    @Res() response: Response,
  ) {
    const kind = staffLetterFormat(format);
    await this.cases.recordAccess(principal, await this.letters.caseOf(id), { action: 'view_letter', detail: `${id} ${kind}`, address });
    sendLetter(response, await this.letters.content(id, kind), kind !== 'html');
  }

  /** The draft beside its findings and review rounds (合法性审查). */
  @Authenticated()
  @Get('letters/:id/review')
  @ApiOperation({ summary: '答复书的审核视图：填写部分、检查结果、败诉风险提示和审核记录（合法性审查）' })
  @ApiParam({ name: 'id', description: '文书编号' })
  @ApiOkResponse({ type: LetterReviewDto })
  @ApiErrors([404, '没有这份文书，或当前用户无权查看'])
  async review(@CurrentUser() principal: Principal, @Param('id') id: string) {
    await this.cases.assertAccess(principal, await this.letters.caseOf(id));
    return this.letters.reviewView(id);
  }

  @Authenticated({ roles: ['handler', 'legal'] })
  @Patch('letters/:id')
  @HttpCode(200)
  @ApiOperation({ summary: '修改答复书的填写部分（法定文字在模板中，不能修改）；只改所发送的字段' })
  @ApiParam({ name: 'id', description: '文书编号' })
  @ApiOkResponse({ description: '修改后的审核视图', type: LetterReviewDto })
  @ApiErrors(
    [400, '填写有误，或通知类文书不能修改'],
    [403, '当前用户不能办理这个案件（本部门只是协办，或角色不符）'],
    [404, '没有这份文书，或当前用户无权查看'],
    [409, '文书已签发或出具，或已通过法制审核，不能再修改'],
  )
  async updateFillIns(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: LetterFillInsDto) {
    await this.cases.assertAccess(principal, await this.letters.caseOf(id), 'act');
    await this.letters.updateFillIns(id, body);
    return this.letters.reviewView(id);
  }
}
