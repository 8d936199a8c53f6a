import { deskApplication, onlineApplication, PERSON_ID, PERSON_PHONE } from '../factories/applications';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('GET /api/public/applications/{caseNumber}?queryCode= (public tracking)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_TRACKING_MAX_FAILURES: '5' });
    t.setToday('2025-10-09');
  });
  afterAll(() => t.close());

  const track = (caseNumber: string, queryCode?: string, ip = '203.0.113.7') =>
    t.http.get(`/api/public/applications/${encodeURIComponent(caseNumber)}`).query(queryCode === undefined ? {} : { queryCode }).set('X-Forwarded-For', ip);

  it('shows the state in plain words, the receipt and due dates, and nothing personal', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication()).expect(201);
    const response = await track(created.body.caseNumber, created.body.queryCode).expect(200);
    expect(response.body).toEqual({
      caseNumber: created.body.caseNumber,
      state: '已受理，正在办理',
      submittedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      receivedAt: '2025-09-26',
      dueDate: '2025-10-30',
      dueDateProvisional: false,
      concludedAt: null,
      letters: [
        {
          id: expect.any(String),
          kind: 'receipt',
          title: '政府信息公开申请接收回执',
          number: expect.stringMatching(/^信息公开收〔2025〕第\d{5}号$/),
          issuedAt: '2025-09-26',
        },
      ],
    });
    const text = JSON.stringify(response.body);
    for (const secret of [PERSON_ID, PERSON_PHONE, '张三', '示例路', created.body.queryCode]) expect(text).not.toContain(secret);
  });

  it('accepts the query code typed in lower case or with spaces', async () => {
    const created = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    const typed = `${created.body.queryCode.slice(0, 5).toLowerCase()} ${created.body.queryCode.slice(5)}`;
    const response = await track(created.body.caseNumber, typed, '203.0.113.8').expect(200);
    expect(response.body.state).toBe('已提交，等待政府信息公开工作机构确认收到');
    expect(response.body.receivedAt).toBeNull();
  });

  it('answers a wrong code exactly like an unknown case (404)', async () => {
    const created = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    const wrong = await track(created.body.caseNumber, 'AAAAAAAAAA', '203.0.113.9').expect(404);
    const unknown = await track('沪某房依申〔2025〕第99999号', 'AAAAAAAAAA', '203.0.113.9').expect(404);
    const missing = await track(created.body.caseNumber, undefined, '203.0.113.9').expect(404);
    expect(wrong.body).toEqual(unknown.body);
    expect(missing.body).toEqual(unknown.body);
  });

  it('rate-limits repeated failures per address (429), the right pair included, other addresses unaffected', async () => {
    const created = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    for (let i = 0; i < 5; i++) await track(created.body.caseNumber, `WRONG${i}CODE`, '198.51.100.1').expect(404);
    const limited = await track(created.body.caseNumber, created.body.queryCode, '198.51.100.1').expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(limited.body.message).toMatch(/分钟后再试/);
    await track(created.body.caseNumber, created.body.queryCode, '198.51.100.2').expect(200);
  });

  it('tells a withdrawn case in plain words and shows no due date', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication()).expect(201);
    await t.http.post(`/api/cases/${created.body.id}/events`).set(await t.as('intake')).send({ type: 'WITHDRAW', at: '2025-10-09' }).expect(200);
    const response = await track(created.body.caseNumber, created.body.queryCode, '203.0.113.10').expect(200);
    expect(response.body).toMatchObject({ state: '申请已撤回', dueDate: null, concludedAt: '2025-10-09' });
  });
});

describe('logs never carry identity numbers, phone numbers or query codes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('after intake, tracking and a refused request', async () => {
    const created = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    await t.http.get(`/api/public/applications/${encodeURIComponent(created.body.caseNumber)}`).query({ queryCode: created.body.queryCode }).expect(200);
    await t.http.post('/api/public/applications').send(onlineApplication({ applicant: { idNumber: PERSON_ID, phone: PERSON_PHONE } })).expect(400);
    const log = t.logLines.join('\n');
    expect(t.logLines.some((line) => line.includes('"path":"/api/public/applications"'))).toBe(true);
    for (const secret of [PERSON_ID, PERSON_PHONE, created.body.queryCode]) expect(log).not.toContain(secret);
  });
});
