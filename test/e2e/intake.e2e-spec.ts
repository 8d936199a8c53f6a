import { COMPANY_USCC, companyApplicant, deskApplication, onlineApplication, PERSON_ID, personApplicant } from '../factories/applications';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('intake: desk and online applications', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-10-09');
  });
  afterAll(() => t.close());

  describe('POST /api/applications (desk)', () => {
    it('registers the case with its receipt date, number, clock and a query code shown once', async () => {
      const response = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication()).expect(201);
      const view = response.body;
      expect(view.caseNumber).toMatch(/^沪某房依申〔2025〕第\d{5}号$/);
      expect(view.state).toBe('registered');
      expect(view.receivedAt).toBe('2025-09-26');
      expect(view.version).toBe(1);
      // 20 working days after 2025-09-26 across National Day and Mid-Autumn (10-1..10-8 off, 9-28 and 10-11 worked).
      expect(view.clock).toMatchObject({ dueDate: '2025-10-30', provisional: false, pausedWorkingDays: 0, extendedWorkingDays: 0 });
      expect(view.clock.remainingWorkingDays).toBe(16);
      expect(view.availableEvents).toEqual(['ASSIGN', 'REQUEST_SUPPLEMENT', 'WITHDRAW']);
      expect(view.queryCode).toMatch(/^[A-Z2-9]{10}$/);
      expect(view.events).toEqual([expect.objectContaining({ type: 'REGISTER', at: '2025-09-26', by: 'intake', channel: 'in_person' })]);

      const [row] = await t.dataSource.query(`SELECT query_code_hash FROM cases WHERE id = $1`, [view.id]);
      expect(row.query_code_hash).not.toContain(view.queryCode);
      const again = await t.http.get(`/api/cases/${view.id}`).set(await t.as('intake')).expect(200);
      expect(again.body.queryCode).toBeUndefined();
    });

    it('offers each user only the events its roles may send', async () => {
      const response = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication()).expect(201);
      const asLegal = await t.http.get(`/api/cases/${response.body.id}`).set(await t.as('legal')).expect(200);
      expect(asLegal.body.availableEvents).toEqual([]);
      const asHead = await t.http.get(`/api/cases/${response.body.id}`).set(await t.as('head')).expect(200);
      expect(asHead.body.availableEvents).toEqual(['ASSIGN']);
    });

    it('accepts an organisation with its unified social credit code', async () => {
      const response = await t.http
        .post('/api/applications')
        .set(await t.as('intake'))
        .send(deskApplication({ channel: 'post_signed', applicant: companyApplicant() }))
        .expect(201);
      // Masked in the view; the clear number only through GET /api/cases/{id}/personal-data (personal-data.e2e-spec.ts).
      expect(response.body.applicant).toMatchObject({ category: 'business', idType: 'uscc', idNumber: `${COMPANY_USCC.slice(0, 6)}********${COMPANY_USCC.slice(-4)}` });
    });

    it.each([
      ['a wrong ID check digit', { applicant: personApplicant({ idNumber: '110105194912310021' }) }, /校验位/],
      ['an impossible birth date', { applicant: personApplicant({ idNumber: '110105194902300021' }) }, /出生日期/],
      ['a wrong USCC check character', { applicant: companyApplicant({ idNumber: '91350100M000100Y44' }) }, /统一社会信用代码校验位/],
      ['an organisation with a personal ID', { applicant: companyApplicant({ idType: 'id_card', idNumber: PERSON_ID }) }, /统一社会信用代码/],
      ['no contact details', { applicant: personApplicant({ phone: undefined, address: undefined }) }, /联系方式/],
      ['an unknown channel', { channel: 'pigeon' }, /^申请方式 应为以下之一：当面提交、/],
      ['the online channel at the desk', { channel: 'online' }, /^申请方式 应为以下之一：当面提交、(?!.*网上申请)/],
      ['a receipt date in the future', { receivedAt: '2025-10-10' }, /不能晚于今天（2025-10-09）/],
      ['a malformed receipt date', { receivedAt: '2025-02-30' }, /^收到申请之日 应为有效日期/],
      ['a receipt date before the 2019 regulation', { receivedAt: '2019-05-14' }, /2019-05-15/],
      ['an unknown top-level field', { purpose: '维权' }, /不认识的字段：purpose/],
      ['an unknown applicant field', { applicant: personApplicant({ nationality: 'CN' }) }, /不认识的字段：applicant.nationality/],
      ['an empty description', { description: '   ' }, /^所需信息的描述 不能为空$/],
      ['an unknown delivery form', { deliveryForm: 'carrier' }, /^获取信息的方式 应为以下之一：纸质文本（自行领取）、/],
    ])('refuses %s with 400 and a message', async (_label, overrides, message) => {
      const response = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication(overrides)).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(response.body.message).toMatch(message);
    });

    it('leaves nothing behind when refused', async () => {
      const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM cases`);
      await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2030-01-01' })).expect(400);
      const after = await t.dataSource.query(`SELECT count(*)::int AS n FROM cases`);
      expect(after[0].n).toBe(before[0].n);
    });

    it('is for intake only: 403 for a handler, 401 without sign-in', async () => {
      const response = await t.http.post('/api/applications').set(await t.as('handler')).send(deskApplication()).expect(403);
      expect(response.body.message).toMatch(/登记/);
      await t.http.post('/api/applications').send(deskApplication()).expect(401);
    });
  });

  describe('POST /api/public/applications (online)', () => {
    it('answers only the case number and the query code; the case awaits confirmation of receipt', async () => {
      const response = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
      expect(Object.keys(response.body).sort()).toEqual(['caseNumber', 'queryCode']);
      const [row] = await t.dataSource.query(`SELECT state, received_at, channel FROM cases WHERE case_number = $1`, [response.body.caseNumber]);
      expect(row).toEqual({ state: 'received', received_at: null, channel: 'online' });
    });

    it('validates like the desk and refuses a receipt date from the applicant', async () => {
      const bad = await t.http.post('/api/public/applications').send(onlineApplication({ receivedAt: '2025-10-01' })).expect(400);
      expect(bad.body.message).toMatch(/不认识的字段：receivedAt/);
      await t.http.post('/api/public/applications').send(onlineApplication({ applicant: personApplicant({ idNumber: '123' }) })).expect(400);
      await t.http.post('/api/public/applications').send(onlineApplication({ agency: 'no-such-agency' })).expect(400);
      await t.http.post('/api/public/applications').set('content-type', 'application/json').send('{"applicant":').expect(400);
    });

    it('the office confirms receipt: the receipt date and the reply clock start then (Art. 31(3))', async () => {
      t.setToday('2025-09-25');
      const submitted = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
      t.setToday('2025-10-09');
      const list = await t.http.get('/api/cases').query({ q: submitted.body.caseNumber }).set(await t.as('intake')).expect(200);
      const id = list.body.items[0].id;
      const before = await t.http.get(`/api/cases/${id}`).set(await t.as('intake')).expect(200);
      expect(before.body.clock.dueDate).toBeNull();
      expect(before.body.availableEvents).toEqual(['CONFIRM_RECEIPT', 'WITHDRAW']);
      const confirmed = await t.http.post(`/api/cases/${id}/events`).set(await t.as('intake')).send({ type: 'CONFIRM_RECEIPT', at: '2025-09-26' }).expect(200);
      expect(confirmed.body).toMatchObject({ state: 'registered', receivedAt: '2025-09-26', clock: { dueDate: '2025-10-30' } });
    });
  });

  it('Idempotency-Key: a retried submission makes no second case; another body under the same key is refused', async () => {
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM cases`);
    const first = await t.http.post('/api/public/applications').set('Idempotency-Key', 'retry-key-0001').send(onlineApplication()).expect(201);
    const again = await t.http.post('/api/public/applications').set('Idempotency-Key', 'retry-key-0001').send(onlineApplication()).expect(201);
    expect(again.body.caseNumber).toBe(first.body.caseNumber);
    const after = await t.dataSource.query(`SELECT count(*)::int AS n FROM cases`);
    expect(after[0].n).toBe(before[0].n + 1);
    // The retry answers the very code the first answer carried (kept encrypted beside the key): it keeps working.
    expect(again.body.queryCode).toBe(first.body.queryCode);
    await t.http.get(`/api/public/applications/${encodeURIComponent(first.body.caseNumber)}`).query({ queryCode: first.body.queryCode }).expect(200);
    const [stored] = await t.dataSource.query(`SELECT response, query_code_ciphertext FROM idempotency_keys WHERE key = 'retry-key-0001'`);
    expect(JSON.stringify(stored)).not.toContain(first.body.queryCode);
    await t.http.post('/api/public/applications').set('Idempotency-Key', 'retry-key-0001').send(onlineApplication({ description: '另一份申请的内容' })).expect(422);
    await t.http.post('/api/public/applications').set('Idempotency-Key', 'bad key').send(onlineApplication()).expect(400);
  });

  it('numbers cases without gaps or duplicates under concurrency', async () => {
    const responses = await Promise.all(Array.from({ length: 12 }, () => t.http.post('/api/public/applications').send(onlineApplication())));
    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(201));
    const numbers = await t.dataSource.query(`SELECT case_number FROM cases ORDER BY case_number`);
    const sequences = numbers.map((row: { case_number: string }) => Number(/第(\d{5})号/.exec(row.case_number)![1]));
    expect(sequences).toEqual(Array.from({ length: sequences.length }, (_, index) => index + 1));
  });
});
