import { APPLICANT_COLUMNS, DISPUTE_CELLS, DISPUTE_GROUPS, REPORT_ROWS, ROW_LABELS, type AnnualReport } from '@desk/reports';
import { ReportsService } from '../../apps/api/src/reports/reports.service';
import { apiOf, seedAgencyHistory } from '../support/agency-history';
import { docxTables, docxText } from '../support/docx-text';
import { binaryParser } from '../support/http';
import { pdfLines, pdfText } from '../support/pdf-text';
import { startTestApp, type TestApp } from '../setup/test-app';
import { PROACTIVE_FILL_INS } from '../factories/report-fill-ins';

const PROACTIVE = PROACTIVE_FILL_INS;

describe('the annual report as a document (国办公开办函〔2021〕30号): fill-ins, checks, DOCX and PDF equal to the JSON', () => {
  let t: TestApp;
  let json: AnnualReport;
  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-12-31');
    await seedAgencyHistory(apiOf(t.http));
    t.setToday('2026-01-20');
    json = (await t.http.get('/api/reports/annual/2025').set(await t.as('head')).expect(200)).body;
    // A whole year of letters, each rendered and frozen: minutes on a busy machine.
  }, 300_000);
  afterAll(() => t?.close());

  const exported = async (format: 'pdf' | 'docx', status = 200) =>
    t.http.get('/api/reports/annual/2025/document').query({ format }).set(await t.as('legal')).buffer(true).parse(binaryParser).expect(status);

  it('before the office has written its parts: the checks name them and export is refused (409)', async () => {
    const checks = await t.http.get('/api/reports/annual/2025/checks').set(await t.as('legal')).expect(200);
    expect(checks.body).toEqual({ year: 2025, identitiesHold: true, breaches: [], missingFillIns: ['二、主动公开政府信息情况', '五、存在的主要问题及改进情况'], exportable: false });
    const refused = await t.http.get('/api/reports/annual/2025/document').set(await t.as('legal')).expect(409);
    expect(refused.body.message).toBe('年度报告尚缺以下部分，不能导出：二、主动公开政府信息情况、五、存在的主要问题及改进情况');
  });

  it('fill-ins are validated field by field in words, stored per agency and year, and refused for a locked year', async () => {
    const head = await t.as('head');
    const bad = await t.http
      .put('/api/reports/annual/2025/fill-ins')
      .set(head)
      .send({ proactive: { ...PROACTIVE, regulationsIssued: -1, administrativeFeesTenThousandYuan: 1.234567 }, problems: '' })
      .expect(400);
    expect(bad.body.message).toContain('规章：本年制发件数 不能小于 0');
    expect(bad.body.message).toContain('行政事业性收费：本年收费金额（万元） 应为 0 至 100000000 之间的数，最多 4 位小数');
    expect(bad.body.message).toContain('存在的主要问题及改进情况 不能为空');
    const missing = await t.http.put('/api/reports/annual/2025/fill-ins').set(head).send({ problems: '有' }).expect(400);
    expect(missing.body.message).toContain('主动公开政府信息情况 不能为空');
    await t.http.put('/api/reports/annual/2025/fill-ins').set(await t.as('handler')).send({}).expect(403);
    const saved = await t.http
      .put('/api/reports/annual/2025/fill-ins')
      .set(head)
      .send({
        overview: '2025年，本机关坚持以公开为常态、不公开为例外，持续推进政府信息公开工作。',
        proactive: PROACTIVE,
        problems: '一是依申请公开答复的说理还不够充分。\n二是部分承办人员对区分处理的把握不够准确。下一步将加强培训。',
        otherMatters: '本年度未发生其他需要报告的事项。',
      })
      .expect(200);
    expect(saved.body).toMatchObject({ year: 2025, proactive: PROACTIVE, locked: false, updatedAt: expect.any(String) });
    expect((await t.http.get('/api/reports/annual/2024/fill-ins').set(head).expect(200)).body).toMatchObject({ proactive: null, problems: null });
    await t.http.get('/api/reports/annual/2031/fill-ins').set(head).expect(400);
    // Published: the year is locked and its report stays as published.
    await t.http.post('/api/reports/annual/2025/lock').set(head).expect(200);
    const locked = await t.http.put('/api/reports/annual/2025/fill-ins').set(head).send({ proactive: PROACTIVE, problems: '改' }).expect(409);
    expect(locked.body.message).toBe('2025 年度报告已发布并锁定，不能再修改');
    expect((await t.http.get('/api/reports/annual/2025/fill-ins').set(head).expect(200)).body).toMatchObject({ locked: true, problems: expect.stringMatching(/^一是/) });
  });

  it('the DOCX’s tables equal the JSON report cell by cell, and its six sections carry the year’s figures', async () => {
    const docx = (await exported('docx')).body as Buffer;
    if (process.env.DOCUMENTS_DIR) require('node:fs').writeFileSync(`${process.env.DOCUMENTS_DIR}/annual-report-2025.docx`, docx);
    const tables = docxTables(docx);
    expect(tables).toHaveLength(3);
    const [proactive, three, four] = tables;
    expect(proactive).toContainEqual(['行政规范性文件', '3', '1', '27']);
    expect(proactive).toContainEqual(['行政许可', '1520']);
    expect(proactive).toContainEqual(['行政事业性收费', '12.5']);
    for (const row of REPORT_ROWS) {
      const line = three.find((cells) => cells[0] === ROW_LABELS[row]);
      expect({ row, cells: line?.slice(1) }).toEqual({ row, cells: APPLICANT_COLUMNS.map((column) => String(json.applications[row][column])) });
    }
    expect(four.at(-1)).toEqual(DISPUTE_GROUPS.flatMap((group) => DISPUTE_CELLS.map((cell) => String(json.disputes[group][cell]))));
    const text = docxText(docx);
    const total = (row: keyof AnnualReport['applications']) => json.applications[row].total;
    for (const expected of [
      '上海市某区住房保障和房屋管理局2025年政府信息公开工作年度报告',
      '一、总体情况',
      '2025年，本机关坚持以公开为常态',
      `2025年，本机关新收政府信息公开申请${total('new')}件，比上年（0件）增加${total('new')}件；上年结转${total('carried_over')}件。`,
      `本年度办理结果共${total('total')}件，其中予以公开${total('disclosed')}件，部分公开${total('partial')}件，不予公开${total('withheld')}件，无法提供${total('unavailable')}件`,
      `结转下年度继续办理${total('carried_forward')}件`,
      // Review filed and upheld; the lawsuit pending.
      '行政复议1件，已审结1件，其中结果纠正0件，纠错率0%',
      '行政诉讼1件，均未审结',
      '二、主动公开政府信息情况',
      '三、收到和处理政府信息公开申请情况',
      '四、政府信息公开行政复议、行政诉讼情况',
      '五、存在的主要问题及改进情况',
      '一是依申请公开答复的说理还不够充分。',
      '六、其他需要报告的事项',
      // 250 pages: 70×10 + 100×20 + 50×40 = 4 700 元, paid.
      '发出收费通知1件，金额合计4,700元；实际收取信息处理费1件，金额合计4,700元。',
      '本年度未发生其他需要报告的事项。',
    ]) {
      expect(text).toContain(expected.replace(/\s+/g, ''));
    }
  });

  it('the PDF’s tables equal the JSON report cell by cell, and it says what the DOCX says', async () => {
    const pdf = (await exported('pdf')).body as Buffer;
    if (process.env.DOCUMENTS_DIR) require('node:fs').writeFileSync(`${process.env.DOCUMENTS_DIR}/annual-report-2025.pdf`, pdf);
    const lines = pdfLines(pdf);
    for (const row of REPORT_ROWS) {
      // The row's label starts its line; the seven figures follow on the same baseline.
      const line = lines.find((cells) => cells.length === 8 && ROW_LABELS[row].startsWith(cells[0]) && cells.slice(1).every((cell) => /^\d+$/.test(cell)));
      expect({ row, cells: line?.slice(1) }).toEqual({ row, cells: APPLICANT_COLUMNS.map((column) => String(json.applications[row][column])) });
    }
    const disputes = lines.find((cells) => cells.length === 15 && cells.every((cell) => /^\d+$/.test(cell)));
    expect(disputes).toEqual(DISPUTE_GROUPS.flatMap((group) => DISPUTE_CELLS.map((cell) => String(json.disputes[group][cell]))));
    expect(lines).toContainEqual(['行政规范性文件', '3', '1', '27']);
    expect(pdfText(pdf)).toBe(docxText((await exported('docx')).body as Buffer));
  });

  it('a cell that breaks an identity is reported with the cases behind it, and export is refused', async () => {
    const reports = t.app.get(ReportsService);
    const original = reports.compute.bind(reports);
    const spy = jest.spyOn(reports, 'compute').mockImplementation(async (principal, year) => {
      const report = await original(principal, year);
      // As if a figure had been recorded twice: （一）予以公开 of 自然人 one too many.
      report.applications.disclosed.natural_person += 1;
      return report;
    });
    try {
      const checks = await t.http.get('/api/reports/annual/2025/checks').set(await t.as('legal')).expect(200);
      expect(checks.body.identitiesHold).toBe(false);
      const family = checks.body.breaches.find((breach: { identity: string; cell: { key: string } }) => breach.cell.key === 'total|natural_person' && breach.identity.includes('（一）至（六）'));
      expect(family).toMatchObject({
        cell: { key: 'total|natural_person', label: '（七）总计·自然人', value: json.applications.total.natural_person },
        expected: json.applications.total.natural_person + 1,
        parts: expect.arrayContaining([{ key: 'disclosed|natural_person', label: '（一）予以公开·自然人', value: json.applications.disclosed.natural_person + 1 }]),
      });
      expect(family.cases.length).toBe(json.applications.total.natural_person);
      expect(family.cases[0]).toEqual({ id: expect.any(String), caseNumber: expect.stringMatching(/^沪某房依申/) });
      expect(checks.body.breaches.map((breach: { cell: { key: string } }) => breach.cell.key)).toContain('disclosed|total');
      const refused = await t.http.get('/api/reports/annual/2025/document').set(await t.as('legal')).expect(409);
      expect(refused.body.message).toMatch(/^勾稽关系不成立，不能导出：/);
    } finally {
      spy.mockRestore();
    }
  });
});
