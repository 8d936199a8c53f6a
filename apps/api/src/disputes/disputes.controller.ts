import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Response } from 'express';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ClientAddress } from '../common/client-address';
import { ApiErrors } from '../common/error-response.dto';
import { LOGGER } from '../common/tokens';
import { Authenticated, Roles } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { ValidateBoolean, ValidateDate, ValidateEnum, ValidateId, ValidateText } from '../common/validation';
import { DisputeDto } from './dto/dispute-views.dto';
import { DisputesService } from './disputes.service';
import { EvidenceBundleService } from './evidence-bundle.service';
import { DISPUTE_INSTANCE_TERMS, DISPUTE_KIND_TERMS, DISPUTE_RESULT_TERMS } from '@desk/vocabulary';

export class NewDisputeDto {
  @ValidateEnum(DISPUTE_KIND_TERMS, { label: '类别' }) kind!: 'review' | 'litigation';
  @ValidateBoolean({ label: '复议后起诉', optional: true, description: '行政诉讼是否为复议后起诉' }) afterReview?: boolean;
  @ValidateDate({ label: '申请或起诉日期' }) filedAt!: string;
  @ValidateText({ label: '复议机关或人民法院', max: 200, example: '上海市某区人民政府' }) body!: string;
  @ValidateText({ label: '案号', optional: true, max: 200 }) reference?: string;
  @ValidateEnum(DISPUTE_INSTANCE_TERMS, { label: '审级', optional: true }) instance?: 'first' | 'second' | 'retrial';
  @ValidateId({ label: '前一审级', optional: true, description: '前一审级的争议编号（二审、再审）' }) parentId?: string;
  @ValidateDate({ label: '收到副本之日', optional: true, description: '本机关收到复议申请书副本或起诉状副本之日（答复期限的起算日）' }) servedAt?: string;
  @ValidateBoolean({ label: '简易程序', optional: true, description: '行政复议简易程序（答复期限5个工作日）' }) simplified?: boolean;
}

export class DisputeResultDto {
  @ValidateEnum(DISPUTE_RESULT_TERMS.filter((term) => term.code !== 'pending'), { label: '结果' }) result!: 'upheld' | 'corrected' | 'other';
  @ValidateDate({ label: '决定或判决日期' }) decidedAt!: string;
  @ValidateBoolean({ label: '责令重新答复', description: '是否责令重新答复（将重新办理案件）' }) ordersNewReply!: boolean;
  @ValidateText({ label: '决定书或判决书文号', optional: true, max: 200 }) reference?: string;
}

@ApiTags('disputes')
@Controller('api')
export class DisputesController {
  constructor(
    private readonly disputes: DisputesService,
    private readonly evidence: EvidenceBundleService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** 证据材料: one ZIP with a PDF index, in the order a court reads them. */
  @Roles('legal', 'head')
  @Get('disputes/:id/evidence')
  @ApiOperation({ summary: '证据材料：一个 ZIP，附 PDF 目录，按法院阅卷的顺序（记入个人信息访问日志）' })
  @ApiParam({ name: 'id', description: '争议编号' })
  @ApiOkResponse({ description: 'ZIP 文件', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors([404, '没有这个行政复议或诉讼，或当前用户无权查看'])
  async bundle(@CurrentUser() principal: Principal, @Param('id') id: string, @ClientAddress() address: string, @Res() response: Response) {
    const bundle = await this.evidence.bundle(principal, id, address);
    response.setHeader('Content-Type', 'application/zip');
    response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(bundle.filename)}`);
    // Streamed: once the first bytes are out, a failure can only cut the download short (the client sees it incomplete).
    await bundle.writeTo(response).catch((error: unknown) => {
      if (!response.headersSent) throw error;
      this.logger.error({ err: error, disputeId: id }, 'evidence bundle: cut short');
      response.destroy();
    });
  }

  @Roles('legal')
  @Post('cases/:id/disputes')
  @ApiOperation({ summary: '登记案件的行政复议或行政诉讼；收到副本之日起算本机关答复或举证的期限' })
  @ApiParam({ name: 'id', description: '案件 id' })
  @ApiCreatedResponse({ type: DisputeDto })
  @ApiErrors(400, [404, '没有这个案件（或前一审级），或当前用户无权查看'])
  create(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: NewDisputeDto) {
    return this.disputes.create(principal, id, body);
  }

  @Authenticated()
  @Get('cases/:id/disputes')
  @ApiOperation({ summary: '案件的行政复议和诉讼' })
  @ApiParam({ name: 'id', description: '案件 id' })
  @ApiOkResponse({ type: [DisputeDto] })
  @ApiErrors([404, '没有这个案件，或当前用户无权查看'])
  forCase(@CurrentUser() principal: Principal, @Param('id') id: string) {
    return this.disputes.forCase(principal, id);
  }

  @Authenticated()
  @Get('disputes')
  @ApiOperation({ summary: '尚未审结的行政复议和诉讼，答复期限近的在前' })
  @ApiOkResponse({ type: [DisputeDto] })
  open(@CurrentUser() principal: Principal) {
    return this.disputes.open(principal);
  }

  @Authenticated()
  @Get('disputes/:id')
  @ApiOperation({ summary: '一件行政复议或诉讼' })
  @ApiParam({ name: 'id', description: '争议编号' })
  @ApiOkResponse({ type: DisputeDto })
  @ApiErrors([404, '没有这个行政复议或诉讼，或当前用户无权查看'])
  byId(@CurrentUser() principal: Principal, @Param('id') id: string) {
    return this.disputes.byId(principal, id);
  }

  @Roles('legal')
  @Post('disputes/:id/result')
  @HttpCode(200)
  @ApiOperation({ summary: '记录复议决定或判决的结果；结果纠正并责令重新答复的，案件随即重新办理' })
  @ApiParam({ name: 'id', description: '争议编号' })
  @ApiOkResponse({ type: DisputeDto })
  @ApiErrors(400, [404, '没有这个行政复议或诉讼，或当前用户无权查看'], [409, '已记录结果，或案件不能重新办理'])
  result(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: DisputeResultDto) {
    return this.disputes.recordResult(principal, id, body);
  }
}
