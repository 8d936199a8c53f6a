import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ForApiClients } from '../auth/access.decorator';
import { CurrentApiClient, type ApiClientPrincipal } from '../auth/principal';
import { ApiErrors } from '../common/error-response.dto';
import { letterFormat, sendLetter } from '../letters/letters.controller';
import { PlatformApplicationDto, PlatformCallbackDto, PlatformCaseDto, PlatformImportResultDto } from './dto/platform.dto';
import { PlatformCaseService } from './platform-case.service';
import { PlatformImportService } from './platform-import.service';

/** What the platforms' API clients call (README "Integration guide"); staff tokens are refused here. */
@ApiTags('integration')
@ApiExtraModels(PlatformCallbackDto)
@Controller('api/integration')
export class IntegrationController {
  constructor(
    private readonly imports: PlatformImportService,
    private readonly cases: PlatformCaseService,
  ) {}

  @ForApiClients('applications:import')
  @Post('applications')
  @ApiOperation({ summary: '转入申请人在平台提交的申请；同一平台申请编号重复转入返回同一案件' })
  @ApiCreatedResponse({ type: PlatformImportResultDto })
  @ApiErrors(
    [400, '填写有误（逐项说明），或受理机关不在本系统中'],
    [409, '同一平台申请编号的申请正在转入，请稍后重试'],
    [413, '请求内容或附件过大'],
    [422, '这个平台申请编号已转入，但本次内容与已转入的申请不同'],
  )
  importApplication(@CurrentApiClient() client: ApiClientPrincipal, @Body() body: PlatformApplicationDto): Promise<PlatformImportResultDto> {
    return this.imports.importOnce(client, body);
  }

  @ForApiClients('cases:status')
  @Get('applications/:externalRef')
  @ApiOperation({ summary: '本平台转入的申请的办理进度' })
  @ApiOkResponse({ type: PlatformCaseDto })
  @ApiErrors([404, '本平台没有转入这个编号的申请'])
  status(@CurrentApiClient() client: ApiClientPrincipal, @Param('externalRef') externalRef: string): Promise<PlatformCaseDto> {
    return this.cases.status(client, externalRef);
  }

  @ForApiClients('cases:status')
  @Get('applications/:externalRef/letters/:letterId')
  @ApiOperation({ summary: '下载出具给申请人的文书' })
  @ApiQuery({ name: 'format', enum: ['pdf', 'html'], required: false, description: '文书格式，默认 PDF' })
  @ApiOkResponse({ description: '文书（PDF 或网页）；X-Content-SHA256 为出具时冻结的 PDF 摘要', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } }, 'text/html': { schema: { type: 'string' } } } })
  @ApiErrors([400, '文书格式应为 PDF 或网页'], [404, '本平台没有转入这个编号的申请，或没有这份文书'])
  async letter(
    @CurrentApiClient() client: ApiClientPrincipal,
    @Param('externalRef') externalRef: string,
    @Param('letterId') letterId: string,
    @Query('format') format: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const kind = letterFormat(format ?? 'pdf');
    sendLetter(response, await this.cases.letter(client, externalRef, letterId, kind), kind === 'pdf');
  }
}
