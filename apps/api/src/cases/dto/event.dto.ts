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
  ValidateNested,
  validateSync,
} from 'class-validator';
import {
  CONSULTATION_KINDS,
  CREATION_EVENT_TYPES,
  DECIDABLE_OUTCOMES,
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

export class ExtendDto extends EventBaseDto {
  @ApiProperty({ description: `延长的工作日数，至多 ${MAX_EXTENSION_WORKING_DAYS}（第三十三条第二款）` })
  @IsInt({ message: 'workingDays 应为整数' })
  @Min(1, { message: 'workingDays 至少为 1' })
  @Max(MAX_EXTENSION_WORKING_DAYS, { message: `延长期限最长不得超过 ${MAX_EXTENSION_WORKING_DAYS} 个工作日（第三十三条第二款）` })
  workingDays!: number;
  @ValidateText({ max: 2000, description: '延期理由' }) reason!: string;
}

export class SendFeeNoticeDto extends EventBaseDto {
  @ApiProperty({ description: '收费金额（元）' })
  @IsInt({ message: 'amountYuan 应为整数（元）' })
  @Min(1, { message: 'amountYuan 至少为 1 元' })
  @Max(10_000_000)
  amountYuan!: number;
  @ValidateDate({ optional: true, description: '申请人收到收费通知之日（缴费期限的第 0 日）；默认为发出之日' }) noticeReceivedAt?: string;
}

export class RecordFeePaymentDto extends EventBaseDto {
  @ValidateText({ max: 100, description: '缴费凭证号' }) receiptNumber!: string;
}

export class FeeLapsedDto extends EventBaseDto {}

export class SetLaterReplyDateDto extends EventBaseDto {
  @ValidateDate({ description: '确定的延迟答复期限（第三十五条）' }) replyBy!: string;
  @ValidateText({ max: 2000, description: '申请人说明的理由及本机关的认定' }) reason!: string;
}

export class RecordSearchDto extends EventBaseDto {
  @ValidateText({ max: 2000, description: '检索范围：系统、档案、询问的单位', example: '档案室纸质档案；OA 公文系统 2018-2025' }) scope!: string;
  @ValidateText({ max: 2000, description: '检索词', example: '旧区改造 补偿方案' }) terms!: string;
  @ValidateText({ max: 2000, description: '检索结果', example: '未检索到相关信息' }) result!: string;
}

export class ResponsibleAgencyDto {
  @ValidateText({ max: 200, description: '负责公开该信息的机关名称' }) name!: string;
  @ValidateText({ optional: true, max: 200, description: '联系方式' }) contact?: string;
}

export class DecideDto extends EventBaseDto {
  @ValidateEnum(DECIDABLE_OUTCOMES, { description: '办理结果（rules.md §4）' }) outcome!: (typeof DECIDABLE_OUTCOMES)[number];
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
}

export class ApproveDto extends EventBaseDto {
  @ValidateText({ optional: true, max: 2000, description: '审核意见' }) comment?: string;
}

export class ReturnDto extends EventBaseDto {
  @ValidateText({ max: 5000, description: '退回意见' }) comment!: string;
}

export class IssueReplyDto extends EventBaseDto {}

export class DecideProactiveDto extends EventBaseDto {
  @ApiProperty({ description: '是否转为主动公开（第四十四条）' }) @IsBoolean({ message: 'publish 应为 true 或 false' }) publish!: boolean;
  @ValidateText({ max: 2000, description: '理由' }) reason!: string;
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
  REQUEST_SUPPLEMENT: RequestSupplementDto,
  RECEIVE_SUPPLEMENT: ReceiveSupplementDto,
  SUPPLEMENT_LAPSED: SupplementLapsedDto,
  START_CONSULTATION: StartConsultationDto,
  END_CONSULTATION: EndConsultationDto,
  EXTEND: ExtendDto,
  SEND_FEE_NOTICE: SendFeeNoticeDto,
  RECORD_FEE_PAYMENT: RecordFeePaymentDto,
  FEE_LAPSED: FeeLapsedDto,
  SET_LATER_REPLY_DATE: SetLaterReplyDateDto,
  RECORD_SEARCH: RecordSearchDto,
  DECIDE: DecideDto,
  APPROVE: ApproveDto,
  RETURN: ReturnDto,
  ISSUE_REPLY: IssueReplyDto,
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
  const dto = EVENT_DTOS[type as CaseEventType];
  if (!dto) throw invalid(`不认识的事件类型：${type}；可用的类型：${Object.keys(EVENT_DTOS).join('、')}`);
  const instance = plainToInstance(dto, body);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    const details = flattenValidationErrors(errors);
    throw invalid(details.join('；'), details);
  }
  return instance;
}
