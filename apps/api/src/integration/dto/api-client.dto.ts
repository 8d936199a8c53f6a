import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { API_SCOPE_TERMS, CALLBACK_EVENT_TERMS, CALLBACK_STATUS_TERMS, codesOf, labelList } from '@desk/vocabulary';
import type { ApiScope } from '../../auth/principal';
import { Label, ValidateBoolean, ValidateEnum, ValidateId, ValidateInt, ValidateText } from '../../common/validation';
import type { CallbackEvent } from '../callback-changes';
import { SOURCE_PATTERN } from './platform.dto';

const SCOPE_MESSAGE = `授权范围 应为以下之一或几项：${labelList(API_SCOPE_TERMS)}`;
const EVENT_MESSAGE = `回调事项 应为以下之一或几项：${labelList(CALLBACK_EVENT_TERMS)}`;

export class CreateApiClientDto {
  @ValidateText({ label: '客户端名称', max: 100, description: '客户端名称，如 浙里公开平台', example: '浙里公开平台' }) name!: string;
  @ApiProperty({ description: '来源平台编码：转入申请时的 source；同一来源平台同时只能有一个在用的客户端', title: '来源平台', example: 'zlgk' })
  @Label('来源平台')
  @IsString({ message: '来源平台 应为文字' })
  @Matches(SOURCE_PATTERN, { message: '来源平台 应为 2 至 40 位小写字母、数字或 -' })
  source!: string;
  @ApiProperty({ enum: codesOf(API_SCOPE_TERMS), isArray: true, description: `授权范围：${labelList(API_SCOPE_TERMS)}`, title: '授权范围' })
  @Label('授权范围')
  @IsArray({ message: SCOPE_MESSAGE })
  @ArrayMinSize(1, { message: '至少需要一项授权范围' })
  @ArrayUnique({ message: '授权范围 不能重复' })
  @IsIn(codesOf(API_SCOPE_TERMS), { each: true, message: SCOPE_MESSAGE })
  scopes!: ApiScope[];
  @ApiPropertyOptional({ type: [String], description: '可以转入申请的机关编码；默认只有本机关。须为本系统办理的机关', title: '受理机关', example: ['default'] })
  @Label('受理机关')
  @IsOptional()
  @IsArray({ message: '受理机关 应为机关编码的列表' })
  @ArrayMinSize(1, { message: '至少需要一个受理机关' })
  @ArrayMaxSize(100, { message: '受理机关 至多 100 个' })
  @ArrayUnique({ message: '受理机关 不能重复' })
  @Matches(/^[a-z0-9-]{2,40}$/, { each: true, message: '受理机关 应为机关编码（2 至 40 位小写字母、数字或 -）' })
  agencies?: string[];
}

export class RotateApiClientSecretDto {
  @ValidateInt({
    label: '旧密钥保留分钟数',
    optional: true,
    min: 0,
    max: 7 * 24 * 60,
    default: 0,
    description: '轮换后旧密钥继续有效的分钟数，供平台无中断地换用新密钥；默认 0，即旧密钥立即失效',
  })
  previousSecretValidMinutes?: number;
}

export class SubscriptionDto {
  @ApiProperty({ description: '回调地址：本系统以 POST 发送签名的回调；生产环境须为 https://', title: '回调地址', example: 'https://platform.example.gov.cn/ogi/callbacks' })
  @Label('回调地址')
  @IsString({ message: '回调地址 应为网址' })
  @Matches(/^https?:\/\/[^\s/?#@]+(\/[^\s#]*)?$/, { message: '回调地址 应为 http:// 或 https:// 开头的网址，不含用户名、密码和 #' })
  url!: string;
  @ApiProperty({ enum: codesOf(CALLBACK_EVENT_TERMS), isArray: true, description: `回调事项：${labelList(CALLBACK_EVENT_TERMS)}`, title: '回调事项' })
  @Label('回调事项')
  @IsArray({ message: EVENT_MESSAGE })
  @ArrayMinSize(1, { message: '至少需要一项回调事项' })
  @ArrayUnique({ message: '回调事项 不能重复' })
  @IsIn(codesOf(CALLBACK_EVENT_TERMS), { each: true, message: EVENT_MESSAGE })
  events!: CallbackEvent[];
  @ValidateBoolean({ label: '更换签名密钥', optional: true, description: '为真时生成新的签名密钥（只显示这一次），旧的立即停用；首次设置订阅时总是生成' })
  rotateSigningSecret?: boolean;
}

export class CallbackListQueryDto {
  @ValidateEnum(CALLBACK_STATUS_TERMS, { label: '发送状态', optional: true, description: '只列出这一状态的回调；不填列出全部（最近 200 个）' }) status?: string;
  @ValidateId({ label: '客户端', optional: true, description: '只列出这个客户端的回调' }) clientId?: string;
}

export class AccessLogQueryDto {
  @ValidateInt({ label: '条数', optional: true, min: 1, max: 1000, default: 100, description: '最近多少条' }) limit?: number;
}

export class AgencyRefDto {
  @ApiProperty({ description: '机关编码' }) code!: string;
  @ApiProperty({ description: '机关名称' }) name!: string;
}

export class SubscriptionViewDto {
  @ApiProperty({ description: '回调地址' }) url!: string;
  @ApiProperty({ enum: codesOf(CALLBACK_EVENT_TERMS), isArray: true, description: '回调事项' }) events!: string[];
  @ApiProperty({ description: '最近设置的时间', format: 'date-time' }) updatedAt!: string;
}

export class ApiClientViewDto {
  @ApiProperty({ description: '客户端编号', format: 'uuid' }) id!: string;
  @ApiProperty({ description: '客户端名称' }) name!: string;
  @ApiProperty({ description: '来源平台编码' }) source!: string;
  @ApiProperty({ enum: codesOf(API_SCOPE_TERMS), isArray: true, description: '授权范围' }) scopes!: string[];
  @ApiProperty({ type: [String], description: '授权范围（文字）' }) scopeLabels!: string[];
  @ApiProperty({ type: AgencyRefDto, description: '管理本客户端的机关' }) agency!: AgencyRefDto;
  @ApiProperty({ type: [AgencyRefDto], description: '可以转入申请的机关' }) agencies!: AgencyRefDto[];
  @ApiProperty({ description: '是否在用（未停用）' }) active!: boolean;
  @ApiProperty({ description: '创建时间', format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: '最近轮换密钥的时间', format: 'date-time', nullable: true, type: String }) rotatedAt!: string | null;
  @ApiProperty({ description: '旧密钥失效的时间（轮换时保留了旧密钥的）', format: 'date-time', nullable: true, type: String }) previousSecretValidUntil!: string | null;
  @ApiProperty({ description: '停用时间', format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ description: '最近调用时间（按分钟记）', format: 'date-time', nullable: true, type: String }) lastUsedAt!: string | null;
  @ApiProperty({ type: SubscriptionViewDto, nullable: true, description: '回调订阅；未订阅时为空' }) subscription!: SubscriptionViewDto | null;
}

export class ApiClientWithSecretDto extends ApiClientViewDto {
  @ApiProperty({ description: '客户端密钥：只显示这一次，本系统只保存其摘要。调用时放在 Authorization: Bearer <密钥>', example: 'ogi-client.3q2-7wXoV…' })
  secret!: string;
}

export class SubscriptionResultDto extends SubscriptionViewDto {
  @ApiProperty({
    description: '签名密钥：首次设置或更换时给出，只显示这一次；平台用它核验回调的签名（HMAC-SHA256）。未更换时为空',
    nullable: true,
    type: String,
  })
  signingSecret!: string | null;
}

export class AccessLogEntryDto {
  @ApiProperty({ description: '时间', format: 'date-time' }) at!: string;
  @ApiProperty({ description: '请求方法' }) method!: string;
  @ApiProperty({ description: '路径（不含查询参数）' }) path!: string;
  @ApiProperty({ description: 'HTTP 状态码' }) status!: number;
  @ApiProperty({ description: '来源地址' }) address!: string;
  @ApiProperty({ description: '耗时（毫秒）' }) durationMs!: number;
}

export class CallbackViewDto {
  @ApiProperty({ description: '回调编号' }) id!: string;
  @ApiProperty({ description: '客户端编号', format: 'uuid' }) clientId!: string;
  @ApiProperty({ description: '客户端名称' }) clientName!: string;
  @ApiProperty({ description: '案件编号' }) caseNumber!: string;
  @ApiProperty({ description: '平台申请编号', nullable: true, type: String }) externalRef!: string | null;
  @ApiProperty({ description: '案件事项序号' }) sequence!: number;
  @ApiProperty({ enum: codesOf(CALLBACK_EVENT_TERMS), isArray: true, description: '回调事项' }) events!: string[];
  @ApiProperty({ enum: codesOf(CALLBACK_STATUS_TERMS), description: '发送状态' }) status!: string;
  @ApiProperty({ description: '发送状态（文字）' }) statusLabel!: string;
  @ApiProperty({ description: '已尝试次数（重发后从零计）' }) attempts!: number;
  @ApiProperty({ description: '对方最近一次返回的 HTTP 状态码', nullable: true, type: Number }) lastStatus!: number | null;
  @ApiProperty({ description: '最近一次失败的原因', nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ description: '最近一次尝试的时间', format: 'date-time', nullable: true, type: String }) lastAttemptAt!: string | null;
  @ApiProperty({ description: '下次尝试的时间（待发送时）', format: 'date-time', nullable: true, type: String }) nextAttemptAt!: string | null;
  @ApiProperty({ description: '送达时间', format: 'date-time', nullable: true, type: String }) deliveredAt!: string | null;
  @ApiProperty({ description: '最近一次由管理员重发的时间', format: 'date-time', nullable: true, type: String }) replayedAt!: string | null;
  @ApiProperty({ description: '写入时间', format: 'date-time' }) createdAt!: string;
}
