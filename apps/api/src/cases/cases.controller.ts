import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { sendLetter } from '../letters/letters.controller';
import { Authenticated, Roles } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { ClientAddress } from '../common/client-address';
import { ApiErrors } from '../common/error-response.dto';
import { ValidateBoolean, ValidateDate, ValidateEnum, ValidateInt, ValidateText } from '../common/validation';
import { CaseViewService } from './case-view.service';
import { ApplicantPersonalDataDto, CaseListDto, CaseViewDto } from './dto/case-views.dto';
import { DOCUMENT_FORMAT_TERMS } from '@desk/vocabulary';
import { CERTIFIED_METHOD_TERMS, ServiceCertificateService, type CertifiedMethod } from './service-certificate.service';
import { EVENT_BODY_SCHEMA } from './event-openapi';
import { CURSOR_LABEL } from './queue-order';

export class CaseListQueryDto {
  @ValidateText({ label: '状态', optional: true, max: 60, description: '状态，如 handling（含其子状态）或 decided.legalReview' }) state?: string;
  @ValidateDate({ label: '答复期限不晚于', optional: true, description: '答复期限不晚于该日的未办结案件' }) due_before?: string;
  @ValidateBoolean({ label: '只看已逾期', optional: true, description: '只看已逾期的未办结案件' }) overdue?: boolean;
  @ValidateText({ label: '承办部门', optional: true, max: 100, description: '承办部门（id 或名称）' }) department?: string;
  @ValidateText({ label: '查找', optional: true, max: 100, description: '案件编号、申请人或申请内容中的文字（至少三个字），或申请人的完整证件号码；一两个字只查申请人姓名的开头（如姓氏）' }) q?: string;
  @ValidateInt({ label: '页码', optional: true, min: 1, max: 100000, default: 1, description: '页码；与 cursor 同用时不用于查找，只原样返回（调用方自己数的页码）' }) page?: number;
  @ValidateText({
    label: CURSOR_LABEL,
    optional: true,
    max: 400,
    description: '翻页位置：上一次回答的 nextCursor（下一页）或 previousCursor（上一页）。按位置翻页不会因前面的案件变化而漏掉或重复案件，翻得再深也一样快；用 page 翻到深处则越翻越慢',
  })
  cursor?: string;
  @ValidateInt({ label: '每页条数', optional: true, min: 1, max: 200, default: 20 }) pageSize?: number;
}

export class RevealPersonalDataQueryDto {
  @ValidateText({ label: '用途', description: '用途，如“领取答复时核验身份”', min: 2, max: 200 }) reason!: string;
}

export class ServiceCertificateQueryDto {
  @ValidateEnum(CERTIFIED_METHOD_TERMS, { label: '送达方式', optional: true, description: '尚未记录送达时打印的送达方式：direct（直接送达，默认）或 delegated（委托送达）' })
  method?: CertifiedMethod;
  @ValidateEnum(DOCUMENT_FORMAT_TERMS, { label: '文件格式', optional: true, description: 'pdf（默认）或 docx' }) format?: 'pdf' | 'docx';
}

@ApiTags('cases')
@Controller('api/cases')
export class CasesController {
  constructor(
    private readonly cases: CaseViewService,
    private readonly certificates: ServiceCertificateService,
  ) {}

  @Roles('intake', 'handler', 'legal', 'head')
  @Get(':id/service-certificate')
  @ApiOperation({ summary: '打印送达回证（直接送达、委托送达）：送达文书及文号、受送达人、地点、方式和签收栏；已记录送达的按记录打印' })
  @ApiOkResponse({ description: '送达回证（PDF 或 Word）', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } }, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors([400, '送达方式或文件格式有误'], [404, '没有这个案件，或当前用户无权查看'], [409, '本案尚未出具答复书，没有可送达的文书'])
  async serviceCertificate(@CurrentUser() principal: Principal, @Param('id') id: string, @Query() query: ServiceCertificateQueryDto, @ClientAddress() address: string, @Res() response: Response) {
    sendLetter(response, await this.certificates.certificate(principal, id, { method: query.method, format: query.format ?? 'pdf' }, address), true);
  }

  @Authenticated()
  @Get()
  @ApiOperation({ summary: '工作队列：按剩余工作日排序' })
  @ApiOkResponse({ type: CaseListDto })
  @ApiErrors(400)
  list(@CurrentUser() principal: Principal, @Query() query: CaseListQueryDto, @ClientAddress() address: string) {
    return this.cases.list(principal, {
      state: query.state,
      dueBefore: query.due_before,
      overdue: query.overdue,
      department: query.department,
      q: query.q,
      cursor: query.cursor,
      page: query.page ?? 1,
      pageSize: query.pageSize ?? 20,
    }, address);
  }

  @Authenticated()
  @Get(':id')
  @ApiOperation({ summary: '案件详情；证件号码和电话已脱敏，查看记入个人信息访问日志' })
  @ApiParam({ name: 'id', description: '案件 id' })
  @ApiOkResponse({ type: CaseViewDto })
  @ApiErrors([404, '没有这个案件，或当前用户无权查看'])
  view(@CurrentUser() principal: Principal, @Param('id') id: string, @ClientAddress() address: string) {
    return this.cases.view(principal, id, address);
  }

  // Those who deal with the applicant (desk, handler, legal, head); not the system administrator as such.
  @Roles('intake', 'handler', 'legal', 'head')
  @Get(':id/personal-data')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '查看申请人完整证件号码和电话：须说明用途（如核验身份、送达），记入个人信息访问日志' })
  @ApiParam({ name: 'id', description: '案件 id' })
  @ApiOkResponse({ type: ApplicantPersonalDataDto })
  @ApiErrors([400, '须说明用途'], [404, '没有这个案件，或当前用户无权查看'])
  revealPersonalData(@CurrentUser() principal: Principal, @Param('id') id: string, @Query() query: RevealPersonalDataQueryDto, @ClientAddress() address: string) {
    return this.cases.revealPersonalData(principal, id, query.reason, address);
  }

  @Authenticated()
  @Post(':id/events')
  @HttpCode(200)
  @ApiOperation({ summary: '发送一个办理事件；availableEvents 列出现在可以发送的事件' })
  @ApiBody({
    schema: { $ref: `#/components/schemas/${EVENT_BODY_SCHEMA}` },
    examples: {
      ASSIGN: { value: { type: 'ASSIGN', handler: 'handler' } },
      REQUEST_SUPPLEMENT: { value: { type: 'REQUEST_SUPPLEMENT', at: '2025-09-29', items: ['请写明所需信息的文号或名称'] } },
      DECIDE: { value: { type: 'DECIDE', outcome: 'withheld.process_info', reasons: '所申请信息为讨论记录，属于过程性信息' } },
    },
  })
  @ApiParam({ name: 'id', description: '案件 id' })
  @ApiOkResponse({ description: '办理后的案件详情', type: CaseViewDto })
  @ApiErrors(
    [400, '请求体有误：缺少或填错了该事项的字段（以字段的中文名称说明），或字段之间互相矛盾'],
    [403, '当前用户的角色不能办理该事项，或本部门只是协办'],
    [404, '没有这个案件，或当前用户无权查看'],
    [409, '当前状态不允许该事项、应当在案的前提（检索记录、补正告知、征求意见等）尚未记录（逐项说明），或版本已过期'],
    [413, '请求内容过大'],
  )
  sendEvent(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: Record<string, unknown>, @ClientAddress() address: string) {
    return this.cases.sendEvent(principal, id, body, address);
  }
}
