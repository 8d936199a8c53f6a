import { Body, Controller, Get, Header, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { letterFormat, sendLetter } from '../letters/letters.controller';
import { ApplicationsService } from '../applications/applications.service';
import { PublicApplicationDto } from '../applications/dto/application.dto';
import { Public } from '../auth/access.decorator';
import { ClientAddress } from '../common/client-address';
import { ProactiveService } from '../cases/proactive.service';
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
    private readonly verification: LetterVerificationService,
  ) {}

  /** 文书核验: what the agency issued under a letter's 验证码 (no personal data); throttled like tracking. */
  @Public()
  @Get('verify/:code')
  @ApiOperation({ summary: '凭文书上的验证码核验文书：出具机关、文号、日期、收件人类别和 PDF 的 SHA-256' })
  @ApiOkResponse({ type: VerifiedLetterDto })
  verify(@Param('code') code: string, @ClientAddress() address: string): Promise<VerifiedLetterDto> {
    return this.verification.verify(code, address);
  }

  /** 依申请公开转主动公开专栏: newest first, no applicant data. */
  @Public()
  @Get('proactive')
  @ApiQuery({ name: 'agency', required: false })
  proactiveList(@Query('agency') agency: string | undefined) {
    return this.proactive.publicList(typeof agency === 'string' ? agency : undefined);
  }

  @Public()
  @Post('applications')
  @ApiOperation({ summary: '在线提交政府信息公开申请（无需账号）' })
  @ApiCreatedResponse({ description: '{ caseNumber, queryCode }：请妥善保存，查询码只显示这一次' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '重试时使用同一个键和相同内容：返回同一案件编号和同一查询码，不会重复建案' })
  submit(@Body() body: PublicApplicationDto, @Headers('idempotency-key') key: string | undefined, @ClientAddress() address: string) {
    return this.applications.submitOnlineOnce(body, key, address);
  }

  @Public()
  @Get('applications/:caseNumber')
  @ApiOperation({ summary: '凭案件编号和查询码查询办理进度' })
  @ApiQuery({ name: 'queryCode', required: true })
  // Served ahead of Express by public-tracking.route.ts; this handler answers what that path passes on (HEAD, odd URLs).
  @Header('Cache-Control', 'no-store')
  track(@Param('caseNumber') caseNumber: string, @Query('queryCode') queryCode: string | undefined, @ClientAddress() address: string) {
    return this.tracking.track(caseNumber, typeof queryCode === 'string' ? queryCode : undefined, address);
  }

  @Public()
  @Get('applications/:caseNumber/letters/:letterId')
  @ApiOperation({ summary: '凭案件编号和查询码下载本机关出具的文书' })
  @ApiQuery({ name: 'queryCode', required: true })
  @ApiQuery({ name: 'format', enum: ['pdf', 'html'], required: false })
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
