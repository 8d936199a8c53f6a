import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { APPLICANT_COLUMNS, DISPUTE_CELLS, DISPUTE_GROUPS, REPORT_ROWS, RESULT_FAMILIES } from '@desk/reports';
import { DISPUTE_CELL_TERMS, DISPUTE_GROUP_TERMS, labelOf, OUTCOME_TERMS, REPORT_COLUMN_TERMS, REPORT_HEADINGS, REPORT_ROW_TERMS } from '@desk/vocabulary';
import type { Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { DomainError, invalid } from '../common/domain-error';
import { dtoFieldLabel, fieldProblems } from '../common/validation';
import { AnnualReportDocumentService } from '../reports/annual-report-document.service';
import { AnnualReportFillInsDto, ProactiveDisclosureDto, type AnnualReportFillInsResponseDto, type ReportChecksResponseDto } from '../reports/dto/annual-report-document.dto';
import { ReportsService } from '../reports/reports.service';
import { formField, postedText, type Problem } from './console-forms';

/** A year in an address: four digits (the service checks the range: 2019 to this year). */
export function reportYear(value: unknown): number {
  if (typeof value !== 'string' || !/^\d{4}$/.test(value)) throw invalid(`年度应为四位数字的年份，收到“${String(value ?? '')}”`);
  return Number(value);
}

const cellHref = (year: number, key: string) => `/staff/reports/${year}/cases?cell=${encodeURIComponent(key)}`;
const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** The annual report screen (issue 16 item 8): the national tables with their official labels, every figure a link. */
@Injectable()
export class ReportsPages {
  constructor(
    private readonly reports: ReportsService,
    private readonly calendars: CalendarService,
    private readonly documents: AnnualReportDocumentService,
  ) {}

  thisYear(): number {
    return Number(this.calendars.today().slice(0, 4));
  }

  /** The report is compiled early in the next year: the year just ended is the one people open. */
  defaultYear(): number {
    return this.thisYear() - 1;
  }

  years(selected: number) {
    const years = [];
    for (let year = this.thisYear(); year >= 2019; year--) years.push({ value: String(year), label: `${year}年`, selected: year === selected });
    return years;
  }

  async page(principal: Principal, year: number) {
    const [report, lock, checks, fillIns] = await Promise.all([
      this.reports.annual(principal, year),
      this.reports.lockInfo(principal.agencyId, year),
      this.documents.checks(principal, year),
      this.documents.fillIns(principal, year),
    ]);
    const families = new Set<string>(['disclosed', 'partial', ...RESULT_FAMILIES, 'total']);
    const rows = REPORT_ROWS.map((row) => ({
      label: labelOf(REPORT_ROW_TERMS, row),
      // 三、本年度办理结果 stands above （一）予以公开 as in the national format.
      headingBefore: row === 'disclosed' ? REPORT_HEADINGS.results : null,
      kind: row.includes('.') ? 'sub' : families.has(row) ? 'family' : 'main',
      cells: APPLICANT_COLUMNS.map((column) => ({
        value: report.applications[row][column],
        href: cellHref(year, `${row}|${column}`),
        description: `${labelOf(REPORT_ROW_TERMS, row)}，${labelOf(REPORT_COLUMN_TERMS, column)}：${report.applications[row][column]} 件`,
      })),
    }));
    const disputes = DISPUTE_GROUPS.map((group) => ({
      label: labelOf(DISPUTE_GROUP_TERMS, group),
      cells: DISPUTE_CELLS.map((cell) => ({
        value: report.disputes[group][cell],
        href: cellHref(year, `disputes.${group}|${cell}`),
        description: `${labelOf(DISPUTE_GROUP_TERMS, group)}，${labelOf(DISPUTE_CELL_TERMS, cell)}：${report.disputes[group][cell]} 件`,
      })),
    }));
    const broken = report.identity.filter((check) => !check.holds).map((check) => ({ ...check, label: labelOf(REPORT_COLUMN_TERMS, check.column) }));
    return {
      year,
      years: this.years(year),
      headings: REPORT_HEADINGS,
      organisationColumns: APPLICANT_COLUMNS.slice(1, 6).map((column) => labelOf(REPORT_COLUMN_TERMS, column)),
      naturalPersonLabel: labelOf(REPORT_COLUMN_TERMS, 'natural_person'),
      totalLabel: labelOf(REPORT_COLUMN_TERMS, 'total'),
      rows,
      disputes,
      disputeCells: DISPUTE_CELLS.map((cell) => labelOf(DISPUTE_CELL_TERMS, cell)),
      identityHolds: report.identityHolds,
      totals: {
        new: report.applications.new.total,
        carriedOver: report.applications.carried_over.total,
        results: report.applications.total.total,
        carriedForward: report.applications.carried_forward.total,
      },
      broken,
      lock,
      yearEnded: year < this.thisYear(),
      exports: { xlsx: `/staff/reports/${year}/export?format=xlsx`, html: `/staff/reports/${year}/export?format=html` },
      document: documentSection(year, checks, fillIns, mayWriteFillIns(principal)),
    };
  }

  /** The form of the parts the office writes (二 and 五, with its own words in 一 and 六), as saved or as posted. */
  async fillInsPage(principal: Principal, year: number, posted?: Record<string, unknown>, problems: Problem[] = []) {
    const saved = await this.documents.fillIns(principal, year);
    const values: Record<string, unknown> = posted ?? savedValues(saved);
    return {
      year,
      locked: saved.locked,
      updatedAt: saved.updatedAt,
      mayWrite: mayWriteFillIns(principal) && !saved.locked,
      overview: formField(TEXT_FIELDS.overview, values.overview, problems),
      problemsField: formField(TEXT_FIELDS.problems, values.problems, problems),
      otherMatters: formField(TEXT_FIELDS.otherMatters, values.otherMatters, problems),
      proactive: proactiveTable(values, problems),
      // Read-only (a locked year, or a reader who may not write): the figures and text as saved.
      saved: savedView(saved),
      errors: problems,
    };
  }

  /**
   * Saves the fill-ins through the API's own service, checked by the API's own DTO: each problem beside its field, named
   * by the field's label; a locked year is refused (409) by the service.
   */
  async saveFillIns(principal: Principal, year: number, posted: Record<string, unknown>): Promise<{ kind: 'saved' } | { kind: 'refused'; status: number; problems: Problem[] }> {
    // A published year first: whatever was typed, it cannot be saved (the service refuses it too).
    if (await this.reports.isLocked(principal.agencyId, year)) return { kind: 'refused', status: 409, problems: [{ name: null, message: `${year} 年度报告已发布并锁定，不能再修改` }] };
    const input = fillInsInput(posted);
    const dto = plainToInstance(AnnualReportFillInsDto, input);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: true, value: true } });
    if (errors.length) {
      // proactive.regulationsIssued → the table's field regulationsIssued.
      const problems = fieldProblems(errors).map((problem) => ({ name: problem.path.split('.').at(-1) ?? null, message: problem.message }));
      return { kind: 'refused', status: 400, problems };
    }
    try {
      await this.documents.saveFillIns(principal, year, dto);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
      return { kind: 'refused', status: 409, problems: [{ name: null, message: error.message }] };
    }
    return { kind: 'saved' };
  }

  /** The whole report (six sections) as the document the office publishes; refused (409) while a check fails. */
  document(principal: Principal, year: number, format: unknown) {
    if (format !== 'pdf' && format !== 'docx') throw invalid('文件格式 应为 PDF 或 Word（.docx）');
    return this.documents.document(principal, year, format);
  }

  /** The cases (or disputes) behind one figure, listed where the user may see them. */
  async cell(principal: Principal, year: number, key: unknown) {
    if (typeof key !== 'string' || !key) throw invalid('请从统计表中选择一个数字');
    const rows = (await this.reports.drillDown(principal, year, key)) as Record<string, unknown>[];
    const [left, right] = key.split('|');
    const isDispute = left.startsWith('disputes.');
    const title = isDispute
      ? `${labelOf(DISPUTE_GROUP_TERMS, left.slice('disputes.'.length))}：${labelOf(DISPUTE_CELL_TERMS, right)}`
      : `${labelOf(REPORT_ROW_TERMS, left)}：${labelOf(REPORT_COLUMN_TERMS, right)}`;
    return { year, key, title, isDispute, rows };
  }

  lock(principal: Principal, year: number) {
    return this.reports.lock(principal, year);
  }

  export(principal: Principal, year: number, format: unknown): Promise<{ kind: 'xlsx'; body: Buffer } | { kind: 'html'; body: string }> {
    if (format === 'xlsx') return this.reports.xlsx(principal, year).then((body) => ({ kind: 'xlsx' as const, body }));
    if (format === 'html') return this.reports.html(principal, year).then((body) => ({ kind: 'html' as const, body }));
    throw invalid('导出格式 应为 Excel 表格或网页');
  }

  /** The legal office's rates (rules.md §7), per year and department, in words and percentages. */
  async rates(principal: Principal, rawFrom: unknown, rawTo: unknown) {
    const to = rawTo ? reportYear(rawTo) : this.thisYear();
    const from = rawFrom ? reportYear(rawFrom) : to - 2;
    const result = await this.reports.rates(principal, from, to);
    const describe = (summary: (typeof result.years)[number] | (typeof result.years)[number]['byDepartment'][number]) => ({
      concluded: summary.concluded,
      overdue: summary.overdue,
      overdueRate: percent(summary.overdueRate),
      median: summary.medianWorkingDaysToReply ?? '—',
      review: { ...summary.review, rate: percent(summary.review.rate) },
      litigation: { ...summary.litigation, rate: percent(summary.litigation.rate) },
      outcomes: Object.entries(summary.outcomeMix)
        .map(([code, count]) => ({ label: labelOf(OUTCOME_TERMS, code), count }))
        .sort((a, b) => b.count - a.count),
    });
    return {
      from,
      to,
      fromYears: this.years(from),
      toYears: this.years(to),
      years: result.years.map((entry) => ({ year: entry.year, ...describe(entry), departments: entry.byDepartment.map((department) => ({ name: department.department, ...describe(department) })) })).reverse(),
    };
  }
}

/** Who writes the office's parts of the report: as PUT /api/reports/annual/{year}/fill-ins (the head, the administrator). */
function mayWriteFillIns(principal: Principal): boolean {
  return principal.roles.some((role) => role === 'head' || role === 'admin');
}

/** 二、主动公开政府信息情况 as the national format lays it out: the article's item, its rows, each row's figures. */
const PROACTIVE_LAYOUT: readonly { item: string; columns: readonly string[]; rows: readonly { label: string; fields: readonly (keyof ProactiveDisclosureDto)[] }[] }[] = [
  {
    item: '第二十条第（一）项',
    columns: ['本年制发件数', '本年废止件数', '现行有效件数'],
    rows: [
      { label: '规章', fields: ['regulationsIssued', 'regulationsRepealed', 'regulationsInForce'] },
      { label: '行政规范性文件', fields: ['normativeDocumentsIssued', 'normativeDocumentsRepealed', 'normativeDocumentsInForce'] },
    ],
  },
  { item: '第二十条第（五）项', columns: ['本年处理决定数量'], rows: [{ label: '行政许可', fields: ['licensingDecisions'] }] },
  {
    item: '第二十条第（六）项',
    columns: ['本年处理决定数量'],
    rows: [
      { label: '行政处罚', fields: ['penaltyDecisions'] },
      { label: '行政强制', fields: ['enforcementDecisions'] },
    ],
  },
  { item: '第二十条第（八）项', columns: ['本年收费金额（单位：万元）'], rows: [{ label: '行政事业性收费', fields: ['administrativeFeesTenThousandYuan'] }] },
];

const PROACTIVE_FIELDS = PROACTIVE_LAYOUT.flatMap((group) => group.rows.flatMap((row) => row.fields));
/** 万元 with decimals; the others are counts. */
const DECIMAL_FIELDS = new Set<string>(['administrativeFeesTenThousandYuan']);

const TEXT_FIELDS = {
  overview: {
    name: 'overview',
    label: dtoFieldLabel(AnnualReportFillInsDto, 'overview'),
    widget: 'textarea' as const,
    optional: true,
    rows: 6,
    max: 20_000,
    hint: '一、总体情况中本机关的综述（主动公开、政府信息管理、平台建设、监督保障等）；依申请公开的数字由系统生成，写在这段文字之后。',
  },
  problems: {
    name: 'problems',
    label: dtoFieldLabel(AnnualReportFillInsDto, 'problems'),
    widget: 'textarea' as const,
    rows: 8,
    max: 20_000,
    hint: '五、存在的主要问题及改进情况。每段另起一行。',
  },
  otherMatters: {
    name: 'otherMatters',
    label: dtoFieldLabel(AnnualReportFillInsDto, 'otherMatters'),
    widget: 'textarea' as const,
    optional: true,
    rows: 4,
    max: 20_000,
    hint: '六、其他需要报告的事项。信息处理费的收取情况由系统根据收费通知和缴费记录生成，此处填写其他事项。',
  },
};

/** What was saved, as the form's posted strings. */
function savedValues(saved: AnnualReportFillInsResponseDto): Record<string, unknown> {
  const proactive = (saved.proactive ?? {}) as Partial<Record<string, number>>;
  return {
    overview: saved.overview ?? '',
    problems: saved.problems ?? '',
    otherMatters: saved.otherMatters ?? '',
    ...Object.fromEntries(PROACTIVE_FIELDS.map((name) => [name, proactive[name] === undefined ? '' : String(proactive[name])])),
  };
}

/** The posted form as the API's body: a figure typed as digits becomes a number, anything else stays as typed for the check to word. */
function fillInsInput(posted: Record<string, unknown>): Record<string, unknown> {
  const figure = (name: string): unknown => {
    const text = postedText(posted, name).replace(/[,，\s]/g, '');
    if (text === '') return undefined;
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  };
  // A browser sends a textarea's line breaks as CR LF; the report's paragraphs are split on LF.
  const text = (name: string) => postedText(posted, name).replace(/\r\n?/g, '\n');
  const optional = (name: string) => text(name) || undefined;
  return {
    ...(optional('overview') ? { overview: optional('overview') } : {}),
    proactive: Object.fromEntries(PROACTIVE_FIELDS.map((name) => [name, figure(name)])),
    problems: text('problems'),
    ...(optional('otherMatters') ? { otherMatters: optional('otherMatters') } : {}),
  };
}

/** The 主动公开 table as form fields, each labelled as the API's messages name it (规章：本年制发件数). */
function proactiveTable(values: Record<string, unknown>, problems: readonly Problem[]) {
  return PROACTIVE_LAYOUT.map((group) => ({
    item: group.item,
    columns: group.columns,
    span: 4 - group.columns.length,
    rows: group.rows.map((row) => ({
      label: row.label,
      span: 4 - row.fields.length,
      cells: row.fields.map((name) => ({
        name,
        label: dtoFieldLabel(ProactiveDisclosureDto, name),
        value: values[name] === undefined || values[name] === null ? '' : String(values[name]),
        decimal: DECIMAL_FIELDS.has(name),
        error: problems.find((problem) => problem.name === name)?.message ?? null,
      })),
    })),
  }));
}

/** The saved fill-ins for reading: the table's figures and the paragraphs. */
function savedView(saved: AnnualReportFillInsResponseDto) {
  const lines = (text: string | null) => (text ?? '').split(/\n+/).map((line) => line.trim()).filter(Boolean);
  return {
    overview: lines(saved.overview),
    problems: lines(saved.problems),
    otherMatters: lines(saved.otherMatters),
    proactive: saved.proactive ? proactiveTable(savedValues(saved), []) : null,
  };
}

/**
 * The report as a document (国办公开办函〔2021〕30号, six sections): the checks before export in words, each breaking
 * cell linked to the cases behind it; the parts still to be written; and the downloads once nothing stands in the way.
 */
function documentSection(year: number, checks: ReportChecksResponseDto, fillIns: AnnualReportFillInsResponseDto, mayWrite: boolean) {
  return {
    identitiesHold: checks.identitiesHold,
    breaches: checks.breaches.map((breach) => ({
      identity: breach.identity,
      cell: { ...breach.cell, href: cellHref(year, breach.cell.key) },
      expected: breach.expected,
      parts: breach.parts.map((part) => ({ ...part, href: cellHref(year, part.key) })),
      caseCount: breach.cases.length,
    })),
    missing: checks.missingFillIns,
    exportable: checks.exportable,
    written: Boolean(fillIns.proactive && fillIns.problems),
    updatedAt: fillIns.updatedAt,
    locked: fillIns.locked,
    mayWrite: mayWrite && !fillIns.locked,
    fillInsHref: `/staff/reports/${year}/fill-ins`,
    docx: `/staff/reports/${year}/document?format=docx`,
    pdf: `/staff/reports/${year}/document?format=pdf`,
  };
}
