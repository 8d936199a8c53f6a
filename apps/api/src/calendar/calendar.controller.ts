import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, ValidateNested } from 'class-validator';
import { Authenticated, Roles } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { invalid } from '../common/domain-error';
import { ApiErrors } from '../common/error-response.dto';
import { Label, ValidateBoolean, ValidateDate, ValidateInt, ValidateText } from '../common/validation';
import { CalendarAdminService } from './calendar-admin.service';
import { CalendarService } from './calendar.service';
import { CalendarChangeDto, CalendarYearChangeDto, CalendarYearViewDto, WorkingDateDto } from './dto/calendar-views.dto';

export class WorkingDaysQueryDto {
  @ValidateDate({ label: '起算日', description: '第 0 日（不计入）' }) from!: string;
  @ValidateInt({ label: '工作日数', min: 0, max: 400, description: '第几个工作日' }) add!: number;
}

export class CalendarDayDto {
  @ValidateDate({ label: '日期' }) date!: string;
  @ValidateText({ label: '名称', max: 40, example: '春节' }) name!: string;
}

/** A year's State Council notice (《国务院办公厅关于20XX年部分节假日安排的通知》). */
export class CalendarYearDto {
  @ValidateBoolean({ label: '已正式发布', description: '是否已正式发布；未发布年份的期限计算标为“暂定”' }) published!: boolean;
  @ValidateText({ label: '通知文号和标题', max: 300 }) source!: string;
  @ApiProperty({ type: [CalendarDayDto], description: '放假的每一天（含假期中的周末）' })
  @Label('放假日期')
  @IsArray({ message: '放假日期 应为列表' })
  @ArrayMaxSize(120, { message: '放假日期 不能超过 120 天' })
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
  holidays!: CalendarDayDto[];
  @ApiProperty({ type: [CalendarDayDto], description: '调休上班的周末' })
  @Label('调休上班日期')
  @IsArray({ message: '调休上班日期 应为列表' })
  @ArrayMaxSize(30, { message: '调休上班日期 不能超过 30 天' })
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
  workdays!: CalendarDayDto[];
}

function parseYear(value: string): number {
  const year = Number(value);
  if (!/^\d{4}$/.test(value) || year < 2019 || year > 2100) throw invalid(`年份应为 2019 至 2100 之间的四位数字，收到“${value}”`);
  return year;
}

@ApiTags('calendar')
@Controller('api/calendar')
export class CalendarController {
  constructor(
    private readonly calendars: CalendarService,
    private readonly admin: CalendarAdminService,
  ) {}

  /** api.md: the N-th working day after `from`; provisional when it counts through an unpublished year. */
  @Authenticated()
  @Get('working-days')
  @ApiOperation({ summary: '起算日之后的第 N 个工作日（按法定节假日安排）' })
  @ApiOkResponse({ type: WorkingDateDto })
  @ApiErrors(400)
  workingDays(@Query() query: WorkingDaysQueryDto) {
    return this.calendars.calendar().addWorkingDays(query.from, query.add);
  }

  @Roles('admin')
  @Get('changes')
  @ApiOperation({ summary: '日历修改记录及期限重算结果' })
  @ApiOkResponse({ type: [CalendarChangeDto] })
  changes() {
    return this.admin.changes();
  }

  @Roles('admin')
  @Get(':year')
  @ApiOperation({ summary: '一年的节假日安排' })
  @ApiParam({ name: 'year', description: '年份（2019 至 2100）', example: '2026' })
  @ApiOkResponse({ type: CalendarYearViewDto })
  @ApiErrors([400, '年份有误'], [404, '该年的节假日安排尚未录入'])
  year(@Param('year') year: string) {
    return this.admin.year(parseYear(year));
  }

  @Roles('admin')
  @Put(':year')
  @ApiOperation({ summary: '录入或修改一年的节假日安排；所有未办结案件的期限在后台重算' })
  @ApiParam({ name: 'year', description: '年份（2019 至 2100）', example: '2026' })
  @ApiOkResponse({ type: CalendarYearChangeDto })
  @ApiErrors([400, '年份或安排有误（如日期不在该年、与其他年份重复）'])
  replaceYear(@CurrentUser() principal: Principal, @Param('year') year: string, @Body() body: CalendarYearDto) {
    return this.admin.replaceYear(principal, parseYear(year), body);
  }
}
