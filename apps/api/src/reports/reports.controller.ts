import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, Roles } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { invalid } from '../common/domain-error';
import { ReportsService } from './reports.service';

const yearOf = (value: string) => {
  if (!/^\d{4}$/.test(value)) throw invalid(`年度应为四位数字，收到“${value}”`);
  return Number(value);
};

@ApiTags('reports')
@Controller('api/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

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
