import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Roles } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { ValidateDate } from '../common/validation';
import { PersonalDataAuditService } from './personal-data-audit.service';

export class PersonalDataAccessQueryDto {
  @ApiPropertyOptional({ description: '案件编号' }) @IsOptional() @IsString() @MaxLength(100) caseNumber?: string;
  @ApiPropertyOptional({ description: '用户名' }) @IsOptional() @IsString() @MaxLength(100) username?: string;
  @ValidateDate({ optional: true, description: '自该日（含）' }) from?: string;
  @ValidateDate({ optional: true, description: '至该日（含）' }) to?: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) pageSize?: number;
}

@ApiTags('audit')
@Controller('api/audit')
export class PersonalDataAuditController {
  constructor(private readonly audit: PersonalDataAuditService) {}

  @Roles('admin')
  @Get('personal-data')
  @ApiOperation({ summary: '个人信息访问日志：谁在何时查看、导出了哪些案件的申请人信息' })
  search(@CurrentUser() principal: Principal, @Query() query: PersonalDataAccessQueryDto) {
    return this.audit.search(principal, { ...query, page: query.page ?? 1, pageSize: query.pageSize ?? 50 });
  }
}
