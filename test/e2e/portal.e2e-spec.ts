import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERSON_ID } from '../factories/applications';
import { PDF, PNG } from '../support/files';
import { binaryParser } from '../support/http';
import { pdfText } from '../support/pdf-text';
import { startTestApp, type TestApp } from '../setup/test-app';


const ARTIFACTS = join(__dirname, '../../test-output/screenshots');

const form = (overrides: Record<string, string> = {}) => ({
  requestType: 'disclosure',
  category: 'natural_person',
  name: '钱七',
  idType: 'id_card',
  idNumber: PERSON_ID,
  phone: '13812345678',
  email: '',
  address: '',
  agentName: '',
  description: '本区2024年度公共租赁住房房源筹措和分配情况',
  deliveryForm: 'online',
  ...overrides,
});

const caseNumberOf = (html: string) => /id="case-number">([^<]+)</.exec(html)![1];
const queryCodeOf = (html: string) => /id="query-code">([A-Z2-9]{10})</.exec(html)![1];

describe('the applicant portal at / (server-rendered, no account)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-10-09');
  });
  afterAll(() => t.close());

  const apply = async (overrides: Record<string, string> = {}) => {
    const applied = await t.http.post('/apply').type('form').send(form(overrides)).expect(201);
    return { caseNumber: caseNumberOf(applied.text), queryCode: queryCodeOf(applied.text), html: applied.text };
  };

  it('shows the Art. 29 form in Chinese with labelled fields, uploads and the opt-in, and no inline script', async () => {
    const page = await t.http.get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<html lang="zh-CN">');
    for (const id of ['category', 'name', 'idType', 'idNumber', 'identityCopies', 'phone', 'email', 'address', 'agentName', 'authorisation', 'description', 'deliveryForm', 'notifyByEmail', 'notifyBySms']) {
      expect(page.text).toMatch(new RegExp(`<label (class="choice" )?for="${id}">`));
    }
    expect(page.text).toContain('enctype="multipart/form-data"');
    expect(page.text).toContain('政府信息更正申请（第四十一条）');
    expect(page.text).not.toMatch(/\son[a-z]+="/);
    expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)/);
  });

  it('answers bad input with the messages beside their fields and in a summary, in the fields’ own words, keeping what was typed', async () => {
    const page = await t.http.post('/apply').type('form').send(form({ idNumber: '110105194912310021', phone: '', name: '<b>钱七</b>', description: '', notifyByEmail: 'yes' })).expect(400);
    expect(page.text).toContain('<title>错误：在线申请');
    expect(page.text).toContain('class="error-summary"');
    // Each message links to its field, in the form's order.
    const links = [...page.text.matchAll(/<a href="#([\w-]+)">([^<]+)<\/a>/g)].map((match) => [match[1], match[2]]);
    expect(links).toEqual([
      ['idNumber', '证件号码：居民身份证号码校验位不正确，请核对号码'],
      ['contact', '请至少提供一种联系方式：联系电话、电子邮箱或通信地址（第二十九条）'],
      ['description', '所需信息的描述 不能为空'],
      ['notifyByEmail', '选择邮件通知的，请填写电子邮箱'],
    ]);
    expect(page.text).toContain('id="idNumber-error"');
    expect(page.text).toContain('aria-describedby="description-hint description-error" aria-invalid="true"');
    expect(page.text).toContain('value="&lt;b&gt;钱七&lt;/b&gt;"');
    expect(page.text).not.toContain('<b>钱七</b>');
    // No field is named by its code word.
    expect(page.text).not.toMatch(/applicant\.|idNumber 不能|name 不能/);
  });

  it('takes identity copies and a 授权委托书 with the application, as the case’s files', async () => {
    const refused = await t.http
      .post('/apply')
      .field(form({ agentName: '上海某律师事务所 王律师' }))
      .attach('identityCopies', Buffer.from('not an image'), { filename: 'id.txt', contentType: 'text/plain' })
      .expect(400);
    expect(refused.text).toContain('身份证明材料 只能上传 PDF、JPG 或 PNG 文件（“id.txt”不是）');
    expect(refused.text).toContain('委托他人代为申请的，请上传授权委托书');
    expect(refused.text).toContain('已选择的文件没有保留，请重新选择');

    const applied = await t.http
      .post('/apply')
      .field(form({ agentName: '上海某律师事务所 王律师' }))
      .attach('identityCopies', PNG, { filename: '身份证正面.png', contentType: 'image/png' })
      .attach('identityCopies', PDF, { filename: '身份证反面.pdf', contentType: 'application/pdf' })
      .attach('authorisation', PDF, { filename: '授权委托书.pdf', contentType: 'application/pdf' })
      .expect(201);
    const [row] = await t.dataSource.query(`SELECT id FROM cases WHERE case_number = $1`, [caseNumberOf(applied.text)]);
    const files = await t.dataSource.query(`SELECT filename, kind, from_applicant, uploaded_by, size_bytes FROM attachments WHERE case_id = $1 ORDER BY created_at, filename`, [row.id]);
    expect(files).toEqual(
      expect.arrayContaining([
        { filename: '身份证正面.png', kind: 'identity_copy', from_applicant: true, uploaded_by: null, size_bytes: PNG.length },
        { filename: '身份证反面.pdf', kind: 'identity_copy', from_applicant: true, uploaded_by: null, size_bytes: PDF.length },
        { filename: '授权委托书.pdf', kind: 'authorisation', from_applicant: true, uploaded_by: null, size_bytes: PDF.length },
      ]),
    );
    // The office sees them among the case's files, and the agent in the log.
    const staff = await t.http.get(`/api/cases/${row.id}/attachments`).set(await t.as('intake')).expect(200);
    expect(staff.body.map((file: { kindLabel: string }) => file.kindLabel).sort()).toEqual(['授权委托书', '身份证明材料', '身份证明材料']);
    const view = await t.http.get(`/api/cases/${row.id}`).set(await t.as('intake')).expect(200);
    expect(view.body.events[0]).toMatchObject({ type: 'SUBMIT_ONLINE', agentName: '上海某律师事务所 王律师' });
  });

  it('takes a request to correct one’s own records (Art. 41) as its own request type', async () => {
    const { caseNumber, queryCode } = await apply({ requestType: 'correction', description: '本人2023年住房困难家庭认定记录中的家庭人口数有误，应为4人' });
    const [row] = await t.dataSource.query(`SELECT request_type FROM cases WHERE case_number = $1`, [caseNumber]);
    expect(row.request_type).toBe('correction');
    const page = await t.http.post('/track').type('form').send({ caseNumber, queryCode }).expect(200);
    expect(page.text).toContain('<dt>申请类型</dt><dd>政府信息更正申请（第四十一条）</dd>');
  });

  it('refuses a file over the limit with a page in words, not JSON', async () => {
    const page = await t.http.post('/apply').field(form()).attach('identityCopies', Buffer.alloc(10 * 1024 * 1024 + 1, 0x25), { filename: 'big.pdf', contentType: 'application/pdf' }).expect(413);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('每个文件不超过 10 MB');
  });

  it('confirms with the case number, the 查询码, the next steps and a print button that needs no inline handler', async () => {
    const { html, caseNumber, queryCode } = await apply({ email: 'qian@example.com', notifyByEmail: 'yes' });
    expect(caseNumber).toMatch(/^沪某房依申〔2025〕第\d{5}号$/);
    expect(queryCode).toMatch(/^[A-Z2-9]{10}$/);
    expect(html).toContain('接下来会怎样');
    expect(html).toContain('20 个工作日内答复');
    expect(html).toContain('办理进展将按您的选择通过电子邮件通知您');
    expect(html).toContain('<button type="button" data-print hidden>打印本页</button>');
    expect(html).toContain('<script src="/assets/portal.js" defer></script>');
    expect(html).not.toContain('onclick');
    expect(html).toContain('@media print');
    // The link to tracking carries the case number, never the code.
    expect(html).toContain(`<a href="/track?caseNumber=${caseNumber}">`);
    const script = await t.http.get('/assets/portal.js').expect(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.text).toContain('window.print()');
  });

  it('tracks with the case number typed as people type it, and the 查询码 in the POST body only', async () => {
    const { caseNumber, queryCode } = await apply();
    const [, year, serial] = /〔(\d{4})〕第(\d{5})号/.exec(caseNumber)!;
    const n = String(Number(serial));
    for (const typed of [`沪某房依申[${year}]第${n}号`, `沪某房依申（${year}）${serial}号`, `${year}-${n}`, ` ${year} 年第 ${n} 号 `]) {
      const page = await t.http.post('/track').type('form').send({ caseNumber: typed, queryCode: queryCode.toLowerCase() }).expect(200);
      expect(page.text).toContain(`<h2>${caseNumber}</h2>`);
      expect(page.text).toContain('已提交，等待政府信息公开工作机构确认收到');
    }
    const tracked = await t.http.post('/track').type('form').send({ caseNumber, queryCode }).expect(200);
    expect(tracked.text).toContain('网上提交日期');
    expect(tracked.text).toContain('本机关将与您确认收到申请');
    expect(tracked.text).not.toContain('钱七');
    expect(tracked.text).not.toContain(PERSON_ID);
    expect(tracked.text).not.toContain(queryCode);
    const wrong = await t.http.post('/track').type('form').send({ caseNumber, queryCode: 'AAAAAAAAAA' }).expect(404);
    expect(wrong.text).toContain('案件编号或查询码不正确');
    const empty = await t.http.post('/track').type('form').send({ caseNumber: '', queryCode: '' }).expect(400);
    expect(empty.text).toContain('<a href="#caseNumber">案件编号 不能为空</a>');
    expect(empty.text).toContain('<a href="#queryCode">查询码 不能为空</a>');
  });

  it('gives the format hint, and never reads a 查询码 put in the URL (an old link), nor echoes it', async () => {
    const { caseNumber, queryCode } = await apply();
    const page = await t.http.get('/track').query({ caseNumber, queryCode }).expect(200);
    expect(page.text).toContain('如 沪某房依申〔2025〕第00008号');
    expect(page.text).toContain('也可以只输入年份和序号，如 2025-8');
    expect(page.text).toContain('查询码不再放在网址中');
    expect(page.text).not.toContain(queryCode);
    expect(page.text).not.toContain('已提交，等待');
    expect(page.text).toContain(`value="${caseNumber}"`);
  });

  it('the API takes the pair in a POST body too, and answers the same plain words', async () => {
    const { caseNumber, queryCode } = await apply();
    const [, year, serial] = /〔(\d{4})〕第(\d{5})号/.exec(caseNumber)!;
    const answer = await t.http.post('/api/public/tracking').send({ caseNumber: `(${year})${Number(serial)}`, queryCode }).expect(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.body).toMatchObject({
      caseNumber,
      requestType: '政府信息公开申请',
      state: '已提交，等待政府信息公开工作机构确认收到',
      submittedOn: '2025-10-09',
      receivedAt: null,
      timeline: [{ date: '2025-10-09', title: '您在网上提交了申请' }],
      next: { by: null, article: '第三十一条第（三）项' },
      letters: [],
      files: [],
      supplement: null,
      mayWithdraw: true,
    });
    await t.http.post('/api/public/tracking').send({ caseNumber, queryCode: 'AAAAAAAAAA' }).expect(404);
    const invalid = await t.http.post('/api/public/tracking').send({ caseNumber }).expect(400);
    expect(invalid.body.message).toBe('查询码 不能为空');
  });

  it('shows the proactive list, and the guide from the agency settings with the printable form', async () => {
    expect((await t.http.get('/proactive').expect(200)).text).toContain('依申请公开转主动公开');
    const guide = await t.http.get('/guide').expect(200);
    for (const expected of ['上海市某区某路100号', '200000', '021-00000001', 'xxgk@example.gov.cn', '工作日', '收到申请之日为本机关签收之日', '第 31—100 页', '10 元/页', '上海市某区人民政府', '60 日内', '/guide/application-form.pdf']) {
      expect(guide.text).toContain(expected);
    }
    const pdf = await t.http.get('/guide/application-form.pdf').buffer(true).parse(binaryParser).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    // Kept beside the browser tests' screenshots, to be looked at.
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'portal-application-form.pdf'), pdf.body);
    const text = pdfText(pdf.body);
    for (const expected of ['政府信息公开申请表', '上海市某区住房保障和房屋管理局', '所需政府信息的名称', '获取信息的方式', '传真：021-00000001', 'xxgk@example.gov.cn', '200000', '申请人签名或者盖章']) {
      expect(text).toContain(expected.replace(/\s+/g, ''));
    }
  });
});
