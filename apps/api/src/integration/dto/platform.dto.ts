import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, registerDecorator, ValidateNested } from 'class-validator';
import type { DeliveryForm, RequestType } from '@desk/case-workflow';
import { CALLBACK_EVENT_TERMS, DELIVERY_FORM_TERMS, REQUEST_TYPE_TERMS } from '@desk/vocabulary';
import { ApplicantDto } from '../../applications/dto/application.dto';
import { Label, ValidateDate, ValidateEnum, ValidateText } from '../../common/validation';

/** A platform's code (浙里公开 → zlgk): lower-case letters, digits and -, like an agency's code. */
export const SOURCE_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;
/** The platform's own number of the application: it appears in URLs, so no / ? # or spaces. */
export const EXTERNAL_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
export const MAX_IMPORTED_ATTACHMENTS = 20;

/**
 * Standard base64 with its padding, checked by decoding and encoding again (linear in the length). A regular expression
 * over the whole text was tried: on a file of a few MB V8's backtracking ran out of stack, a 500 instead of an answer.
 */
function IsBase64Content() {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isBase64Content',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.length % 4 === 0 && Buffer.from(value, 'base64').toString('base64') === value,
        defaultMessage: () => '文件内容 应为 Base64 编码',
      },
    });
}

/** A file the applicant uploaded on the platform, carried in the import (base64). */
export class PlatformAttachmentDto {
  @ValidateText({ label: '文件名', max: 200, example: '身份证明.pdf' }) filename!: string;
  @ApiProperty({ description: '文件类型（MIME 类型）', title: '文件类型', example: 'application/pdf' })
  @Label('文件类型')
  @IsString({ message: '文件类型 应为文字' })
  @Matches(/^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i, { message: '文件类型 应为 MIME 类型，如 application/pdf' })
  contentType!: string;
  @ApiProperty({ description: '文件内容（Base64 编码），每个文件解码后不超过 10 MB', title: '文件内容', format: 'byte' })
  @Label('文件内容')
  @IsString({ message: '文件内容 应为 Base64 编码的文字' })
  @IsBase64Content()
  content!: string;
  @ApiPropertyOptional({ description: '文件的 SHA-256 摘要（十六进制）；提供时本系统核对，不一致的拒收', title: '文件摘要', example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  @Label('文件摘要')
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/i, { message: '文件摘要 应为 64 位十六进制的 SHA-256 摘要' })
  sha256?: string;
}

/** An application the applicant submitted on a platform, imported with the platform's own reference (issue 19). */
export class PlatformApplicationDto {
  @ApiProperty({ description: '来源平台编码：须与本客户端登记的来源平台一致', title: '来源平台', example: 'zlgk' })
  @Label('来源平台')
  @IsString({ message: '来源平台 应为文字' })
  @Matches(SOURCE_PATTERN, { message: '来源平台 应为 2 至 40 位小写字母、数字或 -' })
  source!: string;
  @ApiProperty({ description: '平台上的申请编号：同一来源平台的同一编号只建一个案件，重复转入返回同一案件', title: '平台申请编号', example: 'ZJ-2025-000123' })
  @Label('平台申请编号')
  @IsString({ message: '平台申请编号 应为文字' })
  @Matches(EXTERNAL_REF_PATTERN, { message: '平台申请编号 应为 1 至 100 位字母、数字或 . _ : -，以字母或数字开头' })
  externalRef!: string;
  @ApiProperty({ description: '受理机关编码：申请所向的机关，须为本系统办理的机关', title: '受理机关', example: 'default' })
  @Label('受理机关')
  @IsString({ message: '受理机关 应为文字' })
  @Matches(/^[a-z0-9-]{2,40}$/, { message: '受理机关 应为机关编码（2 至 40 位小写字母、数字或 -）' })
  agency!: string;
  @ValidateDate({
    label: '平台确认收到之日',
    optional: true,
    description: '平台已与申请人确认收到申请的，为确认之日，即收到申请之日（第三十一条第（三）项），本机关据此登记并出具接收回执；不提供的，由本机关与申请人确认收到',
  })
  confirmedAt?: string;
  @ApiProperty({ type: ApplicantDto, description: '申请人' }) @Label('申请人') @ValidateNested() @Type(() => ApplicantDto) applicant!: ApplicantDto;
  @ValidateText({ label: '所需信息的描述', min: 5, max: 5000, description: '所需政府信息的名称、文号或便于查询的其他特征描述', example: '2024年本区旧区改造项目补偿安置方案' })
  description!: string;
  @ValidateEnum(DELIVERY_FORM_TERMS, { label: '获取信息的方式', description: '获取信息的方式（第二十九条第二款第（三）项、第四十条）' }) deliveryForm!: DeliveryForm;
  @ValidateEnum(REQUEST_TYPE_TERMS, { label: '申请类型', optional: true, description: '政府信息公开申请（默认），或更正本人信息记录（第四十一条）' })
  requestType?: RequestType;
  @ApiPropertyOptional({ type: [PlatformAttachmentDto], description: `申请人在平台上传的材料，至多 ${MAX_IMPORTED_ATTACHMENTS} 个`, title: '附件' })
  @Label('附件')
  @IsOptional()
  @IsArray({ message: '附件 应为列表' })
  @ArrayMaxSize(MAX_IMPORTED_ATTACHMENTS, { message: `附件 至多 ${MAX_IMPORTED_ATTACHMENTS} 个` })
  @ValidateNested({ each: true })
  @Type(() => PlatformAttachmentDto)
  attachments?: PlatformAttachmentDto[];
}

export class PlatformAgencyDto {
  @ApiProperty({ description: '机关编码' }) code!: string;
  @ApiProperty({ description: '机关名称' }) name!: string;
}

/** A letter issued to the applicant, fetched by the platform with its own credentials (scope 查询办理进度). */
export class PlatformLetterDto {
  @ApiProperty({ description: '文书编号', format: 'uuid' }) id!: string;
  @ApiProperty({ description: '文书名称，如 政府信息公开申请答复书' }) title!: string;
  @ApiProperty({ description: '文号', nullable: true, type: String }) number!: string | null;
  @ApiProperty({ description: '出具日期', format: 'date' }) issuedAt!: string;
  @ApiProperty({ description: '下载地址（PDF）：以本客户端的密钥请求；配置 PUBLIC_BASE_URL 时为完整网址，否则为本系统内的路径' }) url!: string;
}

/** What a platform sees of a case it imported: what its applicant may see, no identity number, phone, address or 查询码. */
export class PlatformCaseDto {
  @ApiProperty({ description: '案件编号（本机关登记编号）', example: '沪某房依申〔2025〕第00001号' }) caseNumber!: string;
  @ApiProperty({ description: '来源平台编码' }) source!: string;
  @ApiProperty({ description: '平台申请编号' }) externalRef!: string;
  @ApiProperty({ type: PlatformAgencyDto, description: '受理机关' }) agency!: PlatformAgencyDto;
  @ApiProperty({ description: '办理状态（给申请人看的文字）', example: '已受理，正在办理' }) state!: string;
  @ApiProperty({ description: '是否已办结（已答复、已撤回或视为放弃）' }) concluded!: boolean;
  @ApiProperty({ description: '本系统收到转入之日', format: 'date' }) submittedOn!: string;
  @ApiProperty({ description: '收到申请之日（第三十一条）；待本机关确认收到时为空', format: 'date', nullable: true, type: String }) receivedAt!: string | null;
  @ApiProperty({ description: '答复期限；办结后为空', format: 'date', nullable: true, type: String }) dueDate!: string | null;
  @ApiProperty({ description: '答复期限是否为暂定（跨越尚未公布节假日安排的年度）' }) dueDateProvisional!: boolean;
  @ApiProperty({ description: '办结之日', format: 'date', nullable: true, type: String }) concludedAt!: string | null;
  @ApiProperty({ type: [PlatformLetterDto], description: '出具给申请人的文书' }) letters!: PlatformLetterDto[];
  @ApiProperty({ description: '案件事项序号：每办理一个事项加一；回调按它排序，序号较小的回调晚到时可以忽略' }) sequence!: number;
}

export class PlatformImportResultDto extends PlatformCaseDto {
  @ApiProperty({ description: '本次是否新建了案件；同一平台申请编号再次转入时为 false，返回原案件' }) created!: boolean;
}

/** The body of a status callback (POST to the subscription's address), signed as the README describes. */
export class PlatformCallbackDto {
  @ApiProperty({ description: '回调编号：同一回调重试或重发时不变，接收方据此去重' }) id!: string;
  @ApiProperty({ enum: CALLBACK_EVENT_TERMS.map((term) => term.code), isArray: true, description: '本次回调的事项（订阅所选的、本次发生的）' }) events!: string[];
  @ApiProperty({ description: '事项发生的时间', format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: PlatformCaseDto, description: '事项发生后的案件' }) case!: PlatformCaseDto;
}
