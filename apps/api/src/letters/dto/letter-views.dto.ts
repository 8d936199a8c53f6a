import { FILL_IN_FIELDS } from '@desk/letters';
import { LETTER_KIND_TERMS, LETTER_STATUS_TERMS, REVIEW_DECISION_TERMS, REVIEW_STEP_TERMS } from '@desk/vocabulary';
import { ApiProperty } from '@nestjs/swagger';
import { ViewCode, ViewDate, ViewInt, ViewNested, ViewText, ViewUuid } from '../../common/view-properties';
import type { LetterSummary } from '../letters.service';

/** GET /api/cases/{id}/letters (api.md): the case's letters in the order they were made. */
export class LetterSummaryDto implements LetterSummary {
  @ViewUuid('文书编号（下载：GET /api/letters/{id}）') id!: string;
  @ViewCode(LETTER_KIND_TERMS, '文书种类') kind!: LetterSummary['kind'];
  @ViewText('文书标题') title!: string;
  @ViewText('收件人（申请人、第三方或其他机关的名称）') addressee!: string;
  @ViewText('文号；出具前为 null', { nullable: true }) number!: string | null;
  @ViewCode(LETTER_STATUS_TERMS, '状态') status!: LetterSummary['status'];
  @ViewDate('出具日期', { nullable: true }) issuedAt!: string | null;
  @ViewText('已出具的 PDF 的 SHA-256（十六进制）；出具后不再改变', { nullable: true }) sha256!: string | null;
}

/** The parts of a reply staff write; the statutory text is in the template. */
export class LetterFillInsViewDto {
  @ViewText('理由') reasons!: string;
  @ViewText('提供的信息及方式') provided!: string;
  @ViewText('不予公开的部分') withheld!: string;
  @ViewText('联系人') contactPerson!: string;
  @ViewText('联系电话') contactPhone!: string;
}

/** A defect the legal checker finds in a letter (检查结果). */
export class LetterFindingDto {
  @ViewText('检查规则') rule!: string;
  @ViewText('问题') message!: string;
}

/** 败诉风险: what a court would find in the draft, and what cures it. */
export class LitigationRiskDto {
  @ViewText('风险编号（确认时填入 acknowledgedRisks）') code!: string;
  @ApiProperty({ enum: ['blocking', 'warning'], description: '严重程度：blocking 须先纠正才能签发、出具；warning 须逐项确认并写明意见' })
  severity!: 'blocking' | 'warning';
  @ViewText('法院可能认定的问题') risk!: string;
  @ViewText('依据（条款或案例）') authority!: string;
  @ViewText('纠正办法') cure!: string;
}

export class CurrentRiskDto extends LitigationRiskDto {
  @ViewText('审核人对这项提示的确认意见；尚未确认为 null', { nullable: true }) acknowledgement!: string | null;
}

export class AcknowledgedRiskDto {
  @ViewText('风险编号') code!: string;
  @ViewText('确认意见') comment!: string;
}

/** One review round of a reply: legal's 合法性审查 or the head's 签发. */
export class ReviewRoundDto {
  @ViewInt('该步骤的第几轮') round!: number;
  @ViewCode(REVIEW_STEP_TERMS, '审核步骤') step!: string;
  @ViewCode(REVIEW_DECISION_TERMS, '审核意见') decision!: string;
  @ViewText('审核意见的说明', { nullable: true }) comment!: string | null;
  @ViewNested(LetterFindingDto, '当时的检查结果', { list: true }) findings!: LetterFindingDto[];
  @ViewNested(LitigationRiskDto, '当时的败诉风险提示', { list: true }) risks!: LitigationRiskDto[];
  @ViewNested(AcknowledgedRiskDto, '审核人确认的风险提示', { list: true }) acknowledgedRisks!: AcknowledgedRiskDto[];
  @ViewText('审核人') reviewer!: string;
  @ViewDate('审核日期') at!: string;
}

/** What legal staff see beside a draft: its fill-ins, what may be edited, the findings, the risks and every round. */
export class LetterReviewDto {
  @ViewUuid('文书编号') id!: string;
  @ViewCode(LETTER_KIND_TERMS, '文书种类') kind!: string;
  @ViewCode(LETTER_STATUS_TERMS, '状态') status!: string;
  @ViewText('文号；出具前为 null', { nullable: true }) number!: string | null;
  @ViewNested(LetterFillInsViewDto, '填写部分') fillIns!: LetterFillInsViewDto;
  @ApiProperty({ type: 'array', items: { type: 'string', enum: [...FILL_IN_FIELDS] }, description: '现在可以修改的填写部分；已签发、已出具的为空' })
  editableFields!: string[];
  @ViewNested(LetterFindingDto, '检查结果（已出具的为空）', { list: true }) findings!: LetterFindingDto[];
  @ViewNested(CurrentRiskDto, '败诉风险提示（审核中的答复书）', { list: true }) risks!: CurrentRiskDto[];
  @ViewNested(ReviewRoundDto, '审核记录', { list: true }) rounds!: ReviewRoundDto[];
}

/** A letter as rendered: the PDF (A4, the issued bytes for an issued letter) or its web page. */
export const LETTER_CONTENT = {
  'application/pdf': { schema: { type: 'string', format: 'binary', description: 'PDF' } },
  'text/html': { schema: { type: 'string', description: '网页' } },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { schema: { type: 'string', format: 'binary', description: 'Word（docx）' } },
};
