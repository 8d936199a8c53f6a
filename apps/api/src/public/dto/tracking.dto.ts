import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateText } from '../../common/validation';

/** POST /api/public/tracking: the pair in the body, so the 查询码 never sits in a URL (history, proxies' logs). */
export class TrackingLookupDto {
  @ValidateText({
    label: '案件编号',
    max: 100,
    description: '案件编号，可按常见写法输入：〔2026〕、[2026]、（2026）均可，“第”字和前导 0 可省略，也可只写年份和序号（2026-8）',
    example: '沪某房依申〔2026〕第00008号',
  })
  caseNumber!: string;
  @ValidateText({ label: '查询码', max: 40, description: '接收回执或提交成功页面上的 10 位查询码，不区分大小写', example: 'ABCD234EFG' })
  queryCode!: string;
}

export class NextStepDto {
  @ApiProperty({ description: '接下来会怎样（申请人看得懂的话）' }) text!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: '应在哪一天前完成（如补正期限、答复期限）' }) by!: string | null;
  @ApiProperty({ description: '为什么' }) why!: string;
  @ApiProperty({ description: '法律依据（条文），可为空' }) article!: string;
}

export class TimelineEntryDto {
  @ApiProperty({ format: 'date', description: '日期' }) date!: string;
  @ApiProperty({ description: '办理环节' }) title!: string;
  @ApiProperty({ type: String, nullable: true, description: '说明' }) detail!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '法律依据' }) article!: string | null;
}

export class ClockStepDto {
  @ApiProperty({ format: 'date', description: '日期' }) date!: string;
  @ApiProperty({ description: '答复期限的计算过程（一步）' }) text!: string;
  @ApiProperty({ description: '法律依据' }) article!: string;
}

export class ApplicantDocumentDto {
  @ApiProperty({ description: '文书标题或文件名' }) title!: string;
  @ApiProperty({ type: String, nullable: true, description: '文号' }) number!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: '出具日期' }) issuedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: '文件大小（字节）' }) sizeBytes!: number | null;
  @ApiProperty({ description: '下载地址：短时有效的签名链接（不含查询码）', example: '/track/document?token=…' }) url!: string;
}

export class SupplementRequestDto {
  @ApiProperty({ type: [String], description: '需要补正的事项' }) items!: string[];
  @ApiProperty({ type: String, nullable: true, format: 'date', description: '补正期限' }) dueDate!: string | null;
}

/** What the applicant may see of the case: plain words, no identity number, phone or address. */
export class ApplicantCaseViewDto {
  @ApiProperty({ description: '案件编号（本机关的写法）' }) caseNumber!: string;
  @ApiProperty({ description: '申请类型' }) requestType!: string;
  @ApiProperty({ description: '办理状态' }) state!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: '网上提交日期（当面、邮寄等方式提交的为空）' }) submittedOn!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: '收到申请之日（第三十一条）' }) receivedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: '答复期限' }) dueDate!: string | null;
  @ApiProperty({ description: '答复期限是否暂定（下一年度节假日安排尚未公布）' }) dueDateProvisional!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: '办结日期' }) concludedAt!: string | null;
  @ApiProperty({ description: '获取信息的方式' }) deliveryForm!: string;
  @ApiProperty({ type: NextStepDto, description: '接下来会怎样、何时、为什么' }) next!: NextStepDto;
  @ApiProperty({ type: [TimelineEntryDto], description: '办理经过（与申请人有关的环节）' }) timeline!: TimelineEntryDto[];
  @ApiProperty({ type: [ClockStepDto], description: '答复期限是怎样算出来的' }) explanation!: ClockStepDto[];
  @ApiProperty({ type: [ApplicantDocumentDto], description: '本机关出具给申请人的文书' }) letters!: ApplicantDocumentDto[];
  @ApiProperty({ type: [ApplicantDocumentDto], description: '随答复提供的政府信息（文件）' }) files!: ApplicantDocumentDto[];
  @ApiPropertyOptional({ type: SupplementRequestDto, nullable: true, description: '等待补正时：补正事项和期限' }) supplement!: SupplementRequestDto | null;
  @ApiProperty({ description: '现在能否撤回申请' }) mayWithdraw!: boolean;
}
