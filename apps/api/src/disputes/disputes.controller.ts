import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Response } from 'express';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { ClientAddress } from '../common/client-address';
import { LOGGER } from '../common/tokens';
import { Authenticated, Roles } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { ValidateDate, ValidateEnum, ValidateText } from '../common/validation';
import { DisputesService } from './disputes.service';
import { EvidenceBundleService } from './evidence-bundle.service';

export class NewDisputeDto {
  @ValidateEnum(['review', 'litigation'], { description: 'review：行政复议；litigation：行政诉讼' }) kind!: 'review' | 'litigation';
  @ApiPropertyOptional({ description: '行政诉讼是否为复议后起诉' }) @IsOptional() @IsBoolean({ message: 'afterReview 应为 true 或 false' }) afterReview?: boolean;
  @ValidateDate({ description: '申请或起诉日期' }) filedAt!: string;
  @ValidateText({ max: 200, description: '复议机关或人民法院', example: '上海市某区人民政府' }) body!: string;
  @ValidateText({ optional: true, max: 200, description: '案号' }) reference?: string;
  @ValidateEnum(['first', 'second', 'retrial'], { optional: true, description: '审级：一审、二审、再审' }) instance?: 'first' | 'second' | 'retrial';
  @ApiPropertyOptional({ description: '前一审级的争议编号（二审、再审）' }) @IsOptional() @IsUUID('4', { message: 'parentId 应为争议编号' }) parentId?: string;
  @ValidateDate({ optional: true, description: '本机关收到复议申请书副本或起诉状副本之日（答复期限的起算日）' }) servedAt?: string;
  @ApiPropertyOptional({ description: '行政复议简易程序（答复期限5个工作日）' }) @IsOptional() @IsBoolean() simplified?: boolean;
}

export class DisputeResultDto {
  @ValidateEnum(['upheld', 'corrected', 'other'], { description: 'upheld：结果维持；corrected：结果纠正；other：其他结果' }) result!: 'upheld' | 'corrected' | 'other';
  @ValidateDate({ description: '决定或判决日期' }) decidedAt!: string;
  @ApiProperty({ description: '是否责令重新答复（将重新办理案件）' }) @IsBoolean({ message: 'ordersNewReply 应为 true 或 false' }) ordersNewReply!: boolean;
  @ValidateText({ optional: true, max: 200, description: '决定书或判决书文号' }) reference?: string;
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
  create(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: NewDisputeDto) {
    return this.disputes.create(principal, id, body);
  }

  @Authenticated()
  @Get('cases/:id/disputes')
  forCase(@CurrentUser() principal: Principal, @Param('id') id: string) {
    return this.disputes.forCase(principal, id);
  }

  @Authenticated()
  @Get('disputes')
  open(@CurrentUser() principal: Principal) {
    return this.disputes.open(principal);
  }

  @Authenticated()
  @Get('disputes/:id')
  byId(@CurrentUser() principal: Principal, @Param('id') id: string) {
    return this.disputes.byId(principal, id);
  }

  @Roles('legal')
  @Post('disputes/:id/result')
  @HttpCode(200)
  result(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: DisputeResultDto) {
    return this.disputes.recordResult(principal, id, body);
  }
}
