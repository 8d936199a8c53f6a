import { createHash, randomBytes } from 'node:crypto';
import type request from 'supertest';
import { companyApplicant, deskApplication, onlineApplication, personApplicant } from '../factories/applications';
import { binaryParser } from './http';

/** A signed-in view of the API of a service, in process (supertest on its server) or in its own process (its URL). */
export interface Api {
  http: ReturnType<typeof request>;
  as(username: string): Promise<{ Authorization: string }>;
}

export function apiOf(http: ReturnType<typeof request>, password = 'demo-password'): Api {
  const tokens = new Map<string, string>();
  return {
    http,
    async as(username) {
      if (!tokens.has(username)) {
        const response = await http.post('/api/auth/login').send({ username, password });
        if (response.status !== 200) throw new Error(`sign-in as ${username}: ${response.status} ${JSON.stringify(response.body)}`);
        tokens.set(username, response.body.accessToken);
      }
      return { Authorization: `Bearer ${tokens.get(username)}` };
    },
  };
}

async function send(api: Api, username: string, id: string, body: Record<string, unknown>) {
  const response = await api.http.post(`/api/cases/${id}/events`).set(await api.as(username)).send(body);
  if (response.status !== 200) throw new Error(`${String(body.type)} by ${username}: ${response.status} ${response.body.message}`);
  return response.body;
}

async function register(api: Api, overrides: Record<string, unknown>): Promise<{ id: string; caseNumber: string; queryCode: string }> {
  const response = await api.http.post('/api/applications').set(await api.as('intake')).send(deskApplication(overrides));
  if (response.status !== 201) throw new Error(`intake: ${response.status} ${response.body.message}`);
  return response.body;
}

async function upload(api: Api, caseId: string, content: Buffer, filename: string, contentType: string): Promise<string> {
  const response = await api.http.post(`/api/cases/${caseId}/attachments`).set(await api.as('handler')).attach('file', content, { filename, contentType });
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${response.body.message}`);
  return response.body.id;
}

/** Legal approves (acknowledging the risk review's warnings, as a reviewer must), the head signs, the desk issues. */
async function issue(api: Api, id: string, at: string, issuedAt = at) {
  for (const username of ['legal', 'head']) {
    const letters = (await api.http.get(`/api/cases/${id}/letters`).set(await api.as(username))).body as { id: string; kind: string; status: string }[];
    const draft = letters.find((letter) => (letter.kind === 'reply' || letter.kind === 'correction_reply') && letter.status !== 'issued');
    const review = draft ? (await api.http.get(`/api/letters/${draft.id}/review`).set(await api.as(username))).body : { risks: [] };
    const acknowledgedRisks = (review.risks as { code: string; severity: string }[])
      .filter((risk) => risk.severity === 'warning')
      .map((risk) => ({ code: risk.code, comment: '已核查，记录在卷' }));
    await send(api, username, id, { type: 'APPROVE', at, ...(username === 'legal' ? { comment: '同意' } : {}), ...(acknowledgedRisks.length ? { acknowledgedRisks } : {}) });
  }
  return send(api, 'intake', id, { type: 'ISSUE_REPLY', at: issuedAt });
}

export interface SeededHistory {
  caseIds: string[];
  /** Case number → query code, for public tracking. */
  queryCodes: Record<string, string>;
}

/**
 * An agency's 2025, written through the API as staff and applicants do: every letter kind the workflow issues
 * (receipt, 补正, third-party and agency consultations with the applicant's notice, extension, Art. 35 reasons and later
 * reply, fee notice, the replies of several outcome families, the decision notice to an objecting third party, the
 * correction reply), search records with attachments (text and binary), service records, a withdrawal, an online
 * application, and review and litigation with results.
 */
export async function seedAgencyHistory(api: Api): Promise<SeededHistory> {
  const caseIds: string[] = [];
  const queryCodes: Record<string, string> = {};
  const registered = async (overrides: Record<string, unknown>) => {
    const created = await register(api, overrides);
    caseIds.push(created.id);
    queryCodes[created.caseNumber] = created.queryCode;
    return created.id;
  };

  // 补正, third-party consent, extension, fee paid, disclosed, served by post.
  const disclosed = await registered({ receivedAt: '2025-11-03' });
  await send(api, 'intake', disclosed, { type: 'REQUEST_SUPPLEMENT', at: '2025-11-04', items: ['所需信息的文号', '地块位置'] });
  await send(api, 'intake', disclosed, { type: 'RECEIVE_SUPPLEMENT', at: '2025-11-06' });
  await send(api, 'intake', disclosed, { type: 'ASSIGN', at: '2025-11-06', handler: 'handler' });
  await send(api, 'handler', disclosed, { type: 'START_CONSULTATION', at: '2025-11-07', kind: 'third_party', party: '上海示例置业有限公司' });
  await send(api, 'handler', disclosed, { type: 'END_CONSULTATION', at: '2025-11-14', answer: 'consent' });
  await send(api, 'head', disclosed, { type: 'EXTEND', at: '2025-11-20', workingDays: 10, reason: '需调取档案' });
  await send(api, 'handler', disclosed, { type: 'SEND_FEE_NOTICE', at: '2025-11-21', method: 'per_page', pages: 250 });
  await send(api, 'intake', disclosed, { type: 'RECORD_FEE_PAYMENT', at: '2025-11-24', receiptNumber: 'No.0012345' });
  await send(api, 'handler', disclosed, { type: 'DECIDE', at: '2025-11-25', outcome: 'disclosed', provided: '提供复印件 250 页，邮寄送达' });
  await issue(api, disclosed, '2025-11-26');
  await send(api, 'intake', disclosed, { type: 'RECORD_SERVICE', at: '2025-11-27', method: 'post', postalService: 'ems', trackingNumber: 'EMS1234567890CN', recipient: '张三' });

  // Partial over a third party's objection: the decision notice to the third party (Art. 32); then review and litigation.
  const partial = await registered({ receivedAt: '2025-11-03', applicant: companyApplicant() });
  await send(api, 'intake', partial, { type: 'ASSIGN', at: '2025-11-04', handler: 'handler' });
  await send(api, 'handler', partial, { type: 'START_CONSULTATION', at: '2025-11-05', kind: 'third_party', party: '某某置业有限公司', partyReceivedAt: '2025-11-06' });
  await send(api, 'handler', partial, { type: 'END_CONSULTATION', at: '2025-11-14', answer: 'objection', summary: '涉及商业秘密' });
  await send(api, 'handler', partial, {
    type: 'DECIDE',
    at: '2025-11-18',
    outcome: 'partial',
    reasons: '部分涉及商业秘密',
    provided: '补偿标准部分',
    withheld: '企业财务数据',
    withheldBasis: 'withheld.third_party',
    publicInterestOverride: '补偿标准关系被征收人重大利益，不公开将对公共利益造成重大影响',
  });
  // Signed 11-20 with the 公开决定告知书 to the third party; the reply waits out its 15 working days (Art. 32).
  await issue(api, partial, '2025-11-20', '2025-12-12');

  // Art. 35: reasons asked for and found reasonable, a later reply date; withheld.process_info.
  const later = await registered({ receivedAt: '2025-11-03', applicant: personApplicant({ name: '李四', idType: 'passport', idNumber: 'E12345678' }) });
  await send(api, 'intake', later, { type: 'ASSIGN', at: '2025-11-04', handler: 'handler' });
  await send(api, 'handler', later, { type: 'REQUEST_REASONS', at: '2025-11-05', questions: '请说明理由' });
  await send(api, 'handler', later, { type: 'RECORD_REASONS', at: '2025-11-12', finding: 'reasonable', answer: '系诉讼取证需要' });
  await send(api, 'head', later, { type: 'SET_LATER_REPLY_DATE', at: '2025-11-20', replyBy: '2026-01-30', reason: '理由合理，数量大' });
  await send(api, 'handler', later, { type: 'DECIDE', at: '2025-12-01', outcome: 'withheld.process_info', reasons: '所申请的会议纪要为内部讨论记录，属于过程性信息' });
  await issue(api, later, '2025-12-02');

  // Another agency consulted (Art. 34); searched with attachments; not held, naming the responsible agency (Art. 36(5)).
  const notHeld = await registered({ receivedAt: '2025-11-10' });
  await send(api, 'intake', notHeld, { type: 'ASSIGN', at: '2025-11-10', handler: 'handler' });
  await send(api, 'handler', notHeld, { type: 'START_CONSULTATION', at: '2025-11-11', kind: 'agency', party: '区规划资源局' });
  await send(api, 'handler', notHeld, { type: 'END_CONSULTATION', at: '2025-11-17', answer: 'consent' });
  const register1 = await upload(api, notHeld, Buffer.from('档案检索登记表：2019—2025 年公文系统，无相关文件'), '检索登记表.txt', 'text/plain');
  const scan = await upload(api, notHeld, randomBytes(64 * 1024), '检索截图.png', 'image/png');
  await send(api, 'handler', notHeld, {
    type: 'RECORD_SEARCH',
    at: '2025-11-18',
    scope: '档案室纸质档案；OA 公文系统（2019—2025）',
    terms: '旧区改造 补偿方案',
    result: '未检索到',
    attachmentIds: [register1, scan],
  });
  await send(api, 'handler', notHeld, {
    type: 'DECIDE',
    at: '2025-11-19',
    outcome: 'unavailable.not_responsible',
    reasons: '该信息由区房屋征收事务所制作和保存',
    responsibleAgency: { name: '某区房屋征收事务所', contact: '021-00000000' },
  });
  await issue(api, notHeld, '2025-11-20');

  // Art. 41: a correction request, corrected.
  const correction = await registered({ receivedAt: '2025-11-12', requestType: 'correction', description: '本人房屋登记信息中的面积记载有误，请予更正' });
  await send(api, 'intake', correction, { type: 'ASSIGN', at: '2025-11-12', handler: 'handler' });
  await send(api, 'handler', correction, { type: 'DECIDE', at: '2025-11-14', outcome: 'correction.corrected' });
  await issue(api, correction, '2025-11-17');

  // Withdrawn; and an online application registered by the desk.
  const withdrawn = await registered({ receivedAt: '2025-12-01' });
  await send(api, 'intake', withdrawn, { type: 'WITHDRAW', at: '2025-12-03', reason: '申请人书面撤回' });
  const online = await api.http.post('/api/public/applications').send(onlineApplication());
  if (online.status !== 201) throw new Error(`online application: ${online.status} ${online.body.message}`);
  queryCodes[online.body.caseNumber] = online.body.queryCode;
  const list = await api.http.get('/api/cases').query({ q: online.body.caseNumber }).set(await api.as('intake'));
  caseIds.push(list.body.items[0].id);

  // Review (answered, upheld) and litigation (pending) of the partial reply.
  const review = await api.http
    .post(`/api/cases/${partial}/disputes`)
    .set(await api.as('legal'))
    .send({ kind: 'review', afterReview: false, filedAt: '2025-12-15', body: '上海市某区人民政府', reference: '某府复〔2025〕7号', servedAt: '2025-12-16' });
  if (review.status !== 201) throw new Error(`dispute: ${review.status} ${review.body.message}`);
  const decided = await api.http.post(`/api/disputes/${review.body.id}/result`).set(await api.as('legal')).send({ result: 'upheld', decidedAt: '2025-12-30', ordersNewReply: false });
  if (decided.status !== 200) throw new Error(`dispute result: ${decided.status} ${decided.body.message}`);
  const litigation = await api.http
    .post(`/api/cases/${notHeld}/disputes`)
    .set(await api.as('legal'))
    .send({ kind: 'litigation', afterReview: false, filedAt: '2025-12-10', body: '上海市某区人民法院', servedAt: '2025-12-12' });
  if (litigation.status !== 201) throw new Error(`litigation: ${litigation.status} ${litigation.body.message}`);
  return { caseIds, queryCodes };
}

const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

export interface RecordFingerprint {
  /** Per case number: events counted and digested (every field the case view shows of each event, in order). */
  events: Record<string, { count: number; digest: string }>;
  /** Per letter (case number, kind, 文号): status and, when issued, the SHA-256 of the frozen PDF as served and as stored. */
  letters: Record<string, { status: string; sha256: string | null; servedSha256: string | null }>;
  /** Per attachment (case number, file name): size and SHA-256 of the bytes served. */
  attachments: Record<string, { size: number; sha256: string }>;
  disputes: Record<string, unknown[]>;
  /** The annual reports of the years, as the API answers them. */
  reports: Record<string, unknown>;
  letterKinds: string[];
}

/** What must survive a backup and restore (or a failover), read back through the API as the staff would. */
export async function fingerprintRecords(api: Api, caseIds: string[], years: number[] = [2025]): Promise<RecordFingerprint> {
  const fingerprint: RecordFingerprint = { events: {}, letters: {}, attachments: {}, disputes: {}, reports: {}, letterKinds: [] };
  const legal = await api.as('legal');
  const kinds = new Set<string>();
  for (const id of caseIds) {
    const view = await api.http.get(`/api/cases/${id}`).set(legal);
    if (view.status !== 200) throw new Error(`case ${id}: ${view.status}`);
    const caseNumber: string = view.body.caseNumber;
    fingerprint.events[caseNumber] = { count: view.body.events.length, digest: sha256(JSON.stringify(view.body.events)) };
    const letters = await api.http.get(`/api/cases/${id}/letters`).set(legal);
    for (const letter of letters.body as { id: string; kind: string; number: string | null; status: string; sha256?: string | null }[]) {
      kinds.add(letter.kind);
      let servedSha256: string | null = null;
      let stored: string | null = null;
      if (letter.status === 'issued') {
        const pdf = await api.http.get(`/api/letters/${letter.id}`).query({ format: 'pdf' }).set(legal).buffer(true).parse(binaryParser);
        servedSha256 = sha256(pdf.body as Buffer);
        stored = String(pdf.headers['x-content-sha256'] ?? '');
      }
      fingerprint.letters[`${caseNumber} ${letter.kind} ${letter.number ?? letter.id}`] = { status: letter.status, sha256: stored, servedSha256 };
    }
    const attachments = await api.http.get(`/api/cases/${id}/attachments`).set(legal);
    for (const attachment of attachments.body as { id: string; filename: string }[]) {
      const file = await api.http.get(`/api/attachments/${attachment.id}`).set(legal).buffer(true).parse(binaryParser);
      fingerprint.attachments[`${caseNumber} ${attachment.filename}`] = { size: (file.body as Buffer).length, sha256: sha256(file.body as Buffer) };
    }
    fingerprint.disputes[caseNumber] = (await api.http.get(`/api/cases/${id}/disputes`).set(legal)).body;
  }
  for (const year of years) fingerprint.reports[year] = (await api.http.get(`/api/reports/annual/${year}`).set(legal)).body;
  fingerprint.letterKinds = [...kinds].sort();
  return fingerprint;
}
