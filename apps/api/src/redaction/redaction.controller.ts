import { Body, Controller, Delete, Get, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, Public } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { ClientAddress } from '../common/client-address';
import { invalid } from '../common/domain-error';
import { ApiErrors } from '../common/error-response.dto';
import { sendLetter } from '../letters/letters.controller';
import { AddRegionDto, CreateRedactionDto, RedactionDocumentDto } from './redaction.dto';
import { PublicRedactedCopyDto, PublicRedactedCopiesService } from './public-redacted-copies.service';
import { RedactionService } from './redaction.service';

const pageNumber = new ParseIntPipe({ exceptionFactory: () => invalid('页码应为正整数') });

/** 区分处理 (Art. 37): the handler's side. A page of the console drives it: pages with sizes and previews, regions, the copy. */
@ApiTags('redaction')
@Controller('api')
export class RedactionController {
  constructor(private readonly redactions: RedactionService) {}

  @Authenticated({ roles: ['handler'] })
  @Post('cases/:id/redactions')
  @ApiOperation({ summary: '对本案的一个 PDF 附件作区分处理（部分公开）：返回各页尺寸和预览图地址' })
  @ApiCreatedResponse({ type: RedactionDocumentDto })
  @ApiErrors([400, '拟公开的文件不是本案的附件，或不是可以打开的 PDF 文件'], [404, '没有这个案件，或当前用户无权查看'], [409, '案件不在办理中，或这个文件已经在作区分处理'])
  create(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: CreateRedactionDto): Promise<RedactionDocumentDto> {
    return this.redactions.create(principal, id, body.attachmentId);
  }

  @Authenticated()
  @Get('cases/:id/redactions')
  @ApiOperation({ summary: '本案区分处理的文件、遮盖区域和处理记录' })
  @ApiOkResponse({ type: [RedactionDocumentDto] })
  @ApiErrors([404, '没有这个案件，或当前用户无权查看'])
  forCase(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<RedactionDocumentDto[]> {
    return this.redactions.forCase(principal, id);
  }

  @Authenticated()
  @Get('redactions/:id')
  @ApiOperation({ summary: '区分处理的文件：各页尺寸和预览图地址、遮盖区域、处理记录和最近生成的部分公开文本' })
  @ApiOkResponse({ type: RedactionDocumentDto })
  @ApiErrors([404, '没有这个区分处理文件，或当前用户无权查看'])
  view(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<RedactionDocumentDto> {
    return this.redactions.view(principal, id);
  }

  @Authenticated()
  @Get('redactions/:id/pages/:page/preview')
  @ApiOperation({ summary: '原件一页的预览图（PNG，72 dpi：1 像素 = 1 点），供标记遮盖区域' })
  @ApiOkResponse({ description: 'PNG', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors([400, '页码应为正整数'], [404, '没有这个区分处理文件或这一页，或当前用户无权查看'])
  async preview(@CurrentUser() principal: Principal, @Param('id') id: string, @Param('page', pageNumber) page: number, @Res() response: Response) {
    const png = await this.redactions.preview(principal, id, page);
    response.type('png').setHeader('Cache-Control', 'no-store').send(png);
  }

  @Authenticated({ roles: ['handler'] })
  @Post('redactions/:id/regions')
  @ApiOperation({ summary: '标记一个不予公开的区域：页码、矩形（PDF 点，自左上角）、理由（第十四条至第十六条）' })
  @ApiCreatedResponse({ type: RedactionDocumentDto })
  @ApiErrors([400, '页码、矩形或理由填写有误，或区域超出了页面'], [404, '没有这个区分处理文件，或当前用户无权查看'], [409, '案件不在办理中，遮盖标记不能再改动'])
  addRegion(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: AddRegionDto): Promise<RedactionDocumentDto> {
    return this.redactions.addRegion(principal, id, body);
  }

  @Authenticated({ roles: ['handler'] })
  @Delete('redactions/:id/regions/:regionId')
  @ApiOperation({ summary: '撤销一个遮盖区域（处理记录保留，注明撤销人和时间）' })
  @ApiOkResponse({ type: RedactionDocumentDto })
  @ApiErrors([404, '没有这个区分处理文件或遮盖区域'], [409, '案件不在办理中，遮盖标记不能再改动'])
  removeRegion(@CurrentUser() principal: Principal, @Param('id') id: string, @Param('regionId') regionId: string): Promise<RedactionDocumentDto> {
    return this.redactions.removeRegion(principal, id, regionId);
  }

  @Authenticated({ roles: ['handler'] })
  @Post('redactions/:id/copy')
  @ApiOperation({ summary: '生成部分公开文本：有标记的页面栅格化，遮盖区域烧入图像并注明理由' })
  @ApiCreatedResponse({ type: RedactionDocumentDto })
  @ApiErrors([404, '没有这个区分处理文件，或当前用户无权查看'], [409, '还没有标记不予公开的区域，或案件不在办理中'])
  produce(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<RedactionDocumentDto> {
    return this.redactions.produce(principal, id);
  }

  @Authenticated()
  @Get('redactions/:id/copy')
  @ApiOperation({ summary: '下载最近生成的部分公开文本（PDF）' })
  @ApiOkResponse({ description: '最近生成的部分公开文本（PDF）', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors([404, '没有这个区分处理文件，或还没有生成部分公开文本'])
  async copy(@CurrentUser() principal: Principal, @Param('id') id: string, @ClientAddress() address: string, @Res() response: Response) {
    sendLetter(response, await this.redactions.copy(principal, id, address), true);
  }
}

/**
 * The applicant's side, kept apart from the public letters: the 部分公开 copies disclosed with an issued reply, where
 * the applicant chose online delivery. Never the original: these routes read redaction_copies alone.
 */
@ApiTags('public')
@Controller('api/public/applications')
export class PublicRedactedCopiesController {
  constructor(private readonly copies: PublicRedactedCopiesService) {}

  @Public()
  @Get(':caseNumber/redacted-copies')
  @ApiOperation({ summary: '凭案件编号和查询码列出随答复书提供的部分公开文本（申请人选择网上获取的）' })
  @ApiQuery({ name: 'queryCode', required: true, description: '查询码（接收回执上）' })
  @ApiOkResponse({ type: [PublicRedactedCopyDto] })
  @ApiErrors([400, '案件编号或查询码含有无法识别的字符'], [404, '案件编号或查询码不正确（与没有这个案件的答复相同）'], [429, '查询失败次数过多，请稍后再试'])
  list(@Param('caseNumber') caseNumber: string, @Query('queryCode') queryCode: string | undefined, @ClientAddress() address: string): Promise<PublicRedactedCopyDto[]> {
    return this.copies.list(caseNumber, typeof queryCode === 'string' ? queryCode : undefined, address);
  }

  @Public()
  @Get(':caseNumber/redacted-copies/:copyId')
  @ApiOperation({ summary: '凭案件编号和查询码下载部分公开文本（PDF）' })
  @ApiQuery({ name: 'queryCode', required: true, description: '查询码（接收回执上）' })
  @ApiOkResponse({ description: '部分公开文本（PDF）', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors([400, '案件编号或查询码含有无法识别的字符'], [404, '案件编号或查询码不正确，或没有这份文件'], [429, '查询失败次数过多，请稍后再试'])
  async download(@Param('caseNumber') caseNumber: string, @Param('copyId') copyId: string, @Query('queryCode') queryCode: string | undefined, @ClientAddress() address: string, @Res() response: Response) {
    sendLetter(response, await this.copies.download(caseNumber, typeof queryCode === 'string' ? queryCode : undefined, address, copyId), true);
  }
}
