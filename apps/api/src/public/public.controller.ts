import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { letterFormat, sendLetter } from '../letters/letters.controller';
import { ApplicationsService } from '../applications/applications.service';
import { PublicApplicationDto } from '../applications/dto/application.dto';
import { Public } from '../auth/access.decorator';
import { ClientAddress } from '../common/client-address';
import { ApiErrors } from '../common/error-response.dto';
import { LETTER_CONTENT } from '../letters/dto/letter-views.dto';
import { OnlineSubmissionDto } from '../applications/dto/application-views.dto';
import { ProactiveEntryDto } from '../cases/dto/case-views.dto';
import { PublicCaseViewDto } from './dto/public-views.dto';
import { ProactiveService } from '../cases/proactive.service';
import { ApplicantCaseService } from '../portal/applicant-case.service';
import { ApplicantCaseViewDto, TrackingLookupDto } from './dto/tracking.dto';
import { PublicTrackingService } from './public-tracking.service';
import { VerifiedLetterDto } from './dto/verified-letter.dto';
import { LetterVerificationService } from './letter-verification.service';

@ApiTags('public')
@Controller('api/public')
export class PublicController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly tracking: PublicTrackingService,
    private readonly proactive: ProactiveService,
    private readonly applicant: ApplicantCaseService,
    private readonly verification: LetterVerificationService,
  ) {}

  /** 文书核验: what the agency issued under a letter's 验证码 (no personal data); throttled like tracking. */
  @Public()
  @Get('verify/:code')
  @ApiOperation({ summary: '凭文书上的验证码核验文书：出具机关、文号、日期、收件人类别和 PDF 的 SHA-256' })
  @ApiOkResponse({ type: VerifiedLetterDto })
  @ApiErrors([404, '没有这个验证码对应的文书'], [429, '核验失败次数过多，请稍后再试'])
  verify(@Param('code') code: string, @ClientAddress() address: string): Promise<VerifiedLetterDto> {
    return this.verification.verify(code, address);
  }

  /** 依申请公开转主动公开专栏: newest first, no applicant data. */
  @Public()
  @Get('proactive')
  @ApiOperation({ summary: '依申请公开转主动公开的信息，最新的在前；不含申请人信息' })
  @ApiQuery({ name: 'agency', required: false, description: '机关编码（市级平台上有多个机关时）' })
  @ApiOkResponse({ type: [ProactiveEntryDto] })
  proactiveList(@Query('agency') agency: string | undefined) {
    return this.proactive.publicList(typeof agency === 'string' ? agency : undefined);
  }

  @Public()
  @Post('applications')
  @ApiOperation({ summary: '在线提交政府信息公开申请（无需账号）' })
  @ApiCreatedResponse({ description: '{ caseNumber, queryCode }：请妥善保存，查询码只显示这一次', type: OnlineSubmissionDto })
  @ApiErrors(
    [400, '填写有误、没有这个受理机关，或 Idempotency-Key 格式不对'],
    [409, '同一申请正在提交中：请稍后用同一 Idempotency-Key 重试'],
    [413, '请求内容过大'],
    [422, '这个 Idempotency-Key 已用于另一份内容不同的申请'],
    [429, '同一网络地址提交过多，请一小时后再试'],
  )
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '重试时使用同一个键和相同内容：返回同一案件编号和同一查询码，不会重复建案' })
  submit(@Body() body: PublicApplicationDto, @Headers('idempotency-key') key: string | undefined, @ClientAddress() address: string) {
    return this.applications.submitOnlineOnce(body, key, address);
  }

  @Public()
  @Get('applications/:caseNumber')
  @ApiOperation({ summary: '凭案件编号和查询码查询办理进度' })
  @ApiParam({ name: 'caseNumber', description: '案件编号' })
  @ApiQuery({ name: 'queryCode', required: true, description: '查询码（接收回执上）' })
  @ApiOkResponse({ type: PublicCaseViewDto })
  @ApiErrors([400, '案件编号或查询码含有无法识别的字符'], [404, '案件编号或查询码不正确（与没有这个案件的答复相同）'], [429, '查询失败次数过多，请稍后再试'])
  // Served ahead of Express by public-tracking.route.ts; this handler answers what that path passes on (HEAD, odd URLs).
  @Header('Cache-Control', 'no-store')
  track(@Param('caseNumber') caseNumber: string, @Query('queryCode') queryCode: string | undefined, @ClientAddress() address: string) {
    return this.tracking.track(caseNumber, typeof queryCode === 'string' ? queryCode : undefined, address);
  }

  /**
   * The same lookup with the pair in the body (the 查询码 stays out of URLs), answering the applicant's page in plain
   * words: what happened, what happens next and why, and the letters and files by short-lived signed links.
   */
  @Public()
  @Post('tracking')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '凭案件编号和查询码查询办理进度（查询码放在请求正文中）：办理经过、下一步、答复期限的计算和文书下载链接' })
  @ApiOkResponse({ type: ApplicantCaseViewDto })
  @ApiErrors([400, '案件编号或查询码未填写或过长'], [404, '案件编号或查询码不正确（与案件不存在的回答相同）'], [429, '查询失败次数过多，请稍后再试'])
  async lookup(@Body() body: TrackingLookupDto, @ClientAddress() address: string): Promise<ApplicantCaseViewDto> {
    return (await this.applicant.open(body.caseNumber, body.queryCode, address)).view;
  }

  @Public()
  @Get('applications/:caseNumber/letters/:letterId')
  @ApiOperation({ summary: '凭案件编号和查询码下载本机关出具的文书' })
  @ApiParam({ name: 'caseNumber', description: '案件编号' })
  @ApiParam({ name: 'letterId', description: '文书编号（查询结果的 letters[].id）' })
  @ApiQuery({ name: 'queryCode', required: true, description: '查询码（接收回执上）' })
  @ApiQuery({ name: 'format', enum: ['pdf', 'html'], required: false, description: '格式：pdf（默认，下载）或 html' })
  @ApiOkResponse({ description: '出具的文书：PDF 或网页；X-Content-SHA256 为出具时的摘要', content: LETTER_CONTENT })
  @ApiErrors([400, '格式应为 pdf 或 html'], [404, '案件编号或查询码不正确，或没有这份文书'], [429, '查询失败次数过多，请稍后再试'])
  async letter(
    @Param('caseNumber') caseNumber: string,
    @Param('letterId') letterId: string,
    @Query('queryCode') queryCode: string | undefined,
    @Query('format') format: string | undefined,
    @ClientAddress() address: string,
    @Res() response: Response,
  ) {
    const kind = letterFormat(format ?? 'pdf');
    const letter = await this.tracking.letter(caseNumber, typeof queryCode === 'string' ? queryCode : undefined, address, letterId, kind);
    sendLetter(response, letter, kind === 'pdf');
  }
}
