import { PERSON_ID } from '../factories/applications';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('the applicant portal at / (server-rendered, no account)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const form = (overrides: Record<string, string> = {}) => ({
    category: 'natural_person',
    name: '钱七',
    idType: 'id_card',
    idNumber: PERSON_ID,
    phone: '13812345678',
    email: '',
    address: '',
    description: '本区2024年度公共租赁住房房源筹措和分配情况',
    deliveryForm: 'email',
    ...overrides,
  });

  it('shows the Art. 29 form in Chinese with labelled fields', async () => {
    const page = await t.http.get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<html lang="zh-CN">');
    for (const id of ['category', 'name', 'idType', 'idNumber', 'phone', 'email', 'address', 'description', 'deliveryForm']) {
      expect(page.text).toContain(`<label for="${id}">`);
    }
  });

  it('answers bad input with the messages beside their fields and keeps what was typed', async () => {
    const page = await t.http.post('/apply').type('form').send(form({ idNumber: '110105194912310021', phone: '', name: '<b>钱七</b>' })).expect(400);
    expect(page.text).toContain('居民身份证号码校验位不正确');
    expect(page.text).toContain('id="idNumber-error"');
    expect(page.text).toContain('请至少提供一种联系方式');
    expect(page.text).toContain('value="&lt;b&gt;钱七&lt;/b&gt;"');
    expect(page.text).not.toContain('<b>钱七</b>');
  });

  it('applies, shows the case number and 查询码 once, and tracks the case with them', async () => {
    const applied = await t.http.post('/apply').type('form').send(form()).expect(201);
    const caseNumber = /案件编号：<strong>([^<]+)<\/strong>/.exec(applied.text)![1];
    const queryCode = /<span class="code">([A-Z2-9]{10})<\/span>/.exec(applied.text)![1];
    expect(caseNumber).toMatch(/^沪某房依申〔\d{4}〕第\d{5}号$/);
    const tracked = await t.http.get('/track').query({ caseNumber, queryCode }).expect(200);
    expect(tracked.text).toContain('已提交，等待政府信息公开工作机构确认收到');
    expect(tracked.text).not.toContain('钱七');
    expect(tracked.text).not.toContain(PERSON_ID);
    const wrong = await t.http.get('/track').query({ caseNumber, queryCode: 'AAAAAAAAAA' }).expect(404);
    expect(wrong.text).toContain('案件编号或查询码不正确');
  });

  it('shows the proactive list and the guide from the agency settings', async () => {
    expect((await t.http.get('/proactive').expect(200)).text).toContain('依申请公开转主动公开');
    const guide = await t.http.get('/guide').expect(200);
    expect(guide.text).toContain('上海市某区某路100号');
    expect(guide.text).toContain('工作日');
  });
});

describe('the staff console at /staff', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  // The console is server-rendered since issue 16 (staff.html is gone): its own pages are tested with it.
  it('sends a signed-out visitor to the sign-in page: labelled fields, a form token in an HttpOnly, SameSite=Strict cookie', async () => {
    await t.http.get('/staff').redirects(0).expect(303).expect('Location', `/staff/sign-in?next=${encodeURIComponent('/staff')}`);
    const page = await t.http.get('/staff/sign-in').expect(200);
    expect(page.text).toContain('登录办理平台');
    expect(page.text).toContain('<label for="field-username">用户名</label>');
    expect(page.text).toContain('name="_csrf"');
    expect(String(page.headers['set-cookie'])).toMatch(/desk_sign_in=[^;]+;.*HttpOnly.*SameSite=Strict/);
  });
});
