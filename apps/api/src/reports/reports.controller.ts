import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { sendLetter } from '../letters/letters.controller';
import { ValidateEnum } from '../common/validation';
import { AnnualReportDocumentService } from './annual-report-document.service';
import { AnnualReportFillInsDto, AnnualReportFillInsResponseDto, ReportChecksResponseDto } from './dto/annual-report-document.dto';
import type { Response } from 'express';
import { Authenticated, Roles } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { invalid } from '../common/domain-error';
import { ReportsService } from './reports.service';

const yearOf = (value: string) => {
  if (!/^\d{4}$/.test(value)) throw invalid(`年度应为四位数字，收到“${value}”`);
  return Number(value);
};

export class ReportDocumentQueryDto {
  @ValidateEnum(['pdf', 'docx'], { label: '文件格式', optional: true, description: 'pdf（默认）或 docx' }) format?: 'pdf' | 'docx';
}

@ApiTags('reports')
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly documents: AnnualReportDocumentService,
  ) {}

  @Authenticated()
  @Get('annual/:year/fill-ins')
  @ApiOperation({ summary: '年度报告中由本机关填写的部分：二、主动公开情况表，五、存在的主要问题及改进情况，以及一、六中的文字' })
  @ApiOkResponse({ type: AnnualReportFillInsResponseDto })
  fillIns(@CurrentUser() principal: Principal, @Param('year') year: string): Promise<AnnualReportFillInsResponseDto> {
    return this.documents.fillIns(principal, yearOf(year));
  }

  @Roles('head', 'admin')
  @Put('annual/:year/fill-ins')
  @ApiOperation({ summary: '保存年度报告中由本机关填写的部分（整体替换）；已锁定的年度不能修改' })
  @ApiOkResponse({ type: AnnualReportFillInsResponseDto })
  saveFillIns(@CurrentUser() principal: Principal, @Param('year') year: string, @Body() body: AnnualReportFillInsDto): Promise<AnnualReportFillInsResponseDto> {
    return this.documents.saveFillIns(principal, yearOf(year), body);
  }

  @Authenticated()
  @Get('annual/:year/checks')
  @ApiOperation({ summary: '导出前的检查：各项勾稽关系（逐单元格，附背后的案件）和尚未填写的部分' })
  @ApiOkResponse({ type: ReportChecksResponseDto })
  checks(@CurrentUser() principal: Principal, @Param('year') year: string): Promise<ReportChecksResponseDto> {
    return this.documents.checks(principal, yearOf(year));
  }

  @Authenticated()
  @Get('annual/:year/document')
  @ApiOperation({ summary: '年度报告全文（六个部分，国办公开办函〔2021〕30号格式），PDF 或 Word；勾稽关系不成立或缺少填写部分时 409' })
  @ApiProduces('application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
  @ApiOkResponse({ description: '年度报告（PDF 或 Word）', schema: { type: 'string', format: 'binary' } })
  async document(@CurrentUser() principal: Principal, @Param('year') year: string, @Query() query: ReportDocumentQueryDto, @Res() response: Response) {
    sendLetter(response, await this.documents.document(principal, yearOf(year), query.format ?? 'pdf'), true);
  }

  @Authenticated()
  @Get('annual/:year')
  @ApiOperation({ summary: '年度报告第三、四部分；?format=xlsx|html 按全国统一格式' })
  @ApiQuery({ name: 'format', enum: ['json', 'xlsx', 'html'], required: false })
  async annual(@CurrentUser() principal: Principal, @Param('year') year: string, @Query('format') format: string | undefined, @Res() response: Response) {
    const value = yearOf(year);
    if (format === 'xlsx') {
      response.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${value}年政府信息公开年度报告.xlsx`)}`);
      response.send(await this.reports.xlsx(principal, value));
    } else if (format === 'html') {
      response.type('html').send(await this.reports.html(principal, value));
    } else if (format === undefined || format === 'json') {
      response.json(await this.reports.annual(principal, value));
    } else {
      throw invalid('format 应为 json、xlsx 或 html');
    }
  }

  @Authenticated()
  @Get('annual/:year/drilldown')
  @ApiOperation({ summary: '单元格背后的案件：cell=行|列，如 withheld.process_info|natural_person；争议为 disputes.review|corrected' })
  drillDown(@CurrentUser() principal: Principal, @Param('year') year: string, @Query('cell') cell: string | undefined) {
    if (typeof cell !== 'string' || !cell) throw invalid('请指定单元格（行|列）');
    return this.reports.drillDown(principal, yearOf(year), cell);
  }

  @Roles('head', 'admin')
  @Post('annual/:year/lock')
  @HttpCode(200)
  lock(@CurrentUser() principal: Principal, @Param('year') year: string) {
    return this.reports.lock(principal, yearOf(year));
  }

  @Authenticated()
  @Get('rates')
  @ApiOperation({ summary: '纠错率、败诉率、逾期率、答复用时中位数、办理结果构成，按年度和部门' })
  rates(@CurrentUser() principal: Principal, @Query('from') from: string | undefined, @Query('to') to: string | undefined) {
    const end = to ? yearOf(to) : Number(new Date().getFullYear());
    return this.reports.rates(principal, from ? yearOf(from) : end, end);
  }
}
