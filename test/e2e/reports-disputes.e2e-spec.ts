import ExcelJS from 'exceljs';
import { aggregateAnnualReport, type ReportCase, type ReportDispute } from '@desk/reports';
import { hashPassword } from '../../apps/api/src/auth/auth.service';
import { ReportsService } from '../../apps/api/src/reports/reports.service';
import { JobRunnerService } from '../../apps/api/src/jobs/job-runner.service';
import { companyApplicant, deskApplication, onlineApplication, personApplicant } from '../factories/applications';
import { binaryParser, eventSender, reviewApprover } from '../support/http';
import { startTestApp, type TestApp } from '../setup/test-app';

const CATEGORIES = ['natural_person', 'business', 'research', 'public_interest', 'legal_services', 'other'] as const;

// Every result row of section 三 once, cycling through the six applicant columns.
const OUTCOMES = [
  'disclosed', 'partial', 'withheld.state_secret', 'withheld.law_prohibited', 'withheld.security_stability', 'withheld.third_party',
  'withheld.internal_affairs', 'withheld.process_info', 'withheld.enforcement_file', 'withheld.admin_query', 'unavailable.not_held',
  'unavailable.needs_creation', 'unavailable.unclear_after_supplement', 'not_processed.petition', 'not_processed.duplicate',
  'not_processed.publication', 'not_processed.excessive', 'not_processed.confirmation', 'other.no_supplement', 'other.fee_unpaid', 'other.other',
] as const;

describe('the annual report, disputes and locking, built through the API', () => {
  let t: TestApp;
  const caseOf: Record<string, { id: string; caseNumber: string; category: string }> = {};

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const send = eventSender(() => t);
  const approve = reviewApprover(() => t);
  function applicantFor(category: string, index: number) {
    return category === 'natural_person'
      ? personApplicant({ name: `申请人${index}`, idType: 'passport', idNumber: `E${String(10_000_000 + index)}` })
      : companyApplicant({ category, name: `组织${index}`, idType: 'other', idNumber: `ORG${String(100_000 + index)}` });
  }
  async function register(receivedAt: string, category: string, index: number, applicant = applicantFor(category, index)) {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt, applicant, description: `申请公开第${index}号事项的相关文件` })).expect(201);
    return { id: created.body.id as string, caseNumber: created.body.caseNumber as string, category };
  }
  async function reviewAndIssue(id: string, at: string) {
    await approve('legal', id, { at });
    await approve('head', id, { at });
    await send('intake', id, { type: 'ISSUE_REPLY', at });
  }

  async function conclude(outcome: string, category: string, index: number, receivedAt: string, concludeAt: string) {
    // Art. 36(6): a duplicate repeats the same applicant's answered request (the disclosed case, concluded first).
    const entry =
      outcome === 'not_processed.duplicate'
        ? await register(receivedAt, caseOf.disclosed.category, index, applicantFor(caseOf.disclosed.category, 0))
        : await register(receivedAt, category, index);
    const { id } = entry;
    const decide = (fields: Record<string, unknown>) => send('handler', id, { type: 'DECIDE', at: concludeAt, outcome, reasons: '依法作出决定的理由', ...fields });
    if (outcome === 'other.no_supplement') {
      await send('intake', id, { type: 'REQUEST_SUPPLEMENT', at: receivedAt, items: ['文号'], periodWorkingDays: 5 });
      await send('intake', id, { type: 'SUPPLEMENT_LAPSED', at: concludeAt });
      return entry;
    }
    if (outcome === 'unavailable.unclear_after_supplement') {
      await send('intake', id, { type: 'REQUEST_SUPPLEMENT', at: receivedAt, items: ['文号'] });
      await send('intake', id, { type: 'RECEIVE_SUPPLEMENT', at: receivedAt });
    }
    await send('intake', id, { type: 'ASSIGN', at: receivedAt, handler: 'handler' });
    if (outcome === 'other.fee_unpaid') {
      await send('handler', id, { type: 'SEND_FEE_NOTICE', at: receivedAt, method: 'per_page', pages: 300 });
      // 20 working days from 2025-03-03 end on 03-31: the lapse is recorded after them.
      await send('intake', id, { type: 'FEE_LAPSED', at: '2025-04-07' });
      return entry;
    }
    if (outcome === 'unavailable.not_held') await send('handler', id, { type: 'RECORD_SEARCH', at: receivedAt, scope: 'OA', terms: '事项', result: '无' });
    if (outcome === 'not_processed.excessive') {
      await send('handler', id, { type: 'REQUEST_REASONS', at: receivedAt, questions: '请说明理由' });
      await send('handler', id, { type: 'RECORD_REASONS', at: receivedAt, finding: 'unreasonable', answer: '无' });
    }
    const extra: Record<string, unknown> = {};
    if (outcome === 'disclosed' || outcome === 'partial') extra.provided = '提供复印件';
    if (outcome === 'partial') extra.withheldBasis = 'withheld.internal_affairs';
    if (outcome === 'withheld.third_party') extra.consultationNotNeededReason = '第三方已明确不同意';
    if (outcome === 'not_processed.duplicate') extra.duplicateOf = caseOf.disclosed.caseNumber;
    await decide(extra);
    await reviewAndIssue(id, concludeAt);
    return entry;
  }

  it('builds 2025: every result row, every column, carry-over both ways; JSON and XLSX agree', async () => {
    t.setToday('2026-01-20');
    let index = 0;
    for (const outcome of OUTCOMES) {
      const category = CATEGORIES[index % CATEGORIES.length];
      caseOf[outcome] = await conclude(outcome, category, index, '2025-03-03', '2025-03-20');
      index++;
    }
    // Carried over from 2024 (concluded in 2025), carried forward to 2026 (open; and one concluded 2026-01-05), and one 2024-only.
    caseOf.carriedOver = await conclude('withheld.process_info', 'research', 90, '2024-12-20', '2025-01-10');
    caseOf.forwardOpen = await register('2025-12-30', 'legal_services', 91);
    caseOf.forwardLater = await conclude('disclosed', 'public_interest', 92, '2025-12-29', '2026-01-05');
    await conclude('disclosed', 'business', 93, '2024-05-06', '2024-05-20');

    const json = (await t.http.get('/api/reports/annual/2025').set(await t.as('legal')).expect(200)).body;
    const rows = json.applications as Record<string, Record<string, number>>;
    // By construction: one case per result row in its column (+ the carried-over withheld.process_info in research).
    for (const outcome of OUTCOMES) {
      const extra = outcome === 'withheld.process_info' ? 1 : 0;
      expect(rows[outcome].total).toBe(1 + extra);
      expect(rows[outcome][caseOf[outcome].category]).toBe(1);
    }
    expect(rows.new.total).toBe(23); // 21 + the two received in December 2025
    expect(rows.carried_over).toMatchObject({ research: 1, total: 1 });
    expect(rows.total.total).toBe(22); // 21 + the carried-over one
    expect(rows.carried_forward).toMatchObject({ legal_services: 1, public_interest: 1, total: 2 });
    expect(rows.withheld.total).toBe(9);
    expect(rows.unavailable.total).toBe(3);
    expect(rows.not_processed.total).toBe(5);
    expect(rows.other.total).toBe(3);
    expect(json.identityHolds).toBe(true);
    for (const column of CATEGORIES) expect(rows.new[column]).toBeGreaterThan(0);

    const drill = await t.http.get('/api/reports/annual/2025/drilldown').query({ cell: 'carried_forward|total' }).set(await t.as('legal')).expect(200);
    expect(drill.body.map((entry: { id: string }) => entry.id).sort()).toEqual([caseOf.forwardOpen.id, caseOf.forwardLater.id].sort());
    await t.http.get('/api/reports/annual/2025/drilldown').query({ cell: 'nonsense|total' }).set(await t.as('legal')).expect(400);

    const xlsx = await t.http.get('/api/reports/annual/2025').query({ format: 'xlsx' }).set(await t.as('legal')).buffer(true).parse(binaryParser).expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((xlsx.body as Buffer).buffer as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const labels = (await import('@desk/reports')).ROW_LABELS as Record<string, string>;
    const columns = ['natural_person', 'business', 'research', 'public_interest', 'legal_services', 'other', 'total'];
    let compared = 0;
    sheet.eachRow((row) => {
      const label = String(row.getCell(1).value ?? '');
      const key = Object.keys(labels).find((candidate) => labels[candidate] === label);
      if (!key) return;
      columns.forEach((column, offset) => expect(row.getCell(2 + offset).value).toBe(rows[key][column]));
      compared++;
    });
    expect(compared).toBe(29);
    expect(sheet.getCell('B3').value).toBe('自然人');
    expect(sheet.getCell('C3').value).toBe('法人或其他组织');

    const html = await t.http.get('/api/reports/annual/2025').query({ format: 'html' }).set(await t.as('legal')).expect(200);
    expect(html.text).toContain('（二）部分公开（区分处理的，只计这一情形，不计其他情形）');
    expect(html.text).toContain('勾稽关系（一+二=三（七）+四）：成立');
    // The national format's corner note, and table 四 under 行政复议 / 行政诉讼 (未经复议直接起诉, 复议后起诉) as in the XLSX.
    expect(html.text).toContain('<th rowspan="3" class="corner">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th>');
    expect(html.text).toMatch(/<th colspan="5" rowspan="2">行政复议<\/th><th colspan="10">行政诉讼<\/th><\/tr>\s*<tr><th colspan="5">未经复议直接起诉<\/th><th colspan="5">复议后起诉<\/th>/);
    expect(sheet.getCell('A2').value).toBe('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）');
    // The screen shows the official labels, not the row codes.
    expect(json.labels.rows['withheld.state_secret']).toBe('1.属于国家秘密');
    expect(json.labels.rows.new).toBe('一、本年新收政府信息公开申请数量');
    expect(json.labels.columns.legal_services).toBe('法律服务机构');
  });

  it('disputes: deadlines watched, each result class in its cell, a corrected result reopens the case with a new clock', async () => {
    t.setToday('2026-01-20');
    const post = async (caseKey: string, body: Record<string, unknown>, status = 201) => {
      const response = await t.http.post(`/api/cases/${caseOf[caseKey].id}/disputes`).set(await t.as('legal')).send(body);
      expect(response.status).toBe(status);
      return response.body;
    };
    // Review served 2025-09-26: 10 working days across National Day → 9-28, 9-29, 9-30, 10-9..11, 10-13..16 = 10-16.
    const review = await post('withheld.process_info', { kind: 'review', afterReview: false, filedAt: '2025-09-20', body: '上海市某区人民政府', reference: '某府复〔2025〕1号', servedAt: '2025-09-26' });
    expect(review.answerDueDate).toBe('2025-10-16');
    // Litigation served 2025-09-16: day 15 is 10-01 (National Day) → the first working day after, 10-09.
    const direct = await post('partial', { kind: 'litigation', afterReview: false, filedAt: '2025-09-10', body: '上海市某区人民法院', servedAt: '2025-09-16' });
    expect(direct.answerDueDate).toBe('2025-10-09');
    const after = await post('unavailable.not_held', { kind: 'litigation', afterReview: true, filedAt: '2025-11-03', body: '上海市某区人民法院' });
    const pending = await post('disclosed', { kind: 'review', filedAt: '2025-12-01', body: '上海市某区人民政府' });
    await post('disclosed', { kind: 'review', afterReview: true, filedAt: '2025-12-01', body: 'x' }, 400);
    await t.http.post(`/api/cases/${caseOf.disclosed.id}/disputes`).set(await t.as('handler')).send({ kind: 'review', filedAt: '2025-12-01', body: 'x' }).expect(403);

    // The sweep warns legal staff about the open respondent deadlines.
    t.setToday('2025-10-14');
    const runner = t.app.get(JobRunnerService);
    await runner.scheduleDailySweep();
    await runner.runDue();
    const notices: { kind: string; username: string }[] = await t.dataSource.query(
      `SELECT n.kind, u.username FROM notifications n JOIN users u ON u.id = n.recipient_id WHERE n.kind LIKE 'dispute%' ORDER BY n.kind, u.username`,
    );
    expect(notices).toEqual([
      { kind: 'dispute_answer_due', username: 'admin' },
      { kind: 'dispute_answer_due', username: 'legal' },
      { kind: 'dispute_answer_overdue', username: 'admin' },
      { kind: 'dispute_answer_overdue', username: 'legal' },
    ]);

    t.setToday('2026-01-20');
    const corrected = await t.http.post(`/api/disputes/${review.id}/result`).set(await t.as('legal')).send({ result: 'corrected', decidedAt: '2025-12-15', ordersNewReply: true, reference: '某府复决〔2025〕1号' }).expect(200);
    expect(corrected.body).toMatchObject({ result: 'corrected', decidedAt: '2025-12-15', ordersNewReply: true });
    const reopened = await t.http.get(`/api/cases/${caseOf['withheld.process_info'].id}`).set(await t.as('legal')).expect(200);
    // New reply clock from 2025-12-15: ... 2025-12-31 = 12; 2026-01-04 (Sunday, worked) = 13; 1-5..9 = 14..18; 1-12 = 19; 1-13 = 20.
    expect(reopened.body).toMatchObject({ state: 'reopened', outcome: null, clock: { dueDate: '2026-01-13' } });
    await t.http.post(`/api/disputes/${review.id}/result`).set(await t.as('legal')).send({ result: 'upheld', decidedAt: '2025-12-16', ordersNewReply: false }).expect(409);
    await t.http.post(`/api/disputes/${direct.id}/result`).set(await t.as('legal')).send({ result: 'upheld', decidedAt: '2025-12-20', ordersNewReply: true }).expect(400);
    await t.http.post(`/api/disputes/${direct.id}/result`).set(await t.as('legal')).send({ result: 'upheld', decidedAt: '2025-12-20', ordersNewReply: false }).expect(200);
    await t.http.post(`/api/disputes/${after.id}/result`).set(await t.as('legal')).send({ result: 'other', decidedAt: '2026-01-10', ordersNewReply: false }).expect(200);

    const report = (await t.http.get('/api/reports/annual/2025').set(await t.as('legal')).expect(200)).body;
    expect(report.disputes.review).toEqual({ upheld: 0, corrected: 1, other: 0, pending: 1, total: 2 });
    expect(report.disputes.litigation_direct).toEqual({ upheld: 1, corrected: 0, other: 0, pending: 0, total: 1 });
    // Decided in 2026: still pending at the end of 2025.
    expect(report.disputes.litigation_after_review).toEqual({ upheld: 0, corrected: 0, other: 0, pending: 1, total: 1 });
    // The reopened case keeps its 2025 result.
    expect(report.applications['withheld.process_info'].total).toBe(2);
    const drill = await t.http.get('/api/reports/annual/2025/drilldown').query({ cell: 'disputes.review|pending' }).set(await t.as('legal')).expect(200);
    expect(drill.body.map((entry: { id: string }) => entry.id)).toEqual([pending.id]);

    const rates = (await t.http.get('/api/reports/rates').query({ from: '2025', to: '2025' }).set(await t.as('legal')).expect(200)).body;
    expect(rates.years[0]).toMatchObject({ year: 2025, review: { concluded: 1, corrected: 1, rate: 1 }, litigation: { concluded: 1, corrected: 0, rate: 0 } });
    expect(rates.years[0].medianWorkingDaysToReply).toBeGreaterThan(0);
  });

  it('a published year is locked: nothing dated in it can be written', async () => {
    t.setToday('2026-01-20');
    await t.http.post('/api/reports/annual/2026/lock').set(await t.as('head')).expect(409);
    await t.http.post('/api/reports/annual/2025/lock').set(await t.as('legal')).expect(403);
    const locked = await t.http.post('/api/reports/annual/2025/lock').set(await t.as('head')).expect(200);
    expect(locked.body.locked).toBe(true);
    const refused = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-12-31' })).expect(409);
    expect(refused.body.message).toMatch(/2025 年度报告已发布并锁定/);
    await send('intake', caseOf.forwardOpen.id, { type: 'ASSIGN', at: '2025-12-31', handler: 'handler' }, 409);
    await send('intake', caseOf.forwardOpen.id, { type: 'ASSIGN', at: '2026-01-05', handler: 'handler' });
  });

  it('a reopened case concluded again keeps its first year and outcome; the projection matches the event log', async () => {
    t.setToday('2026-01-20');
    // Reopened on 2025-12-15 by the corrected review above; now decided afresh and replied to in 2026 with another outcome.
    const reopened = caseOf['withheld.process_info'];
    await send('intake', reopened.id, { type: 'ASSIGN', at: '2026-01-12', handler: 'handler' });
    await send('handler', reopened.id, { type: 'DECIDE', at: '2026-01-12', outcome: 'disclosed', provided: '提供复印件' });
    await reviewAndIssue(reopened.id, '2026-01-13');
    const view = (await t.http.get(`/api/cases/${reopened.id}`).set(await t.as('legal')).expect(200)).body;
    expect(view).toMatchObject({ outcome: 'disclosed', concludedAt: '2026-01-13' });

    // 2025 as published: still its first result, withheld.process_info.
    const report2025 = (await t.http.get('/api/reports/annual/2025').set(await t.as('legal')).expect(200)).body;
    expect(report2025.applications['withheld.process_info'].total).toBe(2);
    expect(report2025.applications.disclosed.total).toBe(1);
    expect(report2025.identityHolds).toBe(true);
    // 2026: the second reply is no new result, and the case was not pending on 1 January.
    const drill = async (cell: string) =>
      ((await t.http.get('/api/reports/annual/2026/drilldown').query({ cell }).set(await t.as('legal')).expect(200)).body as { id: string }[]).map((entry) => entry.id);
    expect(await drill('disclosed|total')).toEqual([caseOf.forwardLater.id]);
    expect(await drill('total|total')).not.toContain(reopened.id);
    expect(await drill('carried_over|total')).not.toContain(reopened.id);

    // The projection on the case row equals the derivation from the event log, for every case (an independent oracle:
    // the first concluding event, and for a reply the last DECIDE before it).
    const mismatches: unknown[] = await t.dataSource.query(`
      WITH firsts AS (
        SELECT DISTINCT ON (e.case_id) e.case_id, e.sequence, e.type, e.at FROM case_events e
         WHERE e.type IN ('ISSUE_REPLY', 'WITHDRAW', 'SUPPLEMENT_LAPSED', 'FEE_LAPSED') ORDER BY e.case_id, e.sequence),
      derived AS (
        SELECT c.id, c.case_number, f.at,
               CASE f.type WHEN 'WITHDRAW' THEN 'other.other' WHEN 'SUPPLEMENT_LAPSED' THEN 'other.no_supplement' WHEN 'FEE_LAPSED' THEN 'other.fee_unpaid'
                 WHEN 'ISSUE_REPLY' THEN (SELECT d.payload->>'outcome' FROM case_events d WHERE d.case_id = c.id AND d.type = 'DECIDE' AND d.sequence < f.sequence
                                          ORDER BY d.sequence DESC LIMIT 1) END AS outcome,
               c.first_concluded_at, c.first_outcome
          FROM cases c LEFT JOIN firsts f ON f.case_id = c.id)
      SELECT * FROM derived WHERE at IS DISTINCT FROM first_concluded_at OR outcome IS DISTINCT FROM first_outcome`);
    expect(mismatches).toEqual([]);
    const [projected]: { first_concluded_at: string; first_outcome: string }[] = await t.dataSource.query(
      `SELECT first_concluded_at, first_outcome FROM cases WHERE id = $1`,
      [reopened.id],
    );
    expect(projected).toEqual({ first_concluded_at: '2025-03-20', first_outcome: 'withheld.process_info' });
    const [{ concluded }]: { concluded: number }[] = await t.dataSource.query(`SELECT count(*)::int AS concluded FROM cases WHERE first_outcome IS NOT NULL`);
    expect(concluded).toBeGreaterThan(20);
  });

  /** Every case and first-instance dispute of an agency as the report reads them, the whole history (no year filter). */
  async function everything(agencyId: string): Promise<{ cases: ReportCase[]; disputes: ReportDispute[] }> {
    const rows: { id: string; category: ReportCase['category']; received_at: string | null; request_type: ReportCase['requestType']; at: string | null; outcome: string | null }[] =
      await t.dataSource.query(
        `SELECT id, applicant_category AS category, to_char(received_at, 'YYYY-MM-DD') AS received_at, request_type,
                to_char(first_concluded_at, 'YYYY-MM-DD') AS at, first_outcome AS outcome FROM cases WHERE agency_id = $1`,
        [agencyId],
      );
    const disputes: ReportDispute[] = await t.dataSource.query(
      `SELECT id AS "disputeId", case_id AS "caseId", kind, after_review AS "afterReview", to_char(filed_at, 'YYYY-MM-DD') AS "filedAt",
              result, to_char(decided_at, 'YYYY-MM-DD') AS "decidedAt" FROM disputes WHERE agency_id = $1 AND instance = 'first'`,
      [agencyId],
    );
    const cases = rows.map((row) => ({
      caseId: row.id,
      category: row.category,
      receivedAt: row.received_at,
      requestType: row.request_type,
      conclusion: row.at && row.outcome ? { at: row.at, outcome: row.outcome } : null,
    }));
    return { cases, disputes };
  }

  it('every cell, opened on its own, lists the cases the per-case count puts in it; the figures are the per-case count', async () => {
    t.setToday('2026-01-20');
    // Two cases no year counts: a correction of the applicant's own records (Art. 41; 2025 is locked by now) and an online application never
    // confirmed (no receipt date).
    await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2026-01-06', requestType: 'correction', description: '本人房屋登记信息中的面积记载有误，请予更正' })).expect(201);
    await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    const [{ agency_id: agencyId }]: { agency_id: string }[] = await t.dataSource.query(`SELECT agency_id FROM users WHERE username = 'legal'`);
    const { cases, disputes } = await everything(agencyId);
    expect(cases.filter((c) => c.requestType === 'correction')).toHaveLength(1);
    expect(cases.filter((c) => c.receivedAt === null)).toHaveLength(1);
    const legal = await t.as('legal');
    for (const year of [2024, 2025, 2026]) {
      const expected = aggregateAnnualReport(year, cases, disputes);
      const served = (await t.http.get(`/api/reports/annual/${year}`).set(legal).expect(200)).body;
      expect(served.applications).toEqual(expected.applications);
      expect(served.disputes).toEqual(expected.disputes);
      const keys = Object.keys(expected.drillDown);
      expect(keys).toHaveLength(218);
      for (const key of keys) {
        const listed = ((await t.http.get(`/api/reports/annual/${year}/drilldown`).query({ cell: key }).set(legal).expect(200)).body as { id: string }[]).map((entry) => entry.id);
        expect({ year, key, ids: listed.sort() }).toEqual({ year, key, ids: [...expected.drillDown[key]].sort() });
      }
    }
  }, 120_000);

  it("two agencies on one deployment: each agency's report and drill-down count its own cases only", async () => {
    t.setToday('2026-01-20');
    const legal = await t.as('legal');
    const before = (await t.http.get('/api/reports/annual/2025').set(legal).expect(200)).body;
    const beforeCarried = (await t.http.get('/api/reports/annual/2025/drilldown').query({ cell: 'carried_over|total' }).set(legal).expect(200)).body as { id: string }[];

    const [agency] = await t.dataSource.query(`INSERT INTO agencies (code, name, settings) VALUES ('reports-second', '上海市某区规划和自然资源局', $1) RETURNING id`, [
      JSON.stringify({ caseNumberPrefix: '沪某规依申' }),
    ]);
    const [department] = await t.dataSource.query(`INSERT INTO departments (agency_id, name) VALUES ($1, '政府信息公开办公室') RETURNING id`, [agency.id]);
    for (const [username, role] of [['second-intake', 'intake'], ['second-legal', 'legal']]) {
      await t.dataSource.query(
        `INSERT INTO users (agency_id, department_id, username, display_name, password_hash, roles, is_demo) VALUES ($1, $2, $3, '规划局工作人员', $4, $5, true)`,
        [agency.id, department.id, username, await hashPassword('demo-password'), [role]],
      );
    }
    const second = async (receivedAt: string, index: number) =>
      (await t.http.post('/api/applications').set(await t.as('second-intake')).send(deskApplication({ receivedAt, applicant: applicantFor('business', 300 + index), description: `规划局第${index}号事项` })).expect(201)).body as { id: string };
    // Received in December 2024 and still open: carried over into 2025 and forward into 2026 — found through the span index.
    const carried = await second('2024-12-16', 1);
    const received = await second('2025-06-02', 2);
    const withdrawn = await second('2025-07-01', 3);
    await send('second-intake', withdrawn.id, { type: 'WITHDRAW', at: '2025-07-03', reason: '申请人撤回申请' });
    await t.dataSource.query(
      `INSERT INTO disputes (agency_id, case_id, kind, after_review, filed_at, body) VALUES ($1, $2, 'review', false, '2025-08-01', '上海市某区人民政府')`,
      [agency.id, received.id],
    );

    // The first agency's report is as it was.
    expect((await t.http.get('/api/reports/annual/2025').set(legal).expect(200)).body).toEqual(before);
    expect((await t.http.get('/api/reports/annual/2025/drilldown').query({ cell: 'carried_over|total' }).set(legal).expect(200)).body).toEqual(beforeCarried);
    // The second agency's counts its three cases and its dispute, nothing of the first's.
    const secondLegal = await t.as('second-legal');
    const report = (await t.http.get('/api/reports/annual/2025').set(secondLegal).expect(200)).body;
    expect(report.applications.new).toMatchObject({ business: 2, total: 2 });
    expect(report.applications.carried_over).toMatchObject({ business: 1, total: 1 });
    expect(report.applications.total).toMatchObject({ business: 1, total: 1 });
    expect(report.applications['other.other']).toMatchObject({ business: 1, total: 1 });
    expect(report.applications.carried_forward).toMatchObject({ business: 2, total: 2 });
    expect(report.disputes.review).toEqual({ upheld: 0, corrected: 0, other: 0, pending: 1, total: 1 });
    expect(report.identityHolds).toBe(true);
    const drill = async (cell: string) =>
      ((await t.http.get('/api/reports/annual/2025/drilldown').query({ cell }).set(secondLegal).expect(200)).body as { id: string }[]).map((entry) => entry.id).sort();
    expect(await drill('carried_over|total')).toEqual([carried.id]);
    expect(await drill('carried_forward|business')).toEqual([carried.id, received.id].sort());
    expect(await drill('other.other|total')).toEqual([withdrawn.id]);
    expect(await drill('disputes.review|total')).toHaveLength(1);
    expect(await drill('disclosed|total')).toEqual([]);

    // The carried-over cases can be read from the agency's own entries of its covering index alone — only if the
    // statement implies the partial index's predicate. The planner is kept from the table here: this database is too
    // small for it to prefer an index on its own.
    const reports = t.app.get(ReportsService);
    const plan: { 'QUERY PLAN': string }[] = await t.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL enable_seqscan = off`);
      await manager.query(`SET LOCAL enable_bitmapscan = off`);
      return manager.query(`EXPLAIN ${reports.yearCases()}`, reports.yearParameters(agency.id, 2025));
    });
    const text = plan.map((line) => line['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index Only Scan using ix_cases_agency_report_carried_over on cases c_1 [^\n]*\n\s+Index Cond: \(\(agency_id = '[-0-9a-f]+'::uuid\) AND \(report_open_span @> '2025-01-01'::date\)\)/);
  });

  it('flags proactive-disclosure candidates: the same information asked by two applicants', async () => {
    t.setToday('2026-01-20');
    await register('2026-01-06', 'natural_person', 200).then((entry) => entry);
    const a = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2026-01-07', applicant: applicantFor('business', 201), description: '2025年本区公共租赁住房分配结果' })).expect(201);
    const b = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2026-01-08', applicant: applicantFor('natural_person', 202), description: '请公开2025年本区公共租赁住房分配结果' })).expect(201);
    const candidates = (await t.http.get('/api/proactive/candidates').set(await t.as('head')).expect(200)).body as { caseIds: string[]; applicants: number }[];
    const group = candidates.find((entry) => entry.caseIds.includes(a.body.id));
    expect(group).toMatchObject({ applicants: 2 });
    expect(group!.caseIds.sort()).toEqual([a.body.id, b.body.id].sort());
  });
});
