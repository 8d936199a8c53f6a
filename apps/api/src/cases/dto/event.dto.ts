import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  IsUUID,
  Matches,
  ValidateIf,
  ValidateNested,
  validateSync,
} from 'class-validator';
import {
  CONSULTATION_KINDS,
  CORRECTION_OUTCOME_CODES,
  CREATION_EVENT_TYPES,
  DECIDABLE_OUTCOMES,
  DISCLOSURE_MODES,
  WITHHOLDING_BASES,
  MAX_EXTENSION_WORKING_DAYS,
  type CaseEventType,
} from '@desk/case-workflow';
import { invalid } from '../../common/domain-error';
import { flattenValidationErrors, ValidateDate, ValidateEnum, ValidateText } from '../../common/validation';

/** Fields every event body may carry (api.md). */
export class EventBaseDto {
  @ApiProperty({ description: '事件类型' }) @IsString() type!: CaseEventType;
  @ValidateDate({ optional: true, description: '事情发生的日期；默认今天，不得晚于今天，不得早于上一事件' }) at?: string;
  @ApiPropertyOptional({ description: '乐观锁：读取时的版本号；不一致时 409' }) @IsOptional() @IsInt() @Min(1) version?: number;
}

export class ConfirmReceiptDto extends EventBaseDto {}

export class AssignDto extends EventBaseDto {
  @ValidateText({ max: 100, description: '承办人用户名', example: 'handler' }) handler!: string;
  @ValidateText({ optional: true, max: 500, description: '改派理由（已分办的案件改派时填写）' }) reason?: string;
}

export class RequestAssistanceDto extends EventBaseDto {
  @ValidateText({ max: 100, description: '协办部门（名称或编号）', example: '房屋管理科' }) department!: string;
  @ValidateText({ max: 2000, description: '请协办部门提供的内容' }) question!: string;
  @ValidateDate({ description: '协办部门答复的期限' }) dueDate!: string;
}

export class AnswerAssistanceDto extends EventBaseDto {
  @ApiProperty({ description: '协办请求编号（REQUEST_ASSISTANCE 事件中的 requestId）' }) @IsUUID('4', { message: 'requestId 应为协办请求编号' }) requestId!: string;
  @ValidateText({ max: 5000, description: '协办部门的答复' }) answer!: string;
}

export class RequestSupplementDto extends EventBaseDto {
  @ApiProperty({ type: [String], description: '需要补正的全部事项（第三十条：一次性告知）' })
  @IsArray({ message: 'items 应为补正事项列表' })
  @ArrayMinSize(1, { message: 'items 至少列出一项需要补正的内容' })
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true, message: '补正事项不能为空' })
  @MaxLength(500, { each: true })
  items!: string[];

  @ApiPropertyOptional({ description: '补正期限（工作日），默认按机关设置（15个工作日）' })
  @IsOptional()
  @IsInt({ message: 'periodWorkingDays 应为整数' })
  @Min(1, { message: 'periodWorkingDays 至少为 1 个工作日' })
  @Max(60, { message: 'periodWorkingDays 不宜超过 60 个工作日' })
  periodWorkingDays?: number;

  @ValidateDate({ optional: true, description: '申请人收到补正告知之日（补正期限的第 0 日）；默认为发出之日' }) noticeReceivedAt?: string;
}

export class ReceiveSupplementDto extends EventBaseDto {
  @ValidateText({ optional: true, max: 2000, description: '补正的内容摘要' }) summary?: string;
}

export class SupplementLapsedDto extends EventBaseDto {}

export class StartConsultationDto extends EventBaseDto {
  @ValidateEnum(CONSULTATION_KINDS, { description: 'third_party: 第三方（第三十二条）；agency: 其他机关（第三十四条）' }) kind!: 'third_party' | 'agency';
  @ValidateText({ max: 200, description: '被征求意见的第三方或机关', example: '某某置业有限公司' }) party!: string;
  @ValidateDate({ optional: true, description: '对方收到征求意见书之日（15个工作日的第 0 日）；默认为发出之日' }) partyReceivedAt?: string;
}

export class EndConsultationDto extends EventBaseDto {
  @ValidateEnum(['consent', 'objection', 'no_answer'], { optional: true, description: '同意、不同意、逾期未答复' })
  answer?: 'consent' | 'objection' | 'no_answer';
  @ValidateText({ optional: true, max: 2000, description: '意见及理由' }) summary?: string;
}

export class RequestExtensionDto extends EventBaseDto {
  @ApiProperty({ description: `申请延长的工作日数，至多 ${MAX_EXTENSION_WORKING_DAYS}` })
  @IsInt({ message: 'workingDays 应为整数' })
  @Min(1, { message: 'workingDays 至少为 1' })
  @Max(MAX_EXTENSION_WORKING_DAYS, { message: `延长期限最长不得超过 ${MAX_EXTENSION_WORKING_DAYS} 个工作日（第三十三条第二款）` })
  workingDays!: number;
  @ValidateText({ max: 2000, description: '申请延期的理由' }) reason!: string;
}

export class ExtendDto extends EventBaseDto {
  @ApiProperty({ description: `延长的工作日数，至多 ${MAX_EXTENSION_WORKING_DAYS}（第三十三条第二款）` })
  @IsInt({ message: 'workingDays 应为整数' })
  @Min(1, { message: 'workingDays 至少为 1' })
  @Max(MAX_EXTENSION_WORKING_DAYS, { message: `延长期限最长不得超过 ${MAX_EXTENSION_WORKING_DAYS} 个工作日（第三十三条第二款）` })
  workingDays!: number;
  @ValidateText({ max: 2000, description: '延期理由' }) reason!: string;
}

export class SendFeeNoticeDto extends EventBaseDto {
  @ValidateEnum(['per_item', 'per_page'], { description: '计收方式：按件（per_item）或按量（per_page），同一申请只采用一种' }) method!: 'per_item' | 'per_page';
  @ApiPropertyOptional({ description: '按量计收：本申请提供的页数' })
  @ValidateIf((dto: SendFeeNoticeDto) => dto.method === 'per_page')
  @IsInt({ message: '按量计收须填写页数 pages（整数）' })
  @Min(1, { message: 'pages 至少为 1' })
  @Max(1_000_000)
  pages?: number;
  @ApiPropertyOptional({ description: '按件计收：本申请拆分后的件数（一事一申请）' })
  @ValidateIf((dto: SendFeeNoticeDto) => dto.method === 'per_item')
  @IsInt({ message: '按件计收须填写件数 items（整数）' })
  @Min(1, { message: 'items 至少为 1' })
  @Max(10_000)
  items?: number;
  @ValidateDate({ optional: true, description: '申请人收到收费通知之日（缴费期限的第 0 日）；默认为发出之日' }) noticeReceivedAt?: string;
}

export class RecordFeePaymentDto extends EventBaseDto {
  @ValidateText({ max: 100, description: '缴费凭证号' }) receiptNumber!: string;
}

export class FeeLapsedDto extends EventBaseDto {}

export class RequestReasonsDto extends EventBaseDto {
  @ValidateText({ max: 2000, description: '要求申请人说明的事项（第三十五条）' }) questions!: string;
}

export class RecordReasonsDto extends EventBaseDto {
  @ValidateEnum(['reasonable', 'unreasonable', 'no_answer'], { description: '本机关的认定：理由合理、理由不合理、未说明理由' })
  finding!: 'reasonable' | 'unreasonable' | 'no_answer';
  @ValidateText({ optional: true, max: 5000, description: '申请人说明的理由' }) answer?: string;
}

export class SetLaterReplyDateDto extends EventBaseDto {
  @ValidateDate({ description: '确定的延迟答复期限（第三十五条）' }) replyBy!: string;
  @ValidateText({ max: 2000, description: '申请人说明的理由及本机关的认定' }) reason!: string;
}

export class RecordSearchDto extends EventBaseDto {
  @ValidateText({ max: 2000, description: '检索范围：系统、档案、询问的单位', example: '档案室纸质档案；OA 公文系统 2018-2025' }) scope!: string;
  @ValidateText({ max: 2000, description: '检索词', example: '旧区改造 补偿方案' }) terms!: string;
  @ValidateText({ max: 2000, description: '检索结果', example: '未检索到相关信息' }) result!: string;
  @ApiPropertyOptional({ type: [String], description: '附件编号（先上传到 POST /api/cases/{id}/attachments）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('4', { each: true, message: 'attachmentIds 应为附件编号' })
  attachmentIds?: string[];
}

export class ResponsibleAgencyDto {
  @ValidateText({ max: 200, description: '负责公开该信息的机关名称' }) name!: string;
  @ValidateText({ optional: true, max: 200, description: '联系方式' }) contact?: string;
}

export class DecideDto extends EventBaseDto {
  @ValidateEnum([...DECIDABLE_OUTCOMES, ...CORRECTION_OUTCOME_CODES], { description: '办理结果（rules.md §4；更正申请为 correction.*）' })
  outcome!: (typeof DECIDABLE_OUTCOMES)[number] | (typeof CORRECTION_OUTCOME_CODES)[number];
  @ValidateText({ optional: true, max: 5000, description: '理由（“予以公开”以外必填）' }) reasons?: string;
  @ValidateText({ optional: true, max: 5000, description: '提供的信息及提供方式（予以公开、部分公开必填）' }) provided?: string;
  @ValidateText({ optional: true, max: 5000, description: '不予公开的部分及理由（部分公开）' }) withheld?: string;
  @ApiPropertyOptional({ type: ResponsibleAgencyDto, description: '第三十六条第（五）项：负责公开该信息的机关' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResponsibleAgencyDto)
  responsibleAgency?: ResponsibleAgencyDto;
  @ValidateText({ optional: true, max: 100, description: '重复申请所对应的在先案件编号' }) duplicateOf?: string;
  @ValidateText({ optional: true, max: 2000, description: '保护第三方合法权益：无需征求第三方意见的理由' }) consultationNotNeededReason?: string;
  @ValidateText({ optional: true, max: 5000, description: '第三方不同意公开而决定公开的，不公开可能对公共利益造成重大影响的理由（第三十二条）' })
  publicInterestOverride?: string;
  @ValidateEnum(DISCLOSURE_MODES, {
    optional: true,
    description: '予以公开：already_public 已主动公开，告知获取途径（第三十六条第（一）项）；provided 向申请人提供（第三十六条第（二）项，默认）',
  })
  disclosureMode?: (typeof DISCLOSURE_MODES)[number];
  @ValidateEnum(WITHHOLDING_BASES, { optional: true, description: '部分公开：不予公开部分的依据（第十四条、第十五条或第十六条规定的情形，第三十七条）' })
  withheldBasis?: (typeof WITHHOLDING_BASES)[number];
  @ValidateText({ optional: true, max: 2000, description: '不属于本机关负责公开且无法确定负责公开的机关的，说明理由（第三十六条第（五）项）' })
  responsibleAgencyUndetermined?: string;
}

export class AcknowledgedRiskDto {
  @ValidateText({ max: 60, description: '风险代码（答复书审查视图 risks[].code）', example: 'reply_late' }) code!: string;
  @ValidateText({ max: 2000, description: '审核人对该风险的意见' }) comment!: string;
}

export class ApproveDto extends EventBaseDto {
  @ValidateText({ optional: true, max: 2000, description: '审核意见' }) comment?: string;
  @ApiPropertyOptional({ type: [AcknowledgedRiskDto], description: '对败诉风险提示（warning）逐项确认的意见；未确认的提示使审核不能通过' })
  @IsOptional()
  @IsArray({ message: 'acknowledgedRisks 应为列表' })
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => AcknowledgedRiskDto)
  acknowledgedRisks?: AcknowledgedRiskDto[];
}

export class ReturnDto extends EventBaseDto {
  @ValidateText({ max: 5000, description: '退回意见' }) comment!: string;
}

export class IssueReplyDto extends EventBaseDto {}

export class RecordServiceDto extends EventBaseDto {
  @ValidateEnum(['direct', 'delegated', 'post', 'electronic'], { description: '送达方式：直接送达、委托送达、邮政企业邮寄、电子送达' })
  method!: 'direct' | 'delegated' | 'post' | 'electronic';
  @ApiPropertyOptional({ description: '邮寄的邮件号（邮寄送达必填）' })
  @ValidateIf((dto: RecordServiceDto) => dto.method === 'post' || dto.trackingNumber !== undefined)
  @IsString({ message: '邮寄送达须填写邮件号 trackingNumber' })
  @MinLength(4, { message: '邮寄送达须填写邮件号 trackingNumber' })
  @MaxLength(60)
  trackingNumber?: string;
  @ValidateText({ optional: true, max: 200, description: '签收人或受送达人' }) recipient?: string;
}

export class DecideProactiveDto extends EventBaseDto {
  @ApiProperty({ description: '是否转为主动公开（第四十四条）' }) @IsBoolean({ message: 'publish 应为 true 或 false' }) publish!: boolean;
  @ValidateText({ max: 2000, description: '理由' }) reason!: string;
  @ApiPropertyOptional({ description: '公开的标题（转主动公开时必填）' })
  @ValidateIf((dto: DecideProactiveDto) => dto.publish === true)
  @IsString({ message: '转主动公开须填写标题 title' })
  @MinLength(2, { message: '转主动公开须填写标题 title' })
  @MaxLength(200)
  title?: string;
  @ApiPropertyOptional({ description: '摘要（转主动公开时必填）' })
  @ValidateIf((dto: DecideProactiveDto) => dto.publish === true)
  @IsString({ message: '转主动公开须填写摘要 summary' })
  @MinLength(2, { message: '转主动公开须填写摘要 summary' })
  @MaxLength(2000)
  summary?: string;
  @ApiPropertyOptional({ description: '公开的内容（或填写链接 link）' })
  @ValidateIf((dto: DecideProactiveDto) => dto.publish === true && !dto.link)
  @IsString({ message: '转主动公开须填写内容 content 或链接 link' })
  @MinLength(1, { message: '转主动公开须填写内容 content 或链接 link' })
  @MaxLength(50_000)
  content?: string;
  @ApiPropertyOptional({ description: '已公开信息的链接' })
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'link 应为 http(s) 链接' })
  @MaxLength(500)
  link?: string;
  @ValidateText({ optional: true, max: 60, description: '索引号；不填则自动编号' }) indexNumber?: string;
}

export class WithdrawDto extends EventBaseDto {
  @ValidateText({ optional: true, max: 2000, description: '撤回说明' }) reason?: string;
}

export class ReopenDto extends EventBaseDto {
  @ValidateText({ max: 2000, description: '重新办理的原因' }) reason!: string;
  @ValidateText({ optional: true, max: 200, description: '复议决定书或判决书文号' }) reference?: string;
}

/** One DTO per event type (api.md). The creation events come only through the intake routes. */
export const EVENT_DTOS: Partial<Record<CaseEventType, new () => EventBaseDto>> = {
  CONFIRM_RECEIPT: ConfirmReceiptDto,
  ASSIGN: AssignDto,
  REQUEST_ASSISTANCE: RequestAssistanceDto,
  ANSWER_ASSISTANCE: AnswerAssistanceDto,
  REQUEST_SUPPLEMENT: RequestSupplementDto,
  RECEIVE_SUPPLEMENT: ReceiveSupplementDto,
  SUPPLEMENT_LAPSED: SupplementLapsedDto,
  START_CONSULTATION: StartConsultationDto,
  END_CONSULTATION: EndConsultationDto,
  REQUEST_EXTENSION: RequestExtensionDto,
  EXTEND: ExtendDto,
  SEND_FEE_NOTICE: SendFeeNoticeDto,
  RECORD_FEE_PAYMENT: RecordFeePaymentDto,
  FEE_LAPSED: FeeLapsedDto,
  REQUEST_REASONS: RequestReasonsDto,
  RECORD_REASONS: RecordReasonsDto,
  SET_LATER_REPLY_DATE: SetLaterReplyDateDto,
  RECORD_SEARCH: RecordSearchDto,
  DECIDE: DecideDto,
  APPROVE: ApproveDto,
  RETURN: ReturnDto,
  ISSUE_REPLY: IssueReplyDto,
  RECORD_SERVICE: RecordServiceDto,
  DECIDE_PROACTIVE: DecideProactiveDto,
  WITHDRAW: WithdrawDto,
  REOPEN: ReopenDto,
};

/** Validate a raw event body against the DTO of its type: unknown types, unknown fields and bad values are 400. */
export function parseEventBody(body: unknown): EventBaseDto {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalid('请求内容应为 JSON 对象');
  const type = (body as { type?: unknown }).type;
  if (typeof type !== 'string' || !type) throw invalid('缺少事件类型 type');
  if (CREATION_EVENT_TYPES.includes(type as CaseEventType)) {
    throw invalid(`${type} 不能通过事件接口发送：请使用 POST /api/applications 或 POST /api/public/applications`);
  }
  // An own key only: `toString`, `constructor` or `__proto__` would find Object.prototype's members (500s before).
  const dto = Object.hasOwn(EVENT_DTOS, type) ? EVENT_DTOS[type as CaseEventType] : undefined;
  if (!dto) throw invalid(`不认识的事件类型：${type}；可用的类型：${Object.keys(EVENT_DTOS).join('、')}`);
  const instance = plainToInstance(dto, body);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    const details = flattenValidationErrors(errors);
    throw invalid(details.join('；'), details);
  }
  return instance;
}
