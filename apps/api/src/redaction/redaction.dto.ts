import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNumber, Max, Min } from 'class-validator';
import { WITHHOLDING_BASES } from '@desk/case-workflow';
import { Label, ValidateEnum, ValidateId, ValidateInt, ValidateText } from '../common/validation';
import { withholdingLabel } from './redaction.repository';

/** The reasons a region may carry, in the words the DECIDE form gives a withheld part's basis (Art. 14–16, with the article). */
const WITHHOLDING_BASIS_TERMS = WITHHOLDING_BASES.map((code) => ({ code, label: withholdingLabel(code) }));

/** A length in PDF points (1/72 inch), from the page's top-left corner. */
function Points(label: string, minimum: number) {
  return (target: object, property: string) => {
    ApiProperty({ type: 'number', minimum, maximum: 14_400, title: label, description: `${label}（PDF 点，1/72 英寸，自页面左上角起算）` })(target, property);
    Label(label)(target, property);
    Type(() => Number)(target, property);
    IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }, { message: `${label} 应为数字（最多两位小数）` })(target, property);
    Min(minimum, { message: `${label} 不能小于 ${minimum}` })(target, property);
    Max(14_400, { message: `${label} 不能大于 14400` })(target, property);
  };
}

export class CreateRedactionDto {
  @ValidateId({ label: '拟公开的文件', description: '已上传为本案附件的 PDF 文件（原件留存在案，不向申请人提供）' }) attachmentId!: string;
}

export class AddRegionDto {
  @ValidateInt({ label: '页码', min: 1, max: 100_000 }) page!: number;
  @Points('左边距', 0) x!: number;
  @Points('上边距', 0) y!: number;
  @Points('宽度', 1) width!: number;
  @Points('高度', 1) height!: number;
  @ValidateEnum(WITHHOLDING_BASIS_TERMS, { label: '不予公开的理由', description: '第十四条、第十五条或第十六条规定的情形之一（与拟办答复的“不予公开部分的依据”同一词表）' })
  reason!: (typeof WITHHOLDING_BASES)[number];
  @ValidateText({ label: '说明', optional: true, max: 200, description: '遮盖的是什么内容（如“第三方自然人的姓名和住址”），写入答复书；不要写入被遮盖的内容本身' })
  note?: string;
}

export class RedactionPageDto {
  @ApiProperty({ description: '页码（从 1 起）' }) number!: number;
  @ApiProperty({ description: '页面宽度（PDF 点，按显示方向）' }) width!: number;
  @ApiProperty({ description: '页面高度（PDF 点，按显示方向）' }) height!: number;
  @ApiProperty({ description: '页面预览图（PNG）的地址，仅工作人员可用' }) previewUrl!: string;
}

export class RedactionRegionDto {
  @ApiProperty({ description: '区域编号' }) id!: string;
  @ApiProperty({ description: '页码' }) page!: number;
  @ApiProperty({ description: '左边距（PDF 点）' }) x!: number;
  @ApiProperty({ description: '上边距（PDF 点）' }) y!: number;
  @ApiProperty({ description: '宽度（PDF 点）' }) width!: number;
  @ApiProperty({ description: '高度（PDF 点）' }) height!: number;
  @ApiProperty({ description: '不予公开的理由（代码）', enum: WITHHOLDING_BASES }) reason!: string;
  @ApiProperty({ description: '不予公开的理由（文字）', example: '保护第三方合法权益（第十五条、第三十二条）' }) reasonLabel!: string;
  @ApiPropertyOptional({ description: '说明', nullable: true, type: String }) note!: string | null;
  @ApiProperty({ description: '标记人' }) createdBy!: string;
  @ApiProperty({ description: '标记时间', format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ description: '撤销标记的人', nullable: true, type: String }) removedBy!: string | null;
  @ApiPropertyOptional({ description: '撤销标记的时间', nullable: true, type: String, format: 'date-time' }) removedAt!: string | null;
}

export class RedactionCopyDto {
  @ApiProperty({ description: '部分公开文本编号' }) id!: string;
  @ApiProperty({ description: '生成时的标记版本' }) revision!: number;
  @ApiProperty({ description: '与当前标记一致（标记改动后须重新生成）' }) current!: boolean;
  @ApiProperty({ description: 'SHA-256' }) sha256!: string;
  @ApiProperty({ description: '文件大小（字节）' }) sizeBytes!: number;
  @ApiProperty({ description: '生成人' }) producedBy!: string;
  @ApiProperty({ description: '生成时间', format: 'date-time' }) producedAt!: string;
  @ApiProperty({ description: '已随答复书提供给申请人' }) disclosed!: boolean;
  @ApiProperty({ description: '下载地址（工作人员）' }) downloadUrl!: string;
}

export class RedactionDocumentDto {
  @ApiProperty({ description: '区分处理的文件编号' }) id!: string;
  @ApiProperty({ description: '案件 id' }) caseId!: string;
  @ApiProperty({ description: '原件（本案附件）id；原件留存在案，任何公开途径都不提供' }) originalAttachmentId!: string;
  @ApiProperty({ description: '原件文件名' }) filename!: string;
  @ApiProperty({ description: '原件 SHA-256' }) originalSha256!: string;
  @ApiProperty({ description: '标记版本：每增删一个区域加一' }) revision!: number;
  @ApiProperty({ description: '现在可以增删标记（案件在办理中）' }) editable!: boolean;
  @ApiProperty({ type: [RedactionPageDto] }) pages!: RedactionPageDto[];
  @ApiProperty({ type: [RedactionRegionDto], description: '现行的遮盖区域' }) regions!: RedactionRegionDto[];
  @ApiProperty({ type: [RedactionRegionDto], description: '处理记录：全部标记，含已撤销的（谁、何时）' }) log!: RedactionRegionDto[];
  @ApiPropertyOptional({ type: RedactionCopyDto, nullable: true, description: '最近生成的部分公开文本' }) copy!: RedactionCopyDto | null;
}
