import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { sendLetter } from '../letters/letters.controller';
import { DOCUMENT_FORMAT_TERMS } from '@desk/vocabulary';
import { ValidateEnum } from '../common/validation';
import { AnnualReportDocumentService } from './annual-report-document.service';
import { AnnualReportFillInsDto, AnnualReportFillInsResponseDto, ReportChecksResponseDto } from './dto/annual-report-document.dto';
import type { Response } from 'express';
import { AnyStaffRole, Roles } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { invalid } from '../common/domain-error';
import { ApiErrors } from '../common/error-response.dto';
import { AnnualReportDto, DrillDownCaseDto, DrillDownDisputeDto, RatesDto } from './dto/report-views.dto';
import { ReportsService } from './reports.service';

const yearOf = (value: string) => {
  if (!/^\d{4}$/.test(value)) throw invalid(`年度应为四位数字，收到“${value}”`);
  return Number(value);
};

const YEAR = { name: 'year', description: '年度（四位数字，2019 至今年）', example: '2025' };

export class ReportDocumentQueryDto {
  @ValidateEnum(DOCUMENT_FORMAT_TERMS, { label: '文件格式', optional: true, description: 'pdf（默认）或 docx' }) format?: 'pdf' | 'docx';
}

@ApiTags('reports')
@ApiExtraModels(AnnualReportDto, DrillDownCaseDto, DrillDownDisputeDto)
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly documents: AnnualReportDocumentService,
  ) {}

  @AnyStaffRole()
  @Get('annual/:year/fill-ins')
  @ApiOperation({ summary: '年度报告中由本机关填写的部分：二、主动公开情况表，五、存在的主要问题及改进情况，以及一、六中的文字' })
  @ApiParam(YEAR)
  @ApiOkResponse({ type: AnnualReportFillInsResponseDto })
  @ApiErrors([400, '年度有误'])
  fillIns(@CurrentUser() principal: Principal, @Param('year') year: string): Promise<AnnualReportFillInsResponseDto> {
    return this.documents.fillIns(principal, yearOf(year));
  }

  @Roles('head', 'admin')
  @Put('annual/:year/fill-ins')
  @ApiOperation({ summary: '保存年度报告中由本机关填写的部分（整体替换）；已锁定的年度不能修改' })
  @ApiParam(YEAR)
  @ApiOkResponse({ type: AnnualReportFillInsResponseDto })
  @ApiErrors([400, '年度有误，或填写有误（逐项说明）'], [409, '该年度报告已发布并锁定，不能再修改'])
  saveFillIns(@CurrentUser() principal: Principal, @Param('year') year: string, @Body() body: AnnualReportFillInsDto): Promise<AnnualReportFillInsResponseDto> {
    return this.documents.saveFillIns(principal, yearOf(year), body);
  }

  @AnyStaffRole()
  @Get('annual/:year/checks')
  @ApiOperation({ summary: '导出前的检查：各项勾稽关系（逐单元格，附背后的案件）和尚未填写的部分' })
  @ApiParam(YEAR)
  @ApiOkResponse({ type: ReportChecksResponseDto })
  @ApiErrors([400, '年度有误'])
  checks(@CurrentUser() principal: Principal, @Param('year') year: string): Promise<ReportChecksResponseDto> {
    return this.documents.checks(principal, yearOf(year));
  }

  @AnyStaffRole()
  @Get('annual/:year/document')
  @ApiOperation({ summary: '年度报告全文（六个部分，国办公开办函〔2021〕30号格式），PDF 或 Word；勾稽关系不成立或缺少填写部分时 409' })
  @ApiParam(YEAR)
  @ApiOkResponse({ description: '年度报告（PDF 或 Word）', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } }, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors([400, '年度或文件格式有误'], [409, '勾稽关系不成立，或尚缺本机关填写的部分'])
  async document(@CurrentUser() principal: Principal, @Param('year') year: string, @Query() query: ReportDocumentQueryDto, @Res() response: Response) {
    sendLetter(response, await this.documents.document(principal, yearOf(year), query.format ?? 'pdf'), true);
  }

  @AnyStaffRole()
  @Get('annual/:year')
  @ApiOperation({ summary: '年度报告第三、四部分；?format=xlsx|html 按全国统一格式' })
  @ApiParam(YEAR)
  @ApiQuery({ name: 'format', enum: ['json', 'xlsx', 'html'], required: false, description: '格式：json（默认）、xlsx（电子表格）或 html（网页）' })
  @ApiOkResponse({
    description: '年度报告：JSON，或按全国统一格式排版的电子表格、网页',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AnnualReportDto) } },
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
      'text/html': { schema: { type: 'string' } },
    },
  })
  @ApiErrors([400, '年度或格式有误'])
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
      throw invalid('格式 应为 JSON、Excel 表格（xlsx）或网页（html）之一');
    }
  }

  @AnyStaffRole()
  @Get('annual/:year/drilldown')
  @ApiOperation({ summary: '单元格背后的案件：cell=行|列，如 withheld.process_info|natural_person；争议为 disputes.review|corrected' })
  @ApiParam(YEAR)
  @ApiQuery({ name: 'cell', required: true, description: '单元格：行|列，如 withheld.process_info|natural_person；第四部分为 disputes.组|栏，如 disputes.review|corrected' })
  @ApiOkResponse({
    description: '单元格背后的案件（第四部分为争议），只列当前用户可以看到的',
    schema: { type: 'array', items: { oneOf: [{ $ref: getSchemaPath(DrillDownCaseDto) }, { $ref: getSchemaPath(DrillDownDisputeDto) }] } },
  })
  @ApiErrors([400, '年度有误或没有这个单元格'])
  drillDown(@CurrentUser() principal: Principal, @Param('year') year: string, @Query('cell') cell: string | undefined) {
    if (typeof cell !== 'string' || !cell) throw invalid('请指定单元格（行|列）');
    return this.reports.drillDown(principal, yearOf(year), cell);
  }

  @Roles('head', 'admin')
  @Post('annual/:year/lock')
  @HttpCode(200)
  @ApiOperation({ summary: '锁定已发布的年度报告：该年度的记录不能再修改' })
  @ApiParam(YEAR)
  @ApiOkResponse({ description: '锁定后的年度报告', type: AnnualReportDto })
  @ApiErrors([400, '年度有误'], [409, '勾稽关系不成立，或年度尚未结束'])
  lock(@CurrentUser() principal: Principal, @Param('year') year: string) {
    return this.reports.lock(principal, yearOf(year));
  }

  @AnyStaffRole()
  @Get('rates')
  @ApiOperation({ summary: '纠错率、败诉率、逾期率、答复用时中位数、办理结果构成，按年度和部门' })
  @ApiQuery({ name: 'from', required: false, description: '起始年度（默认同截止年度）' })
  @ApiQuery({ name: 'to', required: false, description: '截止年度（默认今年）' })
  @ApiOkResponse({ type: RatesDto })
  @ApiErrors([400, '年度有误，或跨度超过 20 年'])
  rates(@CurrentUser() principal: Principal, @Query('from') from: string | undefined, @Query('to') to: string | undefined) {
    const end = to ? yearOf(to) : Number(new Date().getFullYear());
    return this.reports.rates(principal, from ? yearOf(from) : end, end);
  }
}
