import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { PERSONAL_DATA_ACTION_TERMS } from '@desk/vocabulary';
import { ApiErrors } from '../common/error-response.dto';
import { ValidateDate, ValidateEnum, ValidateInt, ValidateText } from '../common/validation';
import { PersonalDataAccessPageDto } from './dto/personal-data-views.dto';
import { PersonalDataAuditService } from './personal-data-audit.service';

export class PersonalDataAccessQueryDto {
  @ValidateText({ label: '案件编号', optional: true, max: 100, description: '案件编号的全部或一部分' }) caseNumber?: string;
  @ValidateText({ label: '用户名', optional: true, max: 100 }) username?: string;
  @ValidateEnum(PERSONAL_DATA_ACTION_TERMS, { label: '操作', optional: true }) action?: string;
  @ValidateDate({ label: '起始日期', optional: true, description: '自该日（含）' }) from?: string;
  @ValidateDate({ label: '截止日期', optional: true, description: '至该日（含）' }) to?: string;
  @ValidateInt({ label: '页码', optional: true, min: 1, max: 100000, default: 1 }) page?: number;
  @ValidateInt({ label: '每页条数', optional: true, min: 1, max: 500, default: 50 }) pageSize?: number;
}

@ApiTags('audit')
@Controller('api/audit')
export class PersonalDataAuditController {
  constructor(private readonly audit: PersonalDataAuditService) {}

  @Roles('admin')
  @Get('personal-data')
  @ApiOperation({ summary: '个人信息访问日志：谁在何时查看、导出了哪些案件的申请人信息' })
  @ApiOkResponse({ type: PersonalDataAccessPageDto })
  @ApiErrors(400)
  search(@CurrentUser() principal: Principal, @Query() query: PersonalDataAccessQueryDto) {
    return this.audit.search(principal, { ...query, page: query.page ?? 1, pageSize: query.pageSize ?? 50 });
  }
}
