import {
  APPLICANT_COLUMNS,
  COLUMN_LABELS,
  DISPUTE_CELL_LABELS,
  DISPUTE_CELLS,
  DISPUTE_GROUP_LABELS,
  DISPUTE_GROUPS,
  REPORT_ROWS,
  ROW_LABELS,
  type IdentityCheck,
} from '@desk/reports';
import { APPLICANT_CATEGORY_TERMS, DISPUTE_KIND_TERMS, DISPUTE_RESULT_TERMS, REPORT_COLUMN_TERMS, STATE_TERMS, CORRECTION_OUTCOME_TERMS, OUTCOME_TERMS } from '@desk/vocabulary';
import { ApiProperty } from '@nestjs/swagger';
import { ViewBoolean, ViewCode, ViewDate, ViewInt, ViewMap, ViewNested, ViewNumber, ViewText, ViewUuid } from '../../common/view-properties';
import type { AnnualReportView } from '../reports.service';

// The national annual report (国办公开办函〔2021〕30号 sections 三 and 四) keyed as api.md fixes it: every row, column
// and cell is named in the schema, each with the national format's words, so a client knows the table's whole shape.

type Schema = Record<string, unknown>;

/** An object with exactly these keys, each of `value`'s schema, described by `labels`. */
function keyed(keys: readonly string[], labels: Record<string, string>, value: (key: string) => Schema, description: string): Schema {
  return {
    type: 'object',
    description,
    properties: Object.fromEntries(keys.map((key) => [key, { ...value(key), description: labels[key] }])),
    required: [...keys],
  };
}

/**
 * A property holding such an object. `selfRequired`: the property is required in its parent too (Nest reads a `required`
 * list in property options as the nested object's own, and would leave the property optional).
 */
const KeyedProperty = (schema: Schema) => ApiProperty({ ...schema, selfRequired: true } as never);

const count = () => ({ type: 'integer', minimum: 0 });
const word = () => ({ type: 'string' });

const APPLICATIONS = keyed(REPORT_ROWS, ROW_LABELS, () => keyed(APPLICANT_COLUMNS, COLUMN_LABELS, count, '申请人情况各列的件数'), '第三部分：行 × 申请人情况的件数');
const DISPUTES = keyed(DISPUTE_GROUPS, DISPUTE_GROUP_LABELS, () => keyed(DISPUTE_CELLS, DISPUTE_CELL_LABELS, count, '结果各栏的件数'), '第四部分：行政复议、行政诉讼的件数');

export class IdentityCheckDto implements IdentityCheck {
  @ViewCode(REPORT_COLUMN_TERMS, '列') column!: IdentityCheck['column'];
  @ViewInt('一、本年新收') new!: number;
  @ViewInt('二、上年结转') carriedOver!: number;
  @ViewInt('（七）总计') total!: number;
  @ViewInt('四、结转下年度继续办理') carriedForward!: number;
  @ViewBoolean('一 + 二 = （七） + 四 成立') holds!: boolean;
}

export class ReportLabelsDto {
  @KeyedProperty(keyed(REPORT_ROWS, ROW_LABELS, word, '各行的名称（全国统一格式）')) rows!: AnnualReportView['labels']['rows'];
  @KeyedProperty(keyed(APPLICANT_COLUMNS, COLUMN_LABELS, word, '各列的名称')) columns!: AnnualReportView['labels']['columns'];
  @KeyedProperty(keyed(DISPUTE_GROUPS, DISPUTE_GROUP_LABELS, word, '第四部分各组的名称')) disputeGroups!: AnnualReportView['labels']['disputeGroups'];
  @KeyedProperty(keyed(DISPUTE_CELLS, DISPUTE_CELL_LABELS, word, '第四部分各栏的名称')) disputeCells!: AnnualReportView['labels']['disputeCells'];
}

/** GET /api/reports/annual/{year} (api.md). */
export class AnnualReportDto implements AnnualReportView {
  @ViewInt('年度') year!: number;
  @KeyedProperty(APPLICATIONS) applications!: AnnualReportView['applications'];
  @KeyedProperty(DISPUTES) disputes!: AnnualReportView['disputes'];
  @ViewNested(IdentityCheckDto, '各列的勾稽关系', { list: true }) identity!: IdentityCheckDto[];
  @ViewBoolean('各列的勾稽关系都成立') identityHolds!: boolean;
  @ViewBoolean('年度报告已锁定：该年度的记录不能再修改') locked!: boolean;
  @ViewNested(ReportLabelsDto, '表格各行、各列、各栏的名称') labels!: ReportLabelsDto;
}

/** A case behind a cell of section 三. */
export class DrillDownCaseDto {
  @ViewUuid('案件 id') id!: string;
  @ViewText('案件编号') caseNumber!: string;
  @ViewCode(APPLICANT_CATEGORY_TERMS, '申请人类别') category!: string;
  @ViewDate('收到申请之日', { nullable: true }) receivedAt!: string | null;
  @ViewCode(STATE_TERMS, '状态') state!: string;
  @ViewCode([...OUTCOME_TERMS, ...CORRECTION_OUTCOME_TERMS], '办理结果', { nullable: true }) outcome!: string | null;
  @ViewDate('办结之日', { nullable: true }) concludedAt!: string | null;
}

/** A dispute behind a cell of section 四. */
export class DrillDownDisputeDto {
  @ViewUuid('争议编号') id!: string;
  @ViewText('案件编号') caseNumber!: string;
  @ViewCode(DISPUTE_KIND_TERMS, '类别') kind!: string;
  @ViewText('复议机关或人民法院') body!: string;
  @ViewDate('申请或起诉日期') filedAt!: string;
  @ViewCode(DISPUTE_RESULT_TERMS.filter((term) => term.code !== 'pending'), '结果；尚未审结为 null', { nullable: true }) result!: string | null;
  @ViewDate('决定或判决日期', { nullable: true }) decidedAt!: string | null;
}

/** 纠错率 or 败诉率: corrected ÷ concluded. */
export class CorrectionRateDto {
  @ViewInt('审结件数') concluded!: number;
  @ViewInt('结果纠正件数') corrected!: number;
  @ViewNumber('纠正率（0 至 1，四位小数）；无审结时为 null', { nullable: true }) rate!: number | null;
}

export class RatesSummaryDto {
  @ViewInt('办结件数') concluded!: number;
  @ViewInt('其中逾期答复件数') overdue!: number;
  @ViewNumber('逾期率（0 至 1）；无办结时为 null', { nullable: true }) overdueRate!: number | null;
  @ViewNumber('答复用时中位数（工作日）', { nullable: true }) medianWorkingDaysToReply!: number | null;
  @ViewMap({ type: 'integer' }, '办理结果构成：办理结果代码 → 件数') outcomeMix!: Record<string, number>;
  @ViewNested(CorrectionRateDto, '行政复议纠错率') review!: CorrectionRateDto;
  @ViewNested(CorrectionRateDto, '行政诉讼败诉率') litigation!: CorrectionRateDto;
}

export class DepartmentRatesDto extends RatesSummaryDto {
  @ViewText('承办部门；未分办的为“（未分办）”') department!: string;
}

export class YearRatesDto extends RatesSummaryDto {
  @ViewInt('年度') year!: number;
  @ViewNested(DepartmentRatesDto, '按承办部门', { list: true }) byDepartment!: DepartmentRatesDto[];
}

/** GET /api/reports/rates (rules.md §7). */
export class RatesDto {
  @ViewInt('起始年度') from!: number;
  @ViewInt('截止年度') to!: number;
  @ViewNested(YearRatesDto, '各年度', { list: true }) years!: YearRatesDto[];
}
