import { Injectable } from '@nestjs/common';
import {
  APPLICANT_COLUMNS,
  cellLabel,
  COLUMN_GROUP_LABEL,
  COLUMN_LABELS,
  DISPUTE_CELL_LABELS,
  DISPUTE_CELLS,
  DISPUTE_GROUP_LABELS,
  DISPUTE_GROUPS,
  DISPUTE_LITIGATION_LABEL,
  feeParagraph,
  overviewParagraph,
  REPORT_ROWS,
  reportBreaches,
  ROW_LABELS,
  SECTION_FOUR_TITLE,
  SECTION_THREE_COLUMNS_LABEL,
  SECTION_THREE_CORNER_NOTE,
  SECTION_THREE_RESULTS_LABEL,
  SECTION_THREE_TITLE,
  type AnnualReportFigures,
  type FeeFigures,
} from '@desk/reports';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { CaseAccess } from '../cases/case-access.service';
import { conflict } from '../common/domain-error';
import { CalendarService } from '../calendar/calendar.service';
import { ReadDatabase } from '../database/read-database';
import { reportDocx, reportPdf, type GridCell, type ReportBlock } from '../documents/report-layout';
import type { AnnualReportFillInsDto, AnnualReportFillInsResponseDto, ProactiveDisclosureDto, ReportChecksResponseDto } from './dto/annual-report-document.dto';
import { ReportsService } from './reports.service';

const CONTENT_TYPES = { pdf: 'application/pdf', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' } as const;

interface FillInsRow {
  overview: string | null;
  proactive: ProactiveDisclosureDto | null;
  problems: string | null;
  other_matters: string | null;
  updated_at: Date | null;
}

/**
 * 政府信息公开工作年度报告 as the document the office publishes (国办公开办函〔2021〕30号): 一 总体情况 with the desk's
 * figures, 二 the 主动公开 table and 五 written by the office (stored per agency and year), 三 and 四 the national tables,
 * 六 with the 信息处理费 charged and collected. Export is refused while a table identity breaks or a required part is
 * missing; the checks say which cell, with the cases behind it.
 */
@Injectable()
export class AnnualReportDocumentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reads: ReadDatabase,
    private readonly reports: ReportsService,
    private readonly access: CaseAccess,
    private readonly calendars: CalendarService,
  ) {}

  async fillIns(principal: Principal, year: number): Promise<AnnualReportFillInsResponseDto> {
    await this.reports.compute(principal, year); // the year's own check (2019 to this year)
    const row = await this.fillInsRow(principal.agencyId, year);
    return {
      year,
      overview: row?.overview ?? null,
      proactive: row?.proactive ?? null,
      problems: row?.problems ?? null,
      otherMatters: row?.other_matters ?? null,
      updatedAt: row?.updated_at ? new Date(row.updated_at).toISOString() : null,
      locked: await this.reports.isLocked(principal.agencyId, year, this.dataSource.manager),
    };
  }

  /** Replaces the year's fill-ins; a published (locked) year's are refused. */
  async saveFillIns(principal: Principal, year: number, body: AnnualReportFillInsDto): Promise<AnnualReportFillInsResponseDto> {
    await this.reports.compute(principal, year);
    await this.dataSource.transaction(async (manager) => {
      if (await this.reports.isLocked(principal.agencyId, year, manager)) throw conflict(`${year} 年度报告已发布并锁定，不能再修改`);
      await manager.query(
        `INSERT INTO annual_report_fill_ins (agency_id, year, overview, proactive, problems, other_matters, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now())
         ON CONFLICT (agency_id, year) DO UPDATE SET overview = $3, proactive = $4, problems = $5, other_matters = $6, updated_by = $7, updated_at = now()`,
        [principal.agencyId, year, body.overview ?? null, JSON.stringify(body.proactive), body.problems, body.otherMatters ?? null, principal.userId],
      );
    });
    return this.fillIns(principal, year);
  }

  private async fillInsRow(agencyId: string, year: number): Promise<FillInsRow | null> {
    const [row]: FillInsRow[] = await this.dataSource.query(
      `SELECT overview, proactive, problems, other_matters, updated_at FROM annual_report_fill_ins WHERE agency_id = $1 AND year = $2`,
      [agencyId, year],
    );
    return row ?? null;
  }

  /** The table identities cell by cell, with the cases behind each breaking cell, and what the office has yet to write. */
  async checks(principal: Principal, year: number, report?: AnnualReportFigures): Promise<ReportChecksResponseDto> {
    const computed = report ?? (await this.reports.compute(principal, year));
    const breaches = reportBreaches(computed);
    const value = (key: string) => {
      const [left, right] = key.split('|');
      if (left.startsWith('disputes.')) return computed.disputes[left.slice(9) as 'review'][right as 'total'];
      return computed.applications[left as 'new'][right as 'total'];
    };
    const fillIns = await this.fillInsRow(principal.agencyId, year);
    const missingFillIns = [...(fillIns?.proactive ? [] : ['二、主动公开政府信息情况']), ...(fillIns?.problems ? [] : ['五、存在的主要问题及改进情况'])];
    const result: ReportChecksResponseDto = {
      year,
      identitiesHold: breaches.length === 0,
      breaches: await Promise.all(
        breaches.map(async (breach) => ({
          identity: breach.identity,
          cell: { key: breach.cell, label: cellLabel(breach.cell), value: breach.value },
          expected: breach.sum,
          parts: breach.parts.map((key) => ({ key, label: cellLabel(key), value: value(key) })),
          cases: await this.casesBehind(principal, year, breach.cell),
        })),
      ),
      missingFillIns,
      exportable: breaches.length === 0 && missingFillIns.length === 0,
    };
    return result;
  }

  /** The drill-down of a cell (found when a check names it), scoped to what the user may see. */
  private async casesBehind(principal: Principal, year: number, key: string): Promise<{ id: string; caseNumber: string }[]> {
    const ids = (await this.reports.cellIds(principal.agencyId, year, key)) ?? [];
    if (!ids.length) return [];
    const params: unknown[] = [ids];
    const visible = this.access.scopeCondition(principal, 'c', (value) => `$${params.push(value)}`);
    if (key.startsWith('disputes.')) {
      return this.reads.query(`SELECT d.id, c.case_number AS "caseNumber" FROM disputes d JOIN cases c ON c.id = d.case_id WHERE d.id = ANY($1::uuid[]) AND ${visible} ORDER BY c.case_number`, params);
    }
    return this.reads.query(`SELECT c.id, c.case_number AS "caseNumber" FROM cases c WHERE c.id = ANY($1::uuid[]) AND ${visible} ORDER BY c.case_number`, params);
  }

  /** 信息处理费 (国办函〔2020〕109号): notices sent in the year and their amounts; payments recorded in it and what they paid. */
  async fees(agencyId: string, year: number): Promise<FeeFigures> {
    const [row]: { notices: number; charged: string | null; payments: number; collected: string | null }[] = await this.reads.query(
      `WITH fee_events AS (
         SELECT e.case_id, e.sequence, e.type, e.at, (e.payload->>'amountYuan')::numeric AS amount
           FROM case_events e JOIN cases c ON c.id = e.case_id
          WHERE c.agency_id = $1 AND e.type IN ('SEND_FEE_NOTICE', 'RECORD_FEE_PAYMENT')
       ), paid AS (
         SELECT p.case_id, p.at,
                (SELECT n.amount FROM fee_events n WHERE n.case_id = p.case_id AND n.type = 'SEND_FEE_NOTICE' AND n.sequence < p.sequence ORDER BY n.sequence DESC LIMIT 1) AS amount
           FROM fee_events p WHERE p.type = 'RECORD_FEE_PAYMENT'
       )
       SELECT (SELECT count(*)::int FROM fee_events WHERE type = 'SEND_FEE_NOTICE' AND at BETWEEN $2::date AND $3::date) AS notices,
              (SELECT sum(amount) FROM fee_events WHERE type = 'SEND_FEE_NOTICE' AND at BETWEEN $2::date AND $3::date) AS charged,
              (SELECT count(*)::int FROM paid WHERE at BETWEEN $2::date AND $3::date) AS payments,
              (SELECT sum(amount) FROM paid WHERE at BETWEEN $2::date AND $3::date) AS collected`,
      [agencyId, `${year}-01-01`, `${year}-12-31`],
    );
    return { noticesSent: row.notices, amountCharged: Number(row.charged ?? 0), paymentsReceived: row.payments, amountCollected: Number(row.collected ?? 0) };
  }

  async document(principal: Principal, year: number, format: 'pdf' | 'docx') {
    const report = await this.reports.compute(principal, year);
    const checks = await this.checks(principal, year, report);
    if (!checks.identitiesHold) {
      throw conflict(`勾稽关系不成立，不能导出：${checks.breaches.map((breach) => `${breach.identity}（${breach.cell.label}为 ${breach.cell.value}，应为 ${breach.expected}）`).join('；')}`);
    }
    if (checks.missingFillIns.length) throw conflict(`年度报告尚缺以下部分，不能导出：${checks.missingFillIns.join('、')}`);
    const fillIns = (await this.fillInsRow(principal.agencyId, year))!;
    const previous = year > 2019 ? await this.reports.figures(principal.agencyId, year - 1) : null;
    const [agency]: { name: string }[] = await this.dataSource.query(`SELECT name FROM agencies WHERE id = $1`, [principal.agencyId]);
    const title = `${agency.name}${year}年政府信息公开工作年度报告`;
    const blocks = annualReportBlocks(title, year, report, previous, fillIns, await this.fees(principal.agencyId, year));
    const body = format === 'pdf' ? await reportPdf(blocks, { title, date: this.calendars.today() }) : await reportDocx(blocks, { title });
    return { body, contentType: CONTENT_TYPES[format], filename: `${title}.${format}`, sha256: null };
  }
}

const n = (value: number) => String(value);
const paragraphs = (text: string | null): ReportBlock[] =>
  (text ?? '')
    .split(/\n+/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => ({ kind: 'paragraph', text: line }));

/** The six sections, in the national format's order and words. */
export function annualReportBlocks(title: string, year: number, report: AnnualReportFigures, previous: AnnualReportFigures | null, fillIns: FillInsRow, fees: FeeFigures): ReportBlock[] {
  const p = fillIns.proactive!;
  const proactive: GridCell[][] = [
    [{ text: '第二十条第（一）项', colSpan: 4 }],
    [{ text: '信息内容' }, { text: '本年制发件数' }, { text: '本年废止件数' }, { text: '现行有效件数' }],
    [{ text: '规章', left: true }, { text: n(p.regulationsIssued) }, { text: n(p.regulationsRepealed) }, { text: n(p.regulationsInForce) }],
    [{ text: '行政规范性文件', left: true }, { text: n(p.normativeDocumentsIssued) }, { text: n(p.normativeDocumentsRepealed) }, { text: n(p.normativeDocumentsInForce) }],
    [{ text: '第二十条第（五）项', colSpan: 4 }],
    [{ text: '信息内容' }, { text: '本年处理决定数量', colSpan: 3 }],
    [{ text: '行政许可', left: true }, { text: n(p.licensingDecisions), colSpan: 3 }],
    [{ text: '第二十条第（六）项', colSpan: 4 }],
    [{ text: '信息内容' }, { text: '本年处理决定数量', colSpan: 3 }],
    [{ text: '行政处罚', left: true }, { text: n(p.penaltyDecisions), colSpan: 3 }],
    [{ text: '行政强制', left: true }, { text: n(p.enforcementDecisions), colSpan: 3 }],
    [{ text: '第二十条第（八）项', colSpan: 4 }],
    [{ text: '信息内容' }, { text: '本年收费金额（单位：万元）', colSpan: 3 }],
    [{ text: '行政事业性收费', left: true }, { text: String(p.administrativeFeesTenThousandYuan), colSpan: 3 }],
  ];
  const three: GridCell[][] = [
    [{ text: SECTION_THREE_CORNER_NOTE, rowSpan: 3, colSpan: 2, left: true }, { text: SECTION_THREE_COLUMNS_LABEL, colSpan: 7 }],
    [{ text: COLUMN_LABELS.natural_person, rowSpan: 2 }, { text: COLUMN_GROUP_LABEL, colSpan: 5 }, { text: COLUMN_LABELS.total, rowSpan: 2 }],
    APPLICANT_COLUMNS.slice(1, 6).map((column) => ({ text: COLUMN_LABELS[column] })),
  ];
  for (const row of REPORT_ROWS) {
    if (row === 'disclosed') three.push([{ text: SECTION_THREE_RESULTS_LABEL, colSpan: 9, left: true }]);
    three.push([{ text: ROW_LABELS[row], colSpan: 2, left: true }, ...APPLICANT_COLUMNS.map((column) => ({ text: n(report.applications[row][column]) }))]);
  }
  const four: GridCell[][] = [
    [{ text: DISPUTE_GROUP_LABELS.review, colSpan: 5, rowSpan: 2 }, { text: DISPUTE_LITIGATION_LABEL, colSpan: 10 }],
    [{ text: DISPUTE_GROUP_LABELS.litigation_direct, colSpan: 5 }, { text: DISPUTE_GROUP_LABELS.litigation_after_review, colSpan: 5 }],
    DISPUTE_GROUPS.flatMap(() => DISPUTE_CELLS.map((cell) => ({ text: DISPUTE_CELL_LABELS[cell] }))),
    DISPUTE_GROUPS.flatMap((group) => DISPUTE_CELLS.map((cell) => ({ text: n(report.disputes[group][cell]) }))),
  ];
  return [
    { kind: 'title', text: title },
    { kind: 'paragraph', text: `本报告依据《中华人民共和国政府信息公开条例》第四十九条、第五十条和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）编制。本报告所列数据的统计期限为${year}年1月1日至${year}年12月31日。` },
    { kind: 'heading', text: '一、总体情况' },
    ...paragraphs(fillIns.overview),
    { kind: 'paragraph', text: overviewParagraph(year, report, previous) },
    { kind: 'heading', text: '二、主动公开政府信息情况' },
    { kind: 'table', widths: [3, 2, 2, 2], rows: proactive },
    { kind: 'heading', text: SECTION_THREE_TITLE },
    { kind: 'table', widths: [4, 5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5], rows: three },
    { kind: 'heading', text: SECTION_FOUR_TITLE },
    { kind: 'table', widths: new Array(15).fill(1), rows: four },
    { kind: 'heading', text: '五、存在的主要问题及改进情况' },
    ...paragraphs(fillIns.problems),
    { kind: 'heading', text: '六、其他需要报告的事项' },
    { kind: 'paragraph', text: feeParagraph(fees) },
    ...paragraphs(fillIns.other_matters),
  ];
}
