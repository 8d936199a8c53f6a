import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { Label, ValidateDecimal, ValidateInt, ValidateText } from '../../common/validation';

const count = (label: string) => ValidateInt({ label, min: 0, max: 10_000_000 });

/** 二、主动公开政府信息情况 (国办公开办函〔2021〕30号): the table the office fills in. */
export class ProactiveDisclosureDto {
  @count('规章：本年制发件数') regulationsIssued!: number;
  @count('规章：本年废止件数') regulationsRepealed!: number;
  @count('规章：现行有效件数') regulationsInForce!: number;
  @count('行政规范性文件：本年制发件数') normativeDocumentsIssued!: number;
  @count('行政规范性文件：本年废止件数') normativeDocumentsRepealed!: number;
  @count('行政规范性文件：现行有效件数') normativeDocumentsInForce!: number;
  @count('行政许可：本年处理决定数量') licensingDecisions!: number;
  @count('行政处罚：本年处理决定数量') penaltyDecisions!: number;
  @count('行政强制：本年处理决定数量') enforcementDecisions!: number;
  @ValidateDecimal({ label: '行政事业性收费：本年收费金额（万元）', min: 0, max: 100_000_000, places: 4 }) administrativeFeesTenThousandYuan!: number;
}

/** PUT /api/reports/annual/{year}/fill-ins: the parts of the report the office writes itself. */
export class AnnualReportFillInsDto {
  @ValidateText({ label: '总体情况（本机关的综述）', optional: true, max: 20_000, description: '一、总体情况：主动公开、政府信息管理、平台建设、监督保障等的综述；依申请公开的数字由系统生成' })
  overview?: string;
  @ApiProperty({ type: ProactiveDisclosureDto, description: '二、主动公开政府信息情况' })
  @Label('主动公开政府信息情况')
  @IsObject({ message: '主动公开政府信息情况 应为表格数据' })
  @ValidateNested()
  @Type(() => ProactiveDisclosureDto)
  proactive!: ProactiveDisclosureDto;
  @ValidateText({ label: '存在的主要问题及改进情况', max: 20_000, description: '五、存在的主要问题及改进情况' }) problems!: string;
  @ValidateText({ label: '其他需要报告的事项', optional: true, max: 20_000, description: '六、其他需要报告的事项（信息处理费的收取情况由系统生成，此处填写其他事项）' })
  otherMatters?: string;
}

export class AnnualReportFillInsResponseDto {
  @ApiProperty({ description: '年度' }) year!: number;
  @ApiPropertyOptional({ description: '一、总体情况（本机关的综述）', nullable: true, type: String }) overview!: string | null;
  @ApiPropertyOptional({ type: ProactiveDisclosureDto, nullable: true, description: '二、主动公开政府信息情况' }) proactive!: ProactiveDisclosureDto | null;
  @ApiPropertyOptional({ description: '五、存在的主要问题及改进情况', nullable: true, type: String }) problems!: string | null;
  @ApiPropertyOptional({ description: '六、其他需要报告的事项', nullable: true, type: String }) otherMatters!: string | null;
  @ApiPropertyOptional({ description: '最后修改时间', nullable: true, type: String, format: 'date-time' }) updatedAt!: string | null;
  @ApiProperty({ description: '年度报告已锁定（已发布）的，不能再修改' }) locked!: boolean;
}

export class ReportCellDto {
  @ApiProperty({ description: '单元格（行|列），可用于下钻', example: 'total|natural_person' }) key!: string;
  @ApiProperty({ description: '单元格名称', example: '（七）总计·自然人' }) label!: string;
  @ApiProperty({ description: '单元格中的数' }) value!: number;
}

export class ReportCaseRefDto {
  @ApiProperty({ description: '案件或争议编号（id）' }) id!: string;
  @ApiProperty({ description: '案件编号' }) caseNumber!: string;
}

export class ReportBreachDto {
  @ApiProperty({ description: '不成立的勾稽关系' }) identity!: string;
  @ApiProperty({ type: ReportCellDto, description: '应等于其他单元格之和的单元格' }) cell!: ReportCellDto;
  @ApiProperty({ description: '按其他单元格计算应为' }) expected!: number;
  @ApiProperty({ type: [ReportCellDto], description: '参与计算的单元格' }) parts!: ReportCellDto[];
  @ApiProperty({ type: [ReportCaseRefDto], description: '该单元格背后的案件（本人可见的）' }) cases!: ReportCaseRefDto[];
}

export class ReportChecksResponseDto {
  @ApiProperty({ description: '年度' }) year!: number;
  @ApiProperty({ description: '各项勾稽关系均成立' }) identitiesHold!: boolean;
  @ApiProperty({ type: [ReportBreachDto], description: '不成立的勾稽关系及其单元格' }) breaches!: ReportBreachDto[];
  @ApiProperty({ type: [String], description: '导出前须填写的部分' }) missingFillIns!: string[];
  @ApiProperty({ description: '可以导出' }) exportable!: boolean;
}
