import { Controller, Get, Query } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { Authenticated } from '../auth/access.decorator';
import { ValidateDate } from '../common/validation';
import { CalendarService } from './calendar.service';

export class WorkingDaysQueryDto {
  @ValidateDate({ description: '第 0 日（不计入）' }) from!: string;
  @ApiProperty({ description: '第几个工作日' }) @Type(() => Number) @IsInt({ message: 'add 应为整数' }) @Min(0) @Max(400) add!: number;
}

@ApiTags('calendar')
@Controller('api/calendar')
export class CalendarController {
  constructor(private readonly calendars: CalendarService) {}

  /** api.md: the N-th working day after `from`; provisional when it counts through an unpublished year. */
  @Authenticated()
  @Get('working-days')
  workingDays(@Query() query: WorkingDaysQueryDto) {
    return this.calendars.calendar().addWorkingDays(query.from, query.add);
  }
}
