import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createDeskClient, type DeskClient, type DeskSchema, type Middleware } from '@desk/api-client';
import type { Response } from 'supertest';
import { PlatformCallbacks } from '../../apps/api/src/integration/platform-callbacks.service';
import { JobRunnerService } from '../../apps/api/src/jobs/job-runner.service';
import { documentPdf } from '../../apps/api/src/letters/letter-layout';
import { buildOpenApiDocumentOffline } from '../../apps/api/src/openapi/openapi-document';
import { companyApplicant, deskApplication, onlineApplication, PERSON_ID, PERSON_PHONE } from '../factories/applications';
import { binaryParser } from '../support/http';
import { CallbackReceiver, platformApplication } from '../support/integration-client';
import { pdfText } from '../support/pdf-text';
import { OpenApiContract, type Answer } from '../support/openapi-contract';
import { addOfficeHandler } from '../support/users';
import { startTestApp, type TestApp } from '../setup/test-app';
import { PROACTIVE_FILL_INS } from '../factories/report-fill-ins';

// The API contract (issue 15 items 5 and 6): every operation of /api/docs-json is called against the real app on
// PostgreSQL, and every answer — status, media type, body — is held to the document's schema for that status. Calls go
// through `api()` (supertest) or the typed client generated from the document (libs/api-client), whose middleware
// holds its answers to the document in the same way. The last test fails if any operation was never called.

const DESCRIPTION = '某地块国有土地上房屋征收补偿方案及其征求意见情况';

const sha256 = (bytes: Buffer | ArrayBuffer) => createHash('sha256').update(Buffer.from(bytes as ArrayBuffer)).digest('hex');

/** Where poppler finds a word on the first page of a PDF: its box from the top-left corner, in points (a region to mark). */
function wordBox(pdf: Buffer, word: string): { x: number; y: number; width: number; height: number } {
  const html = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-bbox', '-', '-'], { input: pdf, encoding: 'utf8' });
  const match = new RegExp(`<word xMin="([\\d.]+)" yMin="([\\d.]+)" xMax="([\\d.]+)" yMax="([\\d.]+)">${word}</word>`).exec(html);
  if (!match) throw new Error(`${word} is not on page 1`);
  const [xMin, yMin, xMax, yMax] = match.slice(1).map(Number);
  const points = (value: number) => Math.round(value * 100) / 100;
  return { x: points(xMin), y: points(yMin), width: points(xMax - xMin), height: points(yMax - yMin) };
}

const PROACTIVE = PROACTIVE_FILL_INS;

describe('the OpenAPI document is the contract: every operation, every answer', () => {
  let t: TestApp;
  let contract: OpenApiContract;
  let baseUrl: string;

  beforeAll(async () => {
    // One failed delivery makes a status callback dead, so the administrator's replay has one to replay.
    t = await startTestApp({ CALLBACK_MAX_ATTEMPTS: '1' });
    t.setToday('2026-01-20');
    await addOfficeHandler(t);
    const served = (await t.http.get('/api/docs-json').expect(200)).body;
    contract = new OpenApiContract(served);
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  interface Call {
    as?: string;
    query?: Record<string, string | number>;
    body?: unknown;
    headers?: Record<string, string>;
    /** Read the answer as bytes (PDF, XLSX, ZIP). */
    binary?: boolean;
    file?: { name: string; content: Buffer; type: string };
    status: number;
  }

  /** One request through supertest, its answer held to the document; a status other than `status` fails with the message. */
  async function api(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, call: Call): Promise<Response> {
    const agent = t.http;
    let test =
      method === 'GET' ? agent.get(path) : method === 'POST' ? agent.post(path) : method === 'PUT' ? agent.put(path) : method === 'DELETE' ? agent.delete(path) : agent.patch(path);
    if (call.as) test = test.set(await t.as(call.as));
    if (call.headers) test = test.set(call.headers);
    if (call.query) test = test.query(call.query);
    if (call.binary) test = test.buffer(true).parse(binaryParser);
    if (call.file) test = test.attach('file', call.file.content, { filename: call.file.name, contentType: call.file.type });
    if (call.body !== undefined) test = test.send(call.body as object);
    const response = await test;
    if (response.status !== call.status) {
      throw new Error(`${method} ${path}: expected ${call.status}, got ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`);
    }
    contract.check(method, path, answerOf(response), call.body);
    return response;
  }

  function answerOf(response: Response): Answer {
    const contentType = response.headers['content-type'] as string | undefined;
    const body: unknown = response.body;
    const size = Buffer.isBuffer(body) ? body.length : (response.text ?? '').length;
    return { status: response.status, contentType, body: contentType?.includes('json') ? body : (response.text ?? body), size };
  }

  /** The typed client's answers held to the document like supertest's. */
  const holdsToTheDocument = (): Middleware => {
    const sent = new Map<string, string>();
    return {
      async onRequest({ request, id }) {
        if (request.body) sent.set(id, await request.clone().text());
      },
      async onResponse({ request, response, id }) {
        const text = await response.clone().text();
        const contentType = response.headers.get('content-type') ?? undefined;
        const body = contentType?.includes('json') && text ? JSON.parse(text) : text;
        const requestBody = sent.get(id);
        contract.check(request.method, new URL(request.url).pathname, { status: response.status, contentType, body, size: text.length }, requestBody ? JSON.parse(requestBody) : undefined);
      },
    };
  };

  /** A typed client signed in as a demo user (or anonymous). */
  async function desk(username?: string): Promise<DeskClient> {
    const token = username ? (await t.as(username)).Authorization.slice('Bearer '.length) : undefined;
    return withToken(token);
  }

  /** A typed client sending this bearer token (a platform's API client secret). */
  function withToken(token: string | undefined): DeskClient {
    return createDeskClient(baseUrl, token, { middleware: [holdsToTheDocument()] });
  }

  async function event(username: string, id: string, body: Record<string, unknown>, status = 200): Promise<DeskSchema<'CaseViewDto'> & DeskSchema<'ErrorResponseDto'>> {
    return (await api('POST', `/api/cases/${id}/events`, { as: username, body, status })).body;
  }

  /** APPROVE the draft reply, acknowledging each litigation-risk warning the review view shows (legal staff must). */
  async function approve(username: string, id: string, at: string) {
    const letters: DeskSchema<'LetterSummaryDto'>[] = (await api('GET', `/api/cases/${id}/letters`, { as: username, status: 200 })).body;
    const draft = letters.find((letter) => letter.kind === 'reply' && letter.status !== 'issued')!;
    const review: DeskSchema<'LetterReviewDto'> = (await api('GET', `/api/letters/${draft.id}/review`, { as: username, status: 200 })).body;
    const acknowledgedRisks = review.risks.filter((risk) => risk.severity === 'warning').map((risk) => ({ code: risk.code, comment: '已核查，记录在卷' }));
    return event(username, id, { type: 'APPROVE', at, ...(acknowledgedRisks.length ? { acknowledgedRisks } : {}) });
  }

  // Shared by the tests below, in order.
  const cases: Record<'disclosed' | 'open' | 'sameRequest', { id: string; caseNumber: string; queryCode?: string }> = {} as never;
  let replyLetterId = '';
  let disputeId = '';

  it('describes every operation: a success status, and a schema for every answer (errors: the common error body)', () => {
    expect(contract.operations.length).toBeGreaterThanOrEqual(47);
    expect(contract.undescribed()).toEqual([]);
  });

  it('serves the document the typed client was generated from', async () => {
    const served = (await t.http.get('/api/docs-json').expect(200)).body;
    expect(served).toEqual(JSON.parse(JSON.stringify(await buildOpenApiDocumentOffline())));
  });

  it('health', async () => {
    const anonymous = await desk();
    expect((await anonymous.GET('/health/live')).data).toEqual({ status: 'ok' });
    expect((await anonymous.GET('/health/ready')).data).toEqual({ status: 'ready' });
    expect((await anonymous.GET('/health')).data).toEqual({ status: 'ok' });
  });

  it('auth: sign-in, the signed-in user, a new password, sign-out; refusals', async () => {
    const anonymous = await desk();
    const signedIn = await anonymous.POST('/api/auth/login', { body: { username: 'intake', password: 'demo-password' } });
    expect(signedIn.data?.user).toMatchObject({ username: 'intake', roles: ['intake'] });
    const refused = await anonymous.POST('/api/auth/login', { body: { username: 'nobody', password: 'wrong-password' } });
    expect(refused.error).toMatchObject({ statusCode: 401, message: '用户名或密码错误' });
    await api('POST', '/api/auth/login', { body: {}, status: 400 });
    const me = await (await desk('handler')).GET('/api/auth/me');
    expect(me.data).toMatchObject({ username: 'handler', displayName: '李承办', departmentId: expect.any(String) });
    await api('GET', '/api/auth/me', { status: 401 });

    // A user of its own, so the demo accounts keep their passwords and sessions.
    const created = await api('POST', '/api/admin/users', {
      as: 'admin',
      body: { username: 'archivist', displayName: '钱档案', password: 'archive-pass-1', roles: ['handler'], department: '住房保障科', email: 'archivist@example.com' },
      status: 201,
    });
    expect(created.body).toMatchObject({ username: 'archivist', roles: ['handler'], department: '住房保障科', active: true, isDemo: false });
    const token = (await api('POST', '/api/auth/login', { body: { username: 'archivist', password: 'archive-pass-1' }, status: 200 })).body.accessToken;
    const bearer = { Authorization: `Bearer ${token}` };
    await api('POST', '/api/auth/password', { headers: bearer, body: { currentPassword: 'wrong-password', newPassword: 'archive-pass-2' }, status: 400 });
    await api('POST', '/api/auth/password', { headers: bearer, body: { currentPassword: 'archive-pass-1', newPassword: 'archive-pass-2' }, status: 204 });
    await api('POST', '/api/auth/logout', { headers: bearer, status: 204 });
    await api('GET', '/api/auth/me', { headers: bearer, status: 401 });
  });

  it('admin: departments and users', async () => {
    const admin = await desk('admin');
    const departments = await admin.GET('/api/admin/departments');
    expect(departments.data?.map((department) => department.name)).toContain('住房保障科');
    const created = await admin.POST('/api/admin/departments', { body: { name: '档案科' } });
    expect(created.data).toMatchObject({ name: '档案科' });
    expect((await admin.POST('/api/admin/departments', { body: { name: '档案科' } })).error).toMatchObject({ statusCode: 409 });
    const users = await admin.GET('/api/admin/users');
    const archivist = users.data!.find((user) => user.username === 'archivist')!;
    const updated = await admin.PATCH('/api/admin/users/{id}', { params: { path: { id: archivist.id } }, body: { displayName: '钱档案员', department: '档案科' } });
    expect(updated.data).toMatchObject({ displayName: '钱档案员', department: '档案科' });
    await api('PATCH', '/api/admin/users/00000000-0000-4000-8000-000000000000', { as: 'admin', body: { displayName: '无' }, status: 404 });
    await api('POST', '/api/admin/users', { as: 'admin', body: { username: 'archivist', displayName: '重名', password: 'archive-pass-3', roles: ['handler'], department: '档案科' }, status: 409 });
    await api('GET', '/api/admin/users', { as: 'handler', status: 403 });
  });

  it('single sign-on: the settings (refused, saved), the linked identities, an unlink of nobody', async () => {
    const settings = { enabled: false, providerName: '统一身份认证平台', issuer: 'https://ids.example.gov.cn/oidc', clientId: 'ogi-desk', matchBy: 'subject' };
    expect((await api('GET', '/api/admin/sso', { as: 'admin', status: 200 })).body).toMatchObject({ configured: false });
    await api('PUT', '/api/admin/sso', { as: 'admin', body: settings, status: 400 });
    // Not enabled: saved without reaching the provider.
    const saved = await api('PUT', '/api/admin/sso', { as: 'admin', body: { ...settings, clientSecret: 'issued-by-the-provider' }, status: 200 });
    expect(saved.body).toMatchObject({ configured: true, enabled: false, clientSecretSet: true, matchBy: 'subject', breakGlass: null });
    expect((await api('GET', '/api/admin/sso/links', { as: 'admin', status: 200 })).body).toEqual([]);
    await api('DELETE', '/api/admin/sso/links/00000000-0000-4000-8000-000000000000', { as: 'admin', status: 404 });
    await api('GET', '/api/admin/sso', { as: 'handler', status: 403 });
    await api('DELETE', '/api/admin/sso/links/00000000-0000-4000-8000-000000000000', { as: 'handler', status: 403 });
  });

  it('calendar: working days, a year, its replacement and the change log', async () => {
    const admin = await desk('admin');
    // 2025-09-30 + 5 working days: 10-01..08 are the National Day holidays, 10-11 (Saturday) is worked.
    const workingDay = await admin.GET('/api/calendar/working-days', { params: { query: { from: '2025-09-30', add: 5 } } });
    expect(workingDay.data).toEqual({ date: '2025-10-14', provisional: false });
    await api('GET', '/api/calendar/working-days', { as: 'admin', query: { from: '2025-9-30', add: 5 }, status: 400 });
    const year: DeskSchema<'CalendarYearViewDto'> = (await api('GET', '/api/calendar/2025', { as: 'admin', status: 200 })).body;
    expect(year).toMatchObject({ year: 2025, published: true });
    const replaced = await api('PUT', '/api/calendar/2025', {
      as: 'admin',
      body: { published: year.published, source: year.source, holidays: year.holidays, workdays: year.workdays },
      status: 200,
    });
    expect(replaced.body.change).toMatchObject({ recomputation: 'queued' });
    await api('GET', '/api/calendar/1999', { as: 'admin', status: 400 });
    await api('GET', '/api/calendar/2100', { as: 'admin', status: 404 });
    const changes = await admin.GET('/api/calendar/changes');
    expect(changes.data?.[0]).toMatchObject({ year: 2025, changedBy: 'admin' });
  });

  it('intake: at the desk (typed client) and online; the public tracking view', async () => {
    const intake = await desk('intake');
    const registered = await intake.POST('/api/applications', {
      body: {
        channel: 'in_person',
        receivedAt: '2025-09-26',
        applicant: { category: 'natural_person', name: '张三', idType: 'id_card', idNumber: PERSON_ID, phone: PERSON_PHONE, address: '上海市杨浦区示例路1号' },
        description: DESCRIPTION,
        deliveryForm: 'paper_pickup',
      },
    });
    expect(registered.data).toMatchObject({ state: 'registered', queryCode: expect.any(String), applicant: { idNumber: '110105********002X' } });
    cases.disclosed = { id: registered.data!.id, caseNumber: registered.data!.caseNumber, queryCode: registered.data!.queryCode };
    const incomplete = await api('POST', '/api/applications', { as: 'intake', body: deskApplication({ applicant: undefined }), status: 400 });
    expect(incomplete.body.message).toBe('申请人 不能为空');
    await api('POST', '/api/applications', { as: 'handler', body: deskApplication(), status: 403 });
    const open = await api('POST', '/api/applications', { as: 'intake', body: deskApplication({ description: '本区2024年度公共租赁住房房源筹措和分配情况' }), status: 201 });
    cases.open = { id: open.body.id, caseNumber: open.body.caseNumber };
    // The same information asked by another applicant: a candidate for proactive disclosure (Art. 44).
    const same = await api('POST', '/api/applications', { as: 'intake', body: deskApplication({ applicant: companyApplicant(), description: DESCRIPTION }), status: 201 });
    cases.sameRequest = { id: same.body.id, caseNumber: same.body.caseNumber };

    const online = await api('POST', '/api/public/applications', { body: onlineApplication(), headers: { 'Idempotency-Key': 'contract-test-0001' }, status: 201 });
    await api('POST', '/api/public/applications', { body: onlineApplication({ deliveryForm: 'fax' }), status: 400 });
    const tracked = await api('GET', `/api/public/applications/${encodeURIComponent(online.body.caseNumber)}`, { query: { queryCode: online.body.queryCode }, status: 200 });
    expect(tracked.body).toMatchObject({ caseNumber: online.body.caseNumber, receivedAt: null, letters: [] });
    await api('GET', `/api/public/applications/${encodeURIComponent(online.body.caseNumber)}`, { query: { queryCode: 'WRONGCODE1' }, status: 404 });
  });

  it('item 6: a missing or malformed payload field is 400 naming it; a prerequisite not on record is 409 naming it; nothing is recorded', async () => {
    const { id } = cases.open;
    await event('intake', id, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' });
    const refusals: [Record<string, unknown>, number, RegExp][] = [
      // A withholding outcome without its reasons (Art. 36, 37): the payload is incomplete, whatever is on record.
      [{ type: 'DECIDE', at: '2025-10-10', outcome: 'withheld.process_info' }, 400, /^除“予以公开”“予以更正”外，须填写理由$/],
      [{ type: 'DECIDE', at: '2025-10-10', outcome: 'withheld.process_info', reasons: 42 }, 400, /^理由 应为文字$/],
      [{ type: 'DECIDE', at: '2025-10-10', outcome: 'partial', reasons: '部分属于过程性信息' }, 400, /予以公开或部分公开的，须填写提供的信息及方式；部分公开的，须填写不予公开部分的依据/],
      [{ type: 'DECIDE', at: '2025-10-10', outcome: 'not_processed.duplicate', reasons: '重复申请' }, 400, /^重复申请的，须填写在先申请的案件编号$/],
      [{ type: 'DECIDE', at: '2025-10-10', outcome: 'withheld.nonsense', reasons: 'x' }, 400, /^办理结果 应为以下之一：予以公开、部分公开、/],
      // The payload is complete, but what the outcome needs on record is not there (rules.md §4, last column).
      [{ type: 'DECIDE', at: '2025-10-10', outcome: 'unavailable.not_held', reasons: '经检索未找到' }, 409, /^缺少检索记录：决定“经检索没有所申请的信息”前须记录检索情况/],
      [{ type: 'DECIDE', at: '2025-10-10', outcome: 'unavailable.unclear_after_supplement', reasons: '仍不明确' }, 409, /须先有补正告知和申请人的补正（第三十条）/],
      [{ type: 'DECIDE', at: '2025-10-10', outcome: 'not_processed.excessive', reasons: '大量申请' }, 409, /须先要求申请人说明理由（第三十五条）/],
      [{ type: 'EXTEND', at: '2025-10-10', workingDays: 10, reason: '档案多' }, 403, /须由负责人办理/],
      [{ type: 'RECORD_SEARCH', at: '2025-10-10', scope: 'OA', terms: '房源', result: '无', version: 1 }, 409, /当前版本 2/],
    ];
    for (const [body, status, message] of refusals) {
      const refused = await event('handler', id, body, status);
      expect({ body, message: refused.message }).toEqual({ body, message: expect.stringMatching(message) });
    }
    const view = await (await desk('handler')).GET('/api/cases/{id}', { params: { path: { id } } });
    expect(view.data).toMatchObject({ state: 'handling.active', version: 2, outcome: null });
    expect(view.data!.events.map((entry) => entry.type)).toEqual(['REGISTER', 'ASSIGN']);
    await api('POST', '/api/cases/00000000-0000-4000-8000-000000000000/events', { as: 'handler', body: { type: 'ASSIGN', handler: 'handler' }, status: 404 });
  });

  it('a case from registration to the issued reply and the proactive decision, with 协办, attachments and letters', async () => {
    const { id } = cases.disclosed;
    const handler = await desk('handler');
    const assigned = await (await desk('intake')).POST('/api/cases/{id}/events', { params: { path: { id } }, body: { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' } });
    expect(assigned.data).toMatchObject({ state: 'handling.active', handler: { username: 'handler' }, department: { name: '住房保障科' } });

    await event('handler', id, { type: 'REQUEST_ASSISTANCE', at: '2025-09-30', department: '政府信息公开办公室', question: '请提供补偿方案的档案', dueDate: '2025-10-14' });
    const asked: DeskSchema<'AssistanceRequestDto'>[] = (await api('GET', '/api/assistance-requests', { as: 'handler2', status: 200 })).body;
    expect(asked).toEqual([expect.objectContaining({ caseId: id, question: '请提供补偿方案的档案', dueDate: '2025-10-14' })]);
    await event('handler2', id, { type: 'ANSWER_ASSISTANCE', at: '2025-10-09', requestId: asked[0].requestId, answer: '档案已调出，见附件' });

    const upload = await api('POST', `/api/cases/${id}/attachments`, { as: 'handler', file: { name: '检索登记表.txt', content: Buffer.from('检索登记表'), type: 'text/plain' }, status: 201 });
    await api('POST', `/api/cases/${id}/attachments`, { as: 'handler', status: 400 });
    const attachments = await handler.GET('/api/cases/{id}/attachments', { params: { path: { id } } });
    expect(attachments.data).toEqual([expect.objectContaining({ id: upload.body.id, filename: '检索登记表.txt', sizeBytes: 15, uploadedBy: 'handler' })]);
    const file = await api('GET', `/api/attachments/${upload.body.id}`, { as: 'handler', binary: true, status: 200 });
    expect((file.body as Buffer).toString()).toBe('检索登记表');
    await api('GET', '/api/attachments/00000000-0000-4000-8000-000000000000', { as: 'handler', status: 404 });

    await event('handler', id, { type: 'RECORD_SEARCH', at: '2025-10-13', scope: '档案室；OA 系统', terms: '征收 补偿方案', result: '检索到补偿方案 1 件', attachmentIds: [upload.body.id] });
    const decided = await event('handler', id, { type: 'DECIDE', at: '2025-10-20', outcome: 'disclosed', provided: '提供补偿方案复印件 3 页' });
    expect(decided).toMatchObject({ state: 'decided.legalReview', outcome: 'disclosed' });

    const letters = await handler.GET('/api/cases/{id}/letters', { params: { path: { id } } });
    const reply = letters.data!.find((letter) => letter.kind === 'reply')!;
    replyLetterId = reply.id;
    expect(reply).toMatchObject({ status: 'in_review', number: null, issuedAt: null, sha256: null });
    const edited = await handler.PATCH('/api/letters/{id}', { params: { path: { id: reply.id } }, body: { contactPerson: '李承办', contactPhone: '021-12345678' } });
    expect(edited.data).toMatchObject({ fillIns: { contactPerson: '李承办' }, editableFields: expect.arrayContaining(['reasons', 'contactPhone']) });
    await api('PATCH', `/api/letters/${reply.id}`, { as: 'handler', body: { colour: 'red' }, status: 400 });
    const draft = await api('GET', `/api/letters/${reply.id}`, { as: 'handler', status: 200 });
    expect(draft.text).toContain('草稿');
    const word = await api('GET', `/api/letters/${reply.id}`, { as: 'handler', query: { format: 'docx' }, binary: true, status: 200 });
    expect((word.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    await api('GET', `/api/letters/${reply.id}`, { as: 'handler', query: { format: 'doc' }, status: 400 });
    await api('GET', `/api/letters/${reply.id}/review`, { as: 'legal', status: 200 });

    await approve('legal', id, '2025-10-21');
    await approve('head', id, '2025-10-22');
    const replied = await event('intake', id, { type: 'ISSUE_REPLY', at: '2025-10-23' });
    expect(replied).toMatchObject({ state: 'replied', concludedAt: '2025-10-23' });
    await api('PATCH', `/api/letters/${reply.id}`, { as: 'handler', body: { contactPerson: '改' }, status: 409 });
    const pdf = await api('GET', `/api/letters/${reply.id}`, { as: 'handler', query: { format: 'pdf' }, binary: true, status: 200 });
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

    const closed = await event('head', id, {
      type: 'DECIDE_PROACTIVE',
      at: '2025-10-24',
      publish: true,
      reason: '两个申请人申请相同信息，可以公开',
      title: '某地块国有土地上房屋征收补偿方案',
      summary: '征收补偿方案全文',
      content: '补偿方案全文（略）',
    });
    expect(closed).toMatchObject({ state: 'closed' });
  });

  it('the applicant: tracking, the issued letter, the proactive list', async () => {
    const { caseNumber, queryCode } = cases.disclosed;
    const anonymous = await desk();
    const tracked = await anonymous.GET('/api/public/applications/{caseNumber}', { params: { path: { caseNumber }, query: { queryCode: queryCode! } } });
    expect(tracked.data).toMatchObject({ caseNumber, state: '已答复', concludedAt: '2025-10-23', letters: expect.arrayContaining([expect.objectContaining({ id: replyLetterId })]) });
    const letter = await api('GET', `/api/public/applications/${encodeURIComponent(caseNumber)}/letters/${replyLetterId}`, { query: { queryCode: queryCode!, format: 'pdf' }, binary: true, status: 200 });
    expect(letter.headers['x-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    await api('GET', `/api/public/applications/${encodeURIComponent(caseNumber)}/letters/${replyLetterId}`, { query: { queryCode: queryCode!, format: 'doc' }, status: 400 });
    // The same lookup with the 查询码 in the body, as the portal asks it: plain words, the letters by signed links.
    const lookedUp = await anonymous.POST('/api/public/tracking', { body: { caseNumber, queryCode: queryCode! } });
    expect(lookedUp.data).toMatchObject({ caseNumber, state: '已答复', concludedAt: '2025-10-23', mayWithdraw: false, supplement: null });
    expect(lookedUp.data!.letters.map((entry) => entry.title)).toEqual(expect.arrayContaining(['政府信息公开申请答复书']));
    const wrongPair = await anonymous.POST('/api/public/tracking', { body: { caseNumber, queryCode: 'WRONGCODE2' } });
    expect(wrongPair.error).toMatchObject({ statusCode: 404, message: expect.stringMatching(/^案件编号或查询码不正确/) });
    // 文书核验: the 验证码 printed on the reply shows what was issued under it, and the PDF's digest.
    const code = /验证码：([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(pdfText(letter.body as Buffer))![1];
    const verified = await anonymous.GET('/api/public/verify/{code}', { params: { path: { code } } });
    expect(verified.data).toMatchObject({ title: '政府信息公开申请答复书', issuedAt: '2025-10-23', addresseeCategory: '申请人', sha256: sha256(letter.body as Buffer) });
    expect((await anonymous.GET('/api/public/verify/{code}', { params: { path: { code: 'ZZZZ-ZZZZ-ZZZZ' } } })).error).toMatchObject({ statusCode: 404 });
    const proactive = await anonymous.GET('/api/public/proactive');
    expect(proactive.data).toEqual([expect.objectContaining({ title: '某地块国有土地上房屋征收补偿方案', publishedAt: '2025-10-24' })]);
  });

  it('staff reading: queues, the case view, personal data, candidates', async () => {
    const intake = await desk('intake');
    const queue = await intake.GET('/api/cases', { params: { query: { state: 'closed', pageSize: 5 } } });
    expect(queue.data).toMatchObject({ total: 1, page: 1, pageSize: 5, items: [{ id: cases.disclosed.id, handlerName: '李承办', outcome: 'disclosed' }] });
    await api('GET', '/api/cases', { as: 'intake', query: { page: 0 }, status: 400 });
    await api('GET', `/api/cases/${cases.sameRequest.id}`, { as: 'handler', status: 404 });
    const revealed = await intake.GET('/api/cases/{id}/personal-data', { params: { path: { id: cases.disclosed.id }, query: { reason: '领取答复时核验身份' } } });
    expect(revealed.data).toEqual({ idType: 'id_card', idNumber: PERSON_ID, phone: PERSON_PHONE });
    await api('GET', `/api/cases/${cases.disclosed.id}/personal-data`, { as: 'intake', status: 400 });
    // 送达回证 of the issued reply, blank for a delegated service, as PDF and as Word.
    const certificate = await intake.GET('/api/cases/{id}/service-certificate', { params: { path: { id: cases.disclosed.id }, query: { method: 'delegated' } }, parseAs: 'arrayBuffer' });
    expect(pdfText(Buffer.from(certificate.data!))).toContain('□直接送达■委托送达');
    const word = await intake.GET('/api/cases/{id}/service-certificate', { params: { path: { id: cases.disclosed.id }, query: { format: 'docx' } }, parseAs: 'arrayBuffer' });
    expect(Buffer.from(word.data!).subarray(0, 2).toString()).toBe('PK');
    const badFormat = await api('GET', `/api/cases/${cases.disclosed.id}/service-certificate`, { as: 'intake', query: { format: 'doc' }, status: 400 });
    expect(badFormat.body.message).toBe('文件格式 应为以下之一：PDF 文件、Word 文档');
    await api('GET', `/api/cases/${cases.open.id}/service-certificate`, { as: 'intake', status: 409 });
    const candidates = await intake.GET('/api/proactive/candidates');
    expect(candidates.data).toEqual([expect.objectContaining({ applicants: 2, published: true, caseIds: expect.arrayContaining([cases.disclosed.id, cases.sameRequest.id]) })]);
  });

  it('区分处理 (Art. 37): regions with their reasons on an uploaded PDF, the copy produced, the reply issued, the applicant downloads the copy', async () => {
    // Received in 2026 (the 2025 report below counts only the cases above), to be obtained online.
    const registered = await api('POST', '/api/applications', {
      as: 'intake',
      body: deskApplication({ receivedAt: '2026-01-05', deliveryForm: 'online', description: '某地块征收补偿方案及签约情况（含联系人）' }),
      status: 201,
    });
    const { id, caseNumber, queryCode } = registered.body as { id: string; caseNumber: string; queryCode: string };
    await event('intake', id, { type: 'ASSIGN', at: '2026-01-05', handler: 'handler' });
    const original = await documentPdf('征收补偿方案', ['补偿标准 每平方米 35000 元', '讨论情况 内部讨论意见甲 尚待研究', '签约期限 自公告之日起 60 日'], '2025-11-01');
    const upload = await api('POST', `/api/cases/${id}/attachments`, { as: 'handler', file: { name: '征收补偿方案.pdf', content: original, type: 'application/pdf' }, status: 201 });

    const handler = await desk('handler');
    const created = await handler.POST('/api/cases/{id}/redactions', { params: { path: { id } }, body: { attachmentId: upload.body.id } });
    expect(created.data).toMatchObject({ originalAttachmentId: upload.body.id, revision: 0, editable: true, regions: [], copy: null, filename: '征收补偿方案.pdf' });
    const document = created.data!;
    expect((await handler.POST('/api/cases/{id}/redactions', { params: { path: { id } }, body: { attachmentId: upload.body.id } })).error).toMatchObject({ statusCode: 409 });
    expect((await handler.GET('/api/cases/{id}/redactions', { params: { path: { id } } })).data).toEqual([expect.objectContaining({ id: document.id })]);
    expect((await handler.GET('/api/redactions/{id}', { params: { path: { id: document.id } } })).data).toMatchObject({ id: document.id, pages: [{ number: 1 }] });
    const preview = await (await desk('legal')).GET('/api/redactions/{id}/pages/{page}/preview', { params: { path: { id: document.id, page: 1 } }, parseAs: 'arrayBuffer' });
    expect(preview.response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(preview.data!).subarray(1, 4).toString()).toBe('PNG');
    expect((await handler.GET('/api/redactions/{id}/pages/{page}/preview', { params: { path: { id: document.id, page: 9 } } })).error).toMatchObject({ statusCode: 404 });

    // An internal opinion under discussion: 过程性信息 (Art. 16(2)).
    const region = { page: 1, ...wordBox(original, '内部讨论意见甲') };
    const badReason = await api('POST', `/api/redactions/${document.id}/regions`, { as: 'handler', body: { ...region, reason: 'withheld.admin_query' }, status: 400 });
    expect(badReason.body.message).toMatch(/^不予公开的理由 应为以下之一：属于国家秘密（第十四条）、/);
    const marked = await handler.POST('/api/redactions/{id}/regions', { params: { path: { id: document.id } }, body: { ...region, reason: 'withheld.process_info', note: '内部讨论意见' } });
    expect(marked.data!.regions).toEqual([expect.objectContaining({ reasonLabel: '属于四类过程性信息（第十六条第二款）', createdBy: 'handler' })]);
    // A box drawn by mistake over the signing period, removed: the log keeps it, with who removed it.
    const mistaken = await handler.POST('/api/redactions/{id}/regions', { params: { path: { id: document.id } }, body: { page: 1, ...wordBox(original, '签约期限'), reason: 'withheld.third_party' } });
    const mistakenRegion = mistaken.data!.regions.find((entry) => entry.reason === 'withheld.third_party')!;
    const removed = await handler.DELETE('/api/redactions/{id}/regions/{regionId}', { params: { path: { id: document.id, regionId: mistakenRegion.id } } });
    expect(removed.data).toMatchObject({ revision: 3, regions: [expect.objectContaining({ reason: 'withheld.process_info' })] });
    expect(removed.data!.log.find((entry) => entry.id === mistakenRegion.id)).toMatchObject({ removedBy: 'handler', removedAt: expect.any(String) });
    expect((await handler.GET('/api/redactions/{id}/copy', { params: { path: { id: document.id } } })).error).toMatchObject({ statusCode: 404 });
    const produced = await handler.POST('/api/redactions/{id}/copy', { params: { path: { id: document.id } } });
    expect(produced.data!.copy).toMatchObject({ revision: 3, current: true, disclosed: false });
    const copy = await handler.GET('/api/redactions/{id}/copy', { params: { path: { id: document.id } }, parseAs: 'arrayBuffer' });
    expect(sha256(copy.data!)).toBe(produced.data!.copy!.sha256);
    const copyText = pdfText(Buffer.from(copy.data!));
    // The marked page is an image now; only each box's reason reads as text.
    expect(copyText).not.toContain('内部讨论意见甲');
    expect(copyText).toContain('第十六条第二款');

    await event('handler', id, { type: 'DECIDE', at: '2026-01-12', outcome: 'partial', reasons: '部分内容属于内部讨论意见', provided: '提供征收补偿方案（部分公开）', withheldBasis: 'withheld.process_info' });
    await approve('legal', id, '2026-01-13');
    await approve('head', id, '2026-01-14');
    expect(await event('intake', id, { type: 'ISSUE_REPLY', at: '2026-01-15' })).toMatchObject({ state: 'replied' });

    // The applicant: the copy, listed and downloaded with the case number and 查询码 — never the original.
    const anonymous = await desk();
    const listed = await anonymous.GET('/api/public/applications/{caseNumber}/redacted-copies', { params: { path: { caseNumber }, query: { queryCode } } });
    expect(listed.data).toEqual([{ id: produced.data!.copy!.id, filename: '征收补偿方案（部分公开）.pdf', sha256: produced.data!.copy!.sha256, path: expect.stringContaining('/redacted-copies/') }]);
    const downloaded = await anonymous.GET('/api/public/applications/{caseNumber}/redacted-copies/{copyId}', {
      params: { path: { caseNumber, copyId: listed.data![0].id }, query: { queryCode } },
      parseAs: 'arrayBuffer',
    });
    expect(sha256(downloaded.data!)).toBe(produced.data!.copy!.sha256);
    const other = await anonymous.GET('/api/public/applications/{caseNumber}/redacted-copies/{copyId}', { params: { path: { caseNumber, copyId: upload.body.id }, query: { queryCode } } });
    expect(other.error).toMatchObject({ statusCode: 404 });
  });

  it('disputes: filing, reading, the evidence bundle, the result', async () => {
    const { id } = cases.disclosed;
    const legal = await desk('legal');
    const filed = await legal.POST('/api/cases/{id}/disputes', {
      params: { path: { id } },
      body: { kind: 'review', afterReview: false, filedAt: '2025-11-03', body: '上海市某区人民政府', reference: '某府复〔2025〕7号', servedAt: '2025-11-05' },
    });
    expect(filed.data).toMatchObject({ kind: 'review', instance: 'first', result: null, answerDueDate: expect.any(String) });
    disputeId = filed.data!.id;
    await api('POST', `/api/cases/${id}/disputes`, { as: 'legal', body: { kind: 'review', afterReview: true, filedAt: '2025-11-03', body: 'x' }, status: 400 });
    await api('GET', `/api/cases/${id}/disputes`, { as: 'legal', status: 200 });
    expect((await legal.GET('/api/disputes')).data).toEqual([expect.objectContaining({ id: disputeId })]);
    await api('GET', `/api/disputes/${disputeId}`, { as: 'legal', status: 200 });
    await api('GET', '/api/disputes/00000000-0000-4000-8000-000000000000', { as: 'legal', status: 404 });
    const bundle = await api('GET', `/api/disputes/${disputeId}/evidence`, { as: 'legal', binary: true, status: 200 });
    expect((bundle.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    const decided = await legal.POST('/api/disputes/{id}/result', { params: { path: { id: disputeId } }, body: { result: 'upheld', decidedAt: '2025-12-15', ordersNewReply: false } });
    expect(decided.data).toMatchObject({ result: 'upheld', decidedAt: '2025-12-15' });
    await api('POST', `/api/disputes/${disputeId}/result`, { as: 'legal', body: { result: 'upheld', decidedAt: '2025-12-16', ordersNewReply: false }, status: 409 });
  });

  it('notifications from the daily sweep; the personal-data access log', async () => {
    const runner = t.app.get(JobRunnerService);
    await runner.scheduleDailySweep();
    await runner.runDue();
    const handler = await desk('handler');
    const notices = await handler.GET('/api/notifications');
    expect(notices.data!.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'overdue', caseId: cases.open.id, readAt: null })]));
    await api('POST', `/api/notifications/${notices.data!.items[0].id}/read`, { as: 'handler', status: 204 });
    await api('POST', `/api/notifications/${notices.data!.items[0].id}/read`, { as: 'intake', status: 404 });

    const admin = await desk('admin');
    const log = await admin.GET('/api/audit/personal-data', { params: { query: { caseNumber: cases.disclosed.caseNumber } } });
    expect(log.data!.items.map((entry) => entry.action)).toEqual(expect.arrayContaining(['reveal_identity', 'download_attachment', 'view_letter', 'export_evidence_bundle']));
    await api('GET', '/api/audit/personal-data', { as: 'admin', query: { from: 'yesterday' }, status: 400 });
  });

  it('reports: the annual report as JSON, XLSX and HTML, a cell drilled down, the rates, the lock', async () => {
    const legal = await desk('legal');
    const report = await legal.GET('/api/reports/annual/{year}', { params: { path: { year: '2025' } } });
    const annual = report.data as DeskSchema<'AnnualReportDto'>;
    expect(annual.applications.disclosed.natural_person).toBe(1);
    expect(annual.disputes.review).toEqual({ upheld: 1, corrected: 0, other: 0, pending: 0, total: 1 });
    const xlsx = await api('GET', '/api/reports/annual/2025', { as: 'legal', query: { format: 'xlsx' }, binary: true, status: 200 });
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    const html = await api('GET', '/api/reports/annual/2025', { as: 'legal', query: { format: 'html' }, status: 200 });
    expect(html.text).toContain('（七）总计');
    await api('GET', '/api/reports/annual/2025', { as: 'legal', query: { format: 'csv' }, status: 400 });
    const cell = await api('GET', '/api/reports/annual/2025/drilldown', { as: 'legal', query: { cell: 'disclosed|natural_person' }, status: 200 });
    expect(cell.body).toEqual([expect.objectContaining({ id: cases.disclosed.id, outcome: 'disclosed' })]);
    const disputes = await api('GET', '/api/reports/annual/2025/drilldown', { as: 'legal', query: { cell: 'disputes.review|upheld' }, status: 200 });
    expect(disputes.body).toEqual([expect.objectContaining({ id: disputeId, result: 'upheld' })]);
    await api('GET', '/api/reports/annual/2025/drilldown', { as: 'legal', status: 400 });
    const rates = await legal.GET('/api/reports/rates', { params: { query: { from: '2025', to: '2025' } } });
    expect(rates.data?.years[0]).toMatchObject({ year: 2025, concluded: 1, review: { concluded: 1, corrected: 0, rate: 0 } });

    // The parts the office writes itself; the checks before export; the document in Word and PDF.
    expect((await legal.GET('/api/reports/annual/{year}/fill-ins', { params: { path: { year: '2025' } } })).data).toMatchObject({ year: 2025, proactive: null, problems: null, locked: false });
    const unchecked = await legal.GET('/api/reports/annual/{year}/checks', { params: { path: { year: '2025' } } });
    expect(unchecked.data).toMatchObject({ identitiesHold: true, missingFillIns: ['二、主动公开政府信息情况', '五、存在的主要问题及改进情况'], exportable: false });
    await api('GET', '/api/reports/annual/2025/document', { as: 'legal', status: 409 });
    const head = await desk('head');
    const fillIns = {
      overview: '2025年，本机关坚持以公开为常态、不公开为例外，持续推进政府信息公开工作。',
      proactive: PROACTIVE,
      problems: '一是依申请公开答复的说理还不够充分。下一步将加强培训。',
      otherMatters: '本年度未发生其他需要报告的事项。',
    };
    await api('PUT', '/api/reports/annual/2025/fill-ins', { as: 'head', body: { proactive: { ...PROACTIVE, regulationsIssued: -1 }, problems: '' }, status: 400 });
    await api('PUT', '/api/reports/annual/2025/fill-ins', { as: 'legal', body: fillIns, status: 403 });
    const saved = await head.PUT('/api/reports/annual/{year}/fill-ins', { params: { path: { year: '2025' } }, body: fillIns });
    expect(saved.data).toMatchObject({ year: 2025, proactive: PROACTIVE, locked: false, updatedAt: expect.any(String) });
    expect((await legal.GET('/api/reports/annual/{year}/checks', { params: { path: { year: '2025' } } })).data).toEqual({ year: 2025, identitiesHold: true, breaches: [], missingFillIns: [], exportable: true });
    const word = await legal.GET('/api/reports/annual/{year}/document', { params: { path: { year: '2025' }, query: { format: 'docx' } }, parseAs: 'arrayBuffer' });
    expect(Buffer.from(word.data!).subarray(0, 2).toString()).toBe('PK');
    const pdf = await legal.GET('/api/reports/annual/{year}/document', { params: { path: { year: '2025' }, query: { format: 'pdf' } }, parseAs: 'arrayBuffer' });
    expect(pdfText(Buffer.from(pdf.data!))).toContain('一是依申请公开答复的说理还不够充分');
    const badFormat = await api('GET', '/api/reports/annual/2025/document', { as: 'legal', query: { format: 'doc' }, status: 400 });
    expect(badFormat.body.message).toBe('文件格式 应为以下之一：PDF 文件、Word 文档');

    await api('POST', '/api/reports/annual/2025/lock', { as: 'legal', status: 403 });
    const locked = await head.POST('/api/reports/annual/{year}/lock', { params: { path: { year: '2025' } } });
    expect(locked.data).toMatchObject({ year: 2025, locked: true, identityHolds: true });
    await api('POST', '/api/reports/annual/2026/lock', { as: 'head', status: 409 });
    const afterLock = await api('PUT', '/api/reports/annual/2025/fill-ins', { as: 'head', body: fillIns, status: 409 });
    expect(afterLock.body.message).toBe('2025 年度报告已发布并锁定，不能再修改');
    expect((await head.GET('/api/reports/annual/{year}/fill-ins', { params: { path: { year: '2025' } } })).data).toMatchObject({ locked: true });
  });

  it('a platform: its API client registered, an application imported, its status and letter, a dead callback replayed; rotation and revocation', async () => {
    const receiver = new CallbackReceiver();
    await receiver.start();
    try {
      const admin = await desk('admin');
      const scopes: ('applications:import' | 'cases:status')[] = ['applications:import', 'cases:status'];
      const created = await admin.POST('/api/admin/api-clients', { body: { name: '浙里公开平台', source: 'zlgk', scopes } });
      expect(created.data).toMatchObject({ name: '浙里公开平台', source: 'zlgk', scopeLabels: ['转入申请', '查询办理进度'], active: true, secret: expect.stringMatching(/^ogi-client\./) });
      const clientId = created.data!.id;
      expect((await admin.POST('/api/admin/api-clients', { body: { name: '重复', source: 'zlgk', scopes } })).error).toMatchObject({ statusCode: 409 });
      expect((await admin.GET('/api/admin/api-clients')).data).toEqual([expect.objectContaining({ id: clientId, subscription: null })]);
      receiver.status = 500;
      const subscribed = await admin.PUT('/api/admin/api-clients/{id}/subscription', {
        params: { path: { id: clientId } },
        body: { url: receiver.url, events: ['state_changed', 'letter_issued', 'due_date_changed', 'concluded'] },
      });
      expect(subscribed.data).toMatchObject({ url: receiver.url, signingSecret: expect.stringMatching(/^ogi-whsec\./) });

      // The platform, with its own secret: an import, the same import again (same case), another body under the same reference (422).
      const platform = withToken(created.data!.secret);
      const application = platformApplication({ source: 'zlgk', externalRef: 'ZJ-2026-000001' }) as DeskSchema<'PlatformApplicationDto'>;
      const imported = await platform.POST('/api/integration/applications', { body: application });
      expect(imported.data).toMatchObject({ created: true, externalRef: 'ZJ-2026-000001', receivedAt: null, letters: [] });
      expect((await platform.POST('/api/integration/applications', { body: application })).data).toMatchObject({ created: false, caseNumber: imported.data!.caseNumber });
      expect((await platform.POST('/api/integration/applications', { body: { ...application, description: '另一项申请内容：本区2025年度旧改项目清单' } })).error).toMatchObject({ statusCode: 422 });
      expect((await (await desk('intake')).POST('/api/integration/applications', { body: application })).error).toMatchObject({ statusCode: 403 });

      // The office confirms receipt: the 接收回执 is issued, and the platform reads the status and downloads it.
      const [{ id: caseId }] = await t.dataSource.query(`SELECT id FROM cases WHERE case_number = $1`, [imported.data!.caseNumber]);
      await event('intake', caseId, { type: 'CONFIRM_RECEIPT', at: '2026-01-20' });
      const status = await platform.GET('/api/integration/applications/{externalRef}', { params: { path: { externalRef: 'ZJ-2026-000001' } } });
      expect(status.data).toMatchObject({ receivedAt: '2026-01-20', concluded: false, letters: [expect.objectContaining({ title: '政府信息公开申请接收回执' })] });
      const receipt = await platform.GET('/api/integration/applications/{externalRef}/letters/{letterId}', {
        params: { path: { externalRef: 'ZJ-2026-000001', letterId: status.data!.letters[0].id } },
        parseAs: 'arrayBuffer',
      });
      expect(Buffer.from(receipt.data!).subarray(0, 5).toString()).toBe('%PDF-');
      expect((await platform.GET('/api/integration/applications/{externalRef}', { params: { path: { externalRef: 'ZJ-NOT-IMPORTED' } } })).error).toMatchObject({ statusCode: 404 });

      // The receiver refuses the callback: dead after CALLBACK_MAX_ATTEMPTS (1 here); the administrator replays it once it is back.
      expect(await t.app.get(PlatformCallbacks).deliverDue()).toMatchObject({ dead: 1 });
      const dead = await admin.GET('/api/admin/callbacks', { params: { query: { status: 'dead', clientId } } });
      expect(dead.data).toEqual([expect.objectContaining({ status: 'dead', statusLabel: '发送失败，已停止重试', lastStatus: 500, externalRef: 'ZJ-2026-000001' })]);
      receiver.status = 200;
      const replayed = await admin.POST('/api/admin/callbacks/{id}/replay', { params: { path: { id: dead.data![0].id } } });
      expect(replayed.data).toMatchObject({ status: 'pending', attempts: 0, replayedAt: expect.any(String) });
      expect((await admin.POST('/api/admin/callbacks/{id}/replay', { params: { path: { id: dead.data![0].id } } })).error).toMatchObject({ statusCode: 409 });
      expect(await t.app.get(PlatformCallbacks).deliverDue()).toMatchObject({ delivered: 1 });
      expect(receiver.bodies().at(-1)).toMatchObject({ id: dead.data![0].id, case: { externalRef: 'ZJ-2026-000001' } });

      expect((await admin.DELETE('/api/admin/api-clients/{id}/subscription', { params: { path: { id: clientId } } })).response.status).toBe(204);
      expect((await admin.DELETE('/api/admin/api-clients/{id}/subscription', { params: { path: { id: clientId } } })).error).toMatchObject({ statusCode: 404 });
      // The access log is written once each call is answered.
      let log: DeskSchema<'AccessLogEntryDto'>[] = [];
      for (let tries = 0; tries < 40 && log.length < 6; tries++) {
        log = (await admin.GET('/api/admin/api-clients/{id}/access-log', { params: { path: { id: clientId }, query: { limit: 50 } } })).data!;
        if (log.length < 6) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(log.map((entry) => `${entry.method} ${entry.status}`)).toEqual(['GET 404', 'GET 200', 'GET 200', 'POST 422', 'POST 201', 'POST 201']);

      const rotated = await admin.POST('/api/admin/api-clients/{id}/rotate', { params: { path: { id: clientId } }, body: { previousSecretValidMinutes: 0 } });
      expect(rotated.data!.secret).not.toBe(created.data!.secret);
      expect((await platform.GET('/api/integration/applications/{externalRef}', { params: { path: { externalRef: 'ZJ-2026-000001' } } })).error).toMatchObject({ statusCode: 401 });
      const revoked = await admin.POST('/api/admin/api-clients/{id}/revoke', { params: { path: { id: clientId } } });
      expect(revoked.data).toMatchObject({ active: false });
      expect((await admin.POST('/api/admin/api-clients/{id}/revoke', { params: { path: { id: clientId } } })).error).toMatchObject({ statusCode: 409 });
      expect((await withToken(rotated.data!.secret).GET('/api/integration/applications/{externalRef}', { params: { path: { externalRef: 'ZJ-2026-000001' } } })).error).toMatchObject({ statusCode: 401 });
    } finally {
      await receiver.stop();
    }
  });

  it('refuses drift: an undeclared field, a missing one, a wrong type, an undocumented status', async () => {
    const answer = answerOf(await api('GET', '/api/cases', { as: 'intake', query: { pageSize: 1 }, status: 200 }));
    const drifted = (change: (schemas: Record<string, { properties: Record<string, unknown>; required: string[] }>) => void) => {
      const document = JSON.parse(JSON.stringify(contract.document));
      change(document.components.schemas);
      return new OpenApiContract(document);
    };
    // The service sends handlerName; a document that no longer declares it is out of date.
    const undeclared = drifted((schemas) => {
      delete schemas.CaseSummaryDto.properties.handlerName;
      schemas.CaseSummaryDto.required = schemas.CaseSummaryDto.required.filter((name) => name !== 'handlerName');
    });
    expect(() => undeclared.check('GET', '/api/cases', answer)).toThrow(/must NOT have additional properties.*handlerName/s);
    const missing = drifted((schemas) => {
      schemas.CaseSummaryDto.properties.priority = { type: 'integer' };
      schemas.CaseSummaryDto.required.push('priority');
    });
    expect(() => missing.check('GET', '/api/cases', answer)).toThrow(/must have required property 'priority'/);
    const retyped = drifted((schemas) => {
      schemas.CaseListDto.properties.total = { type: 'string' };
    });
    expect(() => retyped.check('GET', '/api/cases', answer)).toThrow(/\/total must be string/);
    expect(() => contract.check('GET', '/api/cases', { ...answer, status: 418 })).toThrow(/this status is not in the document/);
    expect(() => contract.check('GET', '/api/cases', { ...answer, contentType: 'text/csv' })).toThrow(/Content-Type text\/csv is not among application\/json/);
  });

  it('every operation of the document was called, and answered as the document says', () => {
    expect(contract.unexercised()).toEqual([]);
  });
});
