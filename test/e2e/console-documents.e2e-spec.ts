// The documents the office files, through the console (issue 16 item 8, issue 18 items 1–4): the annual report's own
// parts written in a form, the checks before export in words, the report downloaded as Word and PDF and read back; on
// the case page, an issued letter as Word, its 验证码, the 送达回证 and the proof of electronic service. In Debian's
// Chromium, as the roles whose work it is, by role and label; then the same screens' refusals through HTTP.
import { readFileSync } from 'node:fs';
import type { Browser, Download, Page } from 'playwright-core';
import { RecordEventService } from '../../apps/api/src/cases/record-event.service';
import { ReportsService } from '../../apps/api/src/reports/reports.service';
import { deskApplication, personApplicant } from '../factories/applications';
import { consoleGet, consolePost, consoleSession, errorSummary, fieldError, pageText } from '../support/console-http';
import { launchChromium, listen, shoot, signIn, visibleText } from '../support/console-browser';
import { docxText } from '../support/docx-text';
import { eventSender, reviewApprover } from '../support/http';
import { pdfText } from '../support/pdf-text';
import { startTestApp, type TestApp } from '../setup/test-app';

const PROBLEMS = '一是依申请公开答复的说理还不够充分。\n二是区分处理的把握不够准确，下一步将组织专题培训。';

describe('console: the annual report as a document, and the case’s documents', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  const send = eventSender(() => t);
  const approve = reviewApprover(() => t);
  /** Served in person (the 送达回证), and served electronically (the applicant's download). */
  let inPerson: { id: string; caseNumber: string };
  let online: { id: string; caseNumber: string };

  /** A 2025 case registered at the desk, decided 予以公开, reviewed, signed and issued. */
  async function replied(receivedAt: string, applicant: ReturnType<typeof personApplicant>, deliveryForm = 'paper_pickup') {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt, applicant, deliveryForm })).expect(201);
    const id = created.body.id as string;
    const day = (offset: number) => new Date(Date.parse(`${receivedAt}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    await send('intake', id, { type: 'ASSIGN', at: receivedAt, handler: 'handler' });
    await send('handler', id, { type: 'DECIDE', at: day(7), outcome: 'disclosed', provided: '提供征收补偿方案复印件', reasons: '依法予以公开' });
    await approve('legal', id, { at: day(8) });
    await approve('head', id, { at: day(8) });
    await send('intake', id, { type: 'ISSUE_REPLY', at: day(9) });
    return { id, caseNumber: created.body.caseNumber as string };
  }

  beforeAll(async () => {
    t = await startTestApp();
    // Late January: the year just ended is the one whose report is compiled.
    t.setToday('2026-01-20');
    inPerson = await replied('2025-03-03', personApplicant());
    online = await replied('2025-04-01', personApplicant({ name: '李四', idType: 'passport', idNumber: 'E12345678' }), 'online');
    // The applicant's first download of the reply, as the portal records it (ApplicantCaseService): electronic service with its proof.
    const [reply] = await t.dataSource.query(`SELECT id, number, data->>'title' AS title FROM letters WHERE case_id = $1 AND kind = 'reply'`, [online.id]);
    await t.app.get(RecordEventService).recordForSystem(
      online.id,
      { type: 'RECORD_SERVICE', at: '2025-04-11', method: 'electronic', recipient: '申请人（网上下载）' },
      {
        facts: {
          electronicService: {
            downloadedAt: '2025-04-11T02:03:04.000Z',
            letterId: reply.id,
            documentNumber: reply.number,
            title: reply.title,
            how: `申请人凭案件编号和查询码在网上查询后，于2025年4月11日 10:03:04首次下载${reply.title}（${reply.number}）`,
          },
        },
      },
    );
    base = await listen(t);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  });
  afterEach(async () => {
    await page.close();
  });

  /** Click a link that downloads a file, and read the file. */
  async function download(link: ReturnType<Page['getByRole']>): Promise<{ name: string; body: Buffer }> {
    const [file]: [Download, void] = await Promise.all([page.waitForEvent('download'), link.click()]);
    return { name: file.suggestedFilename(), body: readFileSync((await file.path())!) };
  }

  async function press(name: string) {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name, exact: true }).click()]);
  }

  describe('the annual report (head, then legal)', () => {
    it('the head writes 二 and 五, sees the checks pass, downloads the report as Word and PDF and finds what was written', async () => {
      await signIn(page, base, 'head');
      await page.goto(`${base}/staff/reports`);
      const section = page.getByRole('region', { name: '年度报告全文' });
      expect(await section.innerText()).toContain('尚未填写：二、主动公开政府信息情况、五、存在的主要问题及改进情况');
      expect(await section.getByRole('link', { name: '下载 PDF' }).count()).toBe(0);
      await shoot(page, 'documents-report-before');
      await Promise.all([page.waitForNavigation(), section.getByRole('link', { name: '填写第二、五部分' }).click()]);
      await page.getByLabel('规章：本年制发件数').fill('0');
      await page.getByLabel('规章：本年废止件数').fill('0');
      await page.getByLabel('规章：现行有效件数').fill('0');
      await page.getByLabel('行政规范性文件：本年制发件数').fill('3');
      await page.getByLabel('行政规范性文件：本年废止件数').fill('1');
      await page.getByLabel('行政规范性文件：现行有效件数').fill('27');
      await page.getByLabel('行政许可：本年处理决定数量').fill('1520');
      await page.getByLabel('行政处罚：本年处理决定数量').fill('86');
      await page.getByLabel('行政强制：本年处理决定数量').fill('-4');
      await page.getByLabel('行政事业性收费：本年收费金额（万元）').fill('12.5');
      await page.getByLabel('存在的主要问题及改进情况', { exact: true }).fill(PROBLEMS);
      await page.getByRole('textbox', { name: /^其他需要报告的事项/ }).fill('本年度未发生其他需要报告的事项。');
      await press('保存');
      // A negative count: refused beside its field, named by its label; everything typed is still there.
      expect(await page.getByRole('alert').innerText()).toContain('行政强制：本年处理决定数量 不能小于 0');
      expect(await page.getByLabel('存在的主要问题及改进情况', { exact: true }).inputValue()).toBe(PROBLEMS);
      await shoot(page, 'documents-fill-ins-refused');
      await page.getByLabel('行政强制：本年处理决定数量').fill('4');
      await press('保存');
      expect(new URL(page.url()).pathname).toBe('/staff/reports');
      expect(await visibleText(page)).toContain('已保存');
      expect(await section.innerText()).toContain('各项勾稽关系均成立');
      expect(await section.innerText()).toContain('第二、五部分已填写');
      await shoot(page, 'documents-report-ready');

      const docx = await download(section.getByRole('link', { name: '下载 Word 文档（.docx）' }));
      expect(docx.name).toBe('上海市某区住房保障和房屋管理局2025年政府信息公开工作年度报告.docx');
      const words = docxText(docx.body);
      for (const part of ['二、主动公开政府信息情况', '行政许可1520', '五、存在的主要问题及改进情况', '一是依申请公开答复的说理还不够充分。', '二是区分处理的把握不够准确', '本年度未发生其他需要报告的事项。', '本机关新收政府信息公开申请2件']) {
        expect(words).toContain(part);
      }
      const pdf = await download(section.getByRole('link', { name: '下载 PDF' }));
      expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdfText(pdf.body)).toBe(words);
    }, 120_000);

    it('legal staff see a broken identity in words, each cell linked to the cases behind it, and no download', async () => {
      // As if a reply had been counted twice: （一）予以公开 of 自然人 one too many (the same fault the API's checks test plants).
      const reports = t.app.get(ReportsService);
      const original = reports.compute.bind(reports);
      const spy = jest.spyOn(reports, 'compute').mockImplementation(async (principal, year) => {
        const report = await original(principal, year);
        if (year === 2025) report.applications.disclosed.natural_person += 1;
        return report;
      });
      try {
        await signIn(page, base, 'legal');
        await page.goto(`${base}/staff/reports?year=2025`);
        const section = page.getByRole('region', { name: '年度报告全文' });
        const text = await section.innerText();
        expect(text).toContain('勾稽关系不成立，改正办理记录后才能导出');
        expect(text).toContain('（七）总计·自然人 现为 2 件，按以下各格计算应为 3 件');
        expect(text).toContain('（一）予以公开·自然人 3 件');
        expect(await section.getByRole('link', { name: /下载/ }).count()).toBe(0);
        // Legal staff read the office's parts; the head writes them.
        expect(await section.getByRole('link', { name: '查看本机关填写的部分' }).count()).toBe(1);
        await shoot(page, 'documents-report-broken');
        await Promise.all([page.waitForNavigation(), section.getByRole('link', { name: '（七）总计·自然人' }).first().click()]);
        expect(await visibleText(page)).toContain(inPerson.caseNumber);
        expect(await visibleText(page)).toContain(online.caseNumber);
        await shoot(page, 'documents-report-broken-cell');
      } finally {
        spy.mockRestore();
      }
    }, 60_000);
  });

  describe('the case page’s documents (handler, desk)', () => {
    it('the handler downloads the issued reply as Word and reads its text; its 验证码 leads to the public check', async () => {
      await signIn(page, base, 'handler');
      await page.goto(`${base}/staff/cases/${inPerson.id}`);
      const letters = page.getByRole('region', { name: '文书' });
      const [reply] = await t.dataSource.query(`SELECT id, number, verification_code FROM letters WHERE case_id = $1 AND kind = 'reply'`, [inPerson.id]);
      const word = await download(letters.getByRole('link', { name: `下载 Word（.docx）：政府信息公开申请答复书（${reply.number}）` }));
      expect(word.name).toBe(`${reply.number}.docx`);
      const text = docxText(word.body);
      expect(text).toContain('政府信息公开申请答复书');
      expect(text).toContain(reply.number);
      expect(text).toContain('提供征收补偿方案复印件');
      // The same words as the frozen PDF the applicant received.
      const pdf = await download(letters.getByRole('link', { name: `下载 PDF：政府信息公开申请答复书（${reply.number}）` }));
      expect(pdfText(pdf.body)).toBe(text);
      const shown = `${reply.verification_code.slice(0, 4)}-${reply.verification_code.slice(4, 8)}-${reply.verification_code.slice(8)}`;
      expect(await letters.innerText()).toContain(`验证码 ${shown}`);
      const verify = letters.getByRole('link', { name: `核验文书 ${reply.number}（打开公开的文书核验页面）` });
      expect(await verify.getAttribute('href')).toMatch(new RegExp(`/verify/${reply.verification_code}$`));
      await shoot(page, 'documents-case-letters');
      // The public page the link opens (here on this server): the letter's number, no personal data.
      await page.goto(`${base}/verify/${reply.verification_code}`);
      expect(await visibleText(page)).toContain(reply.number);
      expect(await visibleText(page)).not.toContain('张三');
      await shoot(page, 'documents-verify');
    }, 60_000);

    it('the desk prints the 送达回证 before serving, then as recorded; an electronic service shows its proof instead', async () => {
      await signIn(page, base, 'intake');
      await page.goto(`${base}/staff/cases/${inPerson.id}`);
      const letters = page.getByRole('region', { name: '文书' });
      expect(await letters.innerText()).toContain('尚未记录送达');
      const blank = await download(letters.getByRole('link', { name: '打印送达回证（直接送达）（PDF）' }));
      const blankText = pdfText(blank.body);
      const [reply] = await t.dataSource.query(`SELECT number FROM letters WHERE case_id = $1 AND kind = 'reply'`, [inPerson.id]);
      expect(blankText).toContain('送达回证');
      expect(blankText).toContain(`《政府信息公开申请答复书》（${reply.number}）`);
      expect(blankText).toContain('张三');
      expect(blankText).toContain('■直接送达□委托送达');

      await send('intake', inPerson.id, { type: 'RECORD_SERVICE', at: '2025-03-13', method: 'direct', place: '本机关政府信息公开受理窗口', recipient: '张三', server: '王登记、李承办' });
      await page.reload();
      expect(await letters.innerText()).toContain('已于 2025年3月13日 直接送达');
      const recorded = await download(letters.getByRole('link', { name: '下载送达回证（直接送达，按送达记录）（Word）' }));
      const recordedText = docxText(recorded.body);
      expect(recordedText).toContain('签收人：张三');
      expect(recordedText).toContain('王登记、李承办');
      expect(recordedText).toContain('2025年3月13日');
      await shoot(page, 'documents-case-served');

      await page.goto(`${base}/staff/cases/${online.id}`);
      const served = await page.getByRole('region', { name: '文书' }).innerText();
      expect(served).toContain('电子送达凭证：申请人凭案件编号和查询码在网上查询后，于2025年4月11日 10:03:04首次下载政府信息公开申请答复书');
      // No certificate to sign for a download.
      expect(await page.getByRole('link', { name: /送达回证/ }).count()).toBe(0);
      await shoot(page, 'documents-case-electronic');
    }, 60_000);
  });

  describe('through HTTP: refusals in words', () => {
    it('a form with problems answers 400 with each beside its field, named by its label; a forged token 403; legal reads only', async () => {
      const head = await consoleSession(t, 'head');
      const bad = await consolePost(t, head, '/staff/reports/2025/fill-ins', { regulationsIssued: 'abc', administrativeFeesTenThousandYuan: '1.234567', problems: '' }).expect(400);
      const summary = errorSummary(bad);
      expect(summary).toEqual(
        expect.arrayContaining([
          { href: '#field-regulationsIssued', message: '规章：本年制发件数 应为整数' },
          { href: '#field-regulationsRepealed', message: '规章：本年废止件数 不能为空' },
          { href: '#field-administrativeFeesTenThousandYuan', message: '行政事业性收费：本年收费金额（万元） 应为 0 至 100000000 之间的数，最多 4 位小数' },
          { href: '#field-problems', message: '存在的主要问题及改进情况 不能为空' },
        ]),
      );
      expect(fieldError(bad, 'regulationsIssued')).toBe('规章：本年制发件数 应为整数');
      await consolePost(t, head, '/staff/reports/2025/fill-ins', { problems: '改' }, { csrf: null }).expect(403);
      const [saved] = await t.dataSource.query(`SELECT problems FROM annual_report_fill_ins WHERE year = 2025`);
      expect(saved.problems).toBe(PROBLEMS);
      const legal = await consoleSession(t, 'legal');
      const readOnly = await consoleGet(t, legal, '/staff/reports/2025/fill-ins').expect(200);
      expect(readOnly.text).not.toContain('<form method="post" action="/staff/reports/2025/fill-ins"');
      expect(pageText(readOnly)).toContain('一是依申请公开答复的说理还不够充分。');
      await consolePost(t, legal, '/staff/reports/2025/fill-ins', { problems: '改' }).expect(403);
      await consoleGet(t, legal, '/staff/reports/2025/document?format=doc').expect(400);
      await consoleGet(t, await consoleSession(t, 'handler'), '/staff/reports/2025/document?format=pdf').expect(403);
    });

    it('a locked year’s parts are shown read-only and a save is refused (409) in words', async () => {
      const head = await consoleSession(t, 'head');
      await consolePost(t, head, '/staff/reports/2025/lock', {}).expect(303);
      const locked = await consoleGet(t, head, '/staff/reports/2025/fill-ins').expect(200);
      expect(pageText(locked)).toContain('2025年度报告已发布并锁定，以下内容不能再修改。');
      expect(locked.text).not.toContain('<form method="post" action="/staff/reports/2025/fill-ins"');
      const report = await consoleGet(t, head, '/staff/reports?year=2025').expect(200);
      expect(pageText(report)).toContain('（已锁定，不能修改）');
      const refused = await consolePost(t, head, '/staff/reports/2025/fill-ins', { problems: '改' }).expect(409);
      expect(errorSummary(refused)).toEqual([{ href: null, message: '2025 年度报告已发布并锁定，不能再修改' }]);
      // Still downloadable: the report as published.
      await consoleGet(t, head, '/staff/reports/2025/document?format=docx').expect(200);
    });

    it('the 送达回证 is for those who deal with the applicant; a bad choice is refused in words', async () => {
      const intake = await consoleSession(t, 'intake');
      const bad = await consoleGet(t, intake, `/staff/cases/${inPerson.id}/service-certificate?method=post`).expect(400);
      expect(pageText(bad)).toContain('送达方式 应为直接送达或委托送达');
      await consoleGet(t, intake, `/staff/cases/${inPerson.id}/service-certificate?format=docx`).expect(200);
    });
  });
});
