// Issue 20: a case page lists the latest steps of 办理经过, so a case with a long history renders as quickly as a
// short one; the whole log stays one link away (显示全部), described for a screen reader, and nothing else on the
// page (the clock, the actions, the letters) depends on which steps are listed.
import { deskApplication } from '../factories/applications';
import { launchChromium, listen, shoot, signIn } from '../support/console-browser';
import { consoleGet, consoleSession, pageText } from '../support/console-http';
import { eventSender } from '../support/http';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('case page: 办理经过 lists the latest steps, 显示全部 lists them all', () => {
  let t: TestApp;
  const send = eventSender(() => t);
  let long: string;
  let short: string;

  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-11-10');
    const create = async (description: string) => {
      const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-10-09', description })).expect(201);
      await send('intake', created.body.id, { type: 'ASSIGN', at: '2025-10-09', handler: 'handler' });
      return created.body.id as string;
    };
    short = await create('短的办理经过所需信息');
    long = await create('长的办理经过所需信息');
    // REGISTER and ASSIGN, then 28 searches: 30 steps, the last one numbered.
    for (let index = 1; index <= 28; index++) {
      await send('handler', long, { type: 'RECORD_SEARCH', at: '2025-10-20', scope: `档案室第${index}次检索`, terms: '申请所述事项', result: '未检索到' });
    }
  });
  afterAll(() => t?.close());

  const steps = (html: string) => /<ol class="timeline"[^>]*>([\s\S]*?)<\/ol>/.exec(html)![1].match(/<li>/g)?.length ?? 0;

  it('a long history: the latest 20 steps, newest first, the extent said, and a link to all of them', async () => {
    const intake = await consoleSession(t, 'intake');
    const html = (await consoleGet(t, intake, `/staff/cases/${long}`).expect(200)).text;
    expect(steps(html)).toBe(20);
    const text = pageText({ text: html } as never);
    expect(text).toContain('共 30 项，以下是最近的 20 项（新的在前）');
    expect(text.indexOf('档案室第28次检索')).toBeGreaterThan(-1);
    expect(text).not.toContain('档案室第8次检索');
    // The list names its extent to a screen reader, and the link says what it shows.
    expect(html).toMatch(/<ol class="timeline" aria-describedby="history-extent">/);
    expect(html).toContain(`<a href="/staff/cases/${long}?history=all#history">显示全部 30 项办理经过</a>`);
    // Before the list, where its extent is said, and after its last step.
    expect(html.split('显示全部 30 项办理经过').length - 1).toBe(2);
    // The clock and what may be done do not depend on the steps listed.
    expect(text).toContain('答复期限');
    expect(html).toContain(`/staff/cases/${long}/act/withdraw`);

    const all = (await consoleGet(t, intake, `/staff/cases/${long}?history=all`).expect(200)).text;
    expect(steps(all)).toBe(30);
    expect(all).not.toContain('显示全部');
    // The whole log says so, and leads back to the latest steps.
    expect(all).toContain('共 30 项，已全部列出（新的在前）');
    expect(all).toContain(`<a href="/staff/cases/${long}#history">只显示最近 20 项</a>`);
    const allText = pageText({ text: all } as never);
    expect(allText).toContain('档案室第1次检索');
    expect(allText.indexOf('档案室第28次检索')).toBeLessThan(allText.indexOf('档案室第1次检索'));
  });

  it('a short history is listed whole, without the link', async () => {
    const html = (await consoleGet(t, await consoleSession(t, 'intake'), `/staff/cases/${short}`).expect(200)).text;
    expect(steps(html)).toBe(2);
    expect(html).not.toContain('显示全部');
    expect(html).not.toContain('history-extent');
    expect((await consoleGet(t, await consoleSession(t, 'intake'), `/staff/cases/${short}?history=all`).expect(200)).text).not.toContain('只显示最近');
  });

  it('in the browser: 显示全部 from the list’s head shows every step, and 只显示最近 20 项 goes back', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      await signIn(page, await listen(t), 'intake');
      await page.goto(`${await listen(t)}/staff/cases/${long}`);
      const history = page.getByRole('region', { name: '办理经过' });
      await expect(history.getByRole('listitem').count()).resolves.toBe(20);
      // Two links of the same name and target: the first, where the extent is said.
      await history.getByRole('link', { name: '显示全部 30 项办理经过' }).first().click();
      await page.waitForURL((url) => url.searchParams.get('history') === 'all');
      await expect(history.getByRole('listitem').count()).resolves.toBe(30);
      await shoot(page, 'case-history-all');
      await history.getByRole('link', { name: '只显示最近 20 项' }).click();
      await page.waitForURL((url) => !url.searchParams.has('history'));
      await expect(history.getByRole('listitem').count()).resolves.toBe(20);
      await shoot(page, 'case-history-recent');
    } finally {
      await browser.close();
    }
  }, 60_000);
});
