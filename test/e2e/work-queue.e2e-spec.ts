import { deskApplication, PERSON_ID, personApplicant } from '../factories/applications';
import { consoleGet, consoleSession, pageText } from '../support/console-http';
import { eventSender } from '../support/http';
import { addOfficeHandler } from '../support/users';
import { startTestApp, type TestApp } from '../setup/test-app';
import { copiesOfCase } from '../factories/case-copies';

/** GET /api/cases: who sees what, most urgent first, and pages that neither lose nor repeat a case. */
describe('the work queues', () => {
  let t: TestApp;
  const send = eventSender(() => t);
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-12-31');
    await addOfficeHandler(t);
    // Receipt dates give distinct due dates (20 working days on); the demo handler is in 住房保障科, handler2 in the office.
    const plan: [string, string, string][] = [
      ['A', '2025-12-03', 'handler'],
      ['B', '2025-12-01', 'handler'],
      ['C', '2025-12-05', 'handler'],
      ['D', '2025-12-02', 'handler2'],
      ['E', '2025-12-04', 'handler2'],
      ['F', '2025-11-28', 'handler'],
    ];
    for (const [name, receivedAt, handler] of plan) {
      const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt, description: `案件${name}所需信息` })).expect(201);
      ids[name] = created.body.id;
      await send('intake', ids[name], { type: 'ASSIGN', at: '2025-12-08', handler });
    }
    // 协办: the office asks 住房保障科 about D, so the demo handler sees D; E stays the office's alone.
    await send('handler2', ids.D, { type: 'REQUEST_ASSISTANCE', at: '2025-12-09', department: '住房保障科', question: '请提供台账', dueDate: '2025-12-16' });
    await send('handler', ids.F, { type: 'WITHDRAW', at: '2025-12-09' });
  });
  afterAll(() => t.close());

  const nameOf = (id: string) => Object.entries(ids).find(([, value]) => value === id)?.[0] ?? id;
  async function queue(username: string, query: Record<string, string | number> = {}) {
    const response = await t.http.get('/api/cases').query(query).set(await t.as(username)).expect(200);
    return { names: response.body.items.map((item: { id: string }) => nameOf(item.id)) as string[], total: response.body.total as number, items: response.body.items };
  }

  it('shows a handler its department’s cases and those it assists with, open ones by due date, concluded ones last', async () => {
    const mine = await queue('handler');
    expect(mine.names).toEqual(['B', 'D', 'A', 'C', 'F']);
    expect(mine.total).toBe(5);
    const dueDates = mine.items.slice(0, 4).map((item: { dueDate: string }) => item.dueDate);
    expect([...dueDates].sort()).toEqual(dueDates);
    expect(mine.items[4]).toMatchObject({ outcome: 'other.other', remainingWorkingDays: null, overdue: false });
    expect((await queue('handler2')).names).toEqual(['D', 'E']);
  });

  it('pages through a handler’s two halves without losing or repeating a case', async () => {
    const pages = [];
    for (let page = 1; page <= 3; page++) {
      const result = await queue('handler', { page, pageSize: 2 });
      expect(result.total).toBe(5);
      pages.push(...result.names);
    }
    expect(pages).toEqual(['B', 'D', 'A', 'C', 'F']);
    expect((await queue('handler', { page: 4, pageSize: 2 })).names).toEqual([]);
  });

  it('shows intake the whole agency, with the filters applied to every half', async () => {
    const all = await queue('intake', { pageSize: 100 });
    expect(all.names).toEqual(['B', 'D', 'A', 'E', 'C', 'F']);
    expect((await queue('intake', { page: 2, pageSize: 4 })).names).toEqual(['C', 'F']);
    expect((await queue('handler', { q: '案件D' })).names).toEqual(['D']);
    expect((await queue('handler', { q: '案件E' })).names).toEqual([]);
    // Latin letters in either case (ILIKE); words without case (LIKE, the faster test) find the same.
    expect((await queue('handler', { q: '案件d' })).names).toEqual(['D']);
    expect((await queue('intake', { q: '所需信息', pageSize: 100 })).names).toEqual(['B', 'D', 'A', 'E', 'C', 'F']);
    expect((await queue('handler', { department: '政府信息公开办公室' })).names).toEqual(['D']);
    expect((await queue('handler', { state: 'handling' })).names).toEqual(['B', 'D', 'A', 'C']);
  });

  it('counts a queue only up to a thousand cases (or to the page asked for), and says so', async () => {
    expect(await queueWithCount('handler')).toMatchObject({ total: 5, totalExact: true });
    // A thousand more cases in the demo handler's department: copies of A, each with a number of its own.
    await copiesOfCase(t.dataSource, ids.A, 1000);
    expect(await queueWithCount('handler')).toMatchObject({ total: 1000, totalExact: false });
    expect(await queueWithCount('handler', { state: 'handling' })).toMatchObject({ total: 1000, totalExact: false });
    // Page 51 of 20 lies past the thousand: counted that far, the 1 005 cases are exact again, and the page holds the last five.
    const deep = await queueWithCount('handler', { page: 51, pageSize: 20 });
    expect(deep).toMatchObject({ total: 1005, totalExact: true });
    expect(deep.items).toHaveLength(5);
    expect(await queueWithCount('handler', { department: '政府信息公开办公室' })).toMatchObject({ total: 1, totalExact: true });
    // Words in every case (each request reads 案件…所需信息): more than the count reaches, so the page walks the queue's
    // order testing each case (migrations/1796800000040) — the same cases in the same order as the queue itself.
    const searched = await queueWithCount('intake', { q: '所需信息', pageSize: 50 });
    expect(searched).toMatchObject({ total: 1000, totalExact: false });
    expect(searched.items).toEqual((await queueWithCount('intake', { pageSize: 50 })).items);
    expect((await queueWithCount('intake', { q: '所需信息', page: 2, pageSize: 50 })).items).toEqual((await queueWithCount('intake', { page: 2, pageSize: 50 })).items);

    const session = await consoleSession(t, 'handler');
    const page = pageText(await consoleGet(t, session, '/staff/queue?view=open').expect(200));
    expect(page).toContain('超过 1000 件，第 1–20 件');
    expect(page).toContain('第 1 页');
    expect(page).toContain('下一页');
    expect(pageText(await consoleGet(t, session, '/staff').expect(200))).toContain('1000+');
  });

  // The thousand copies of A added above share A's due date AND its created_at: a page boundary falls inside the tie.
  type Page = { items: { id: string }[]; nextCursor: string | null; previousCursor: string | null; total: number; totalExact: boolean };
  async function cursorPage(username: string, query: Record<string, string | number>) {
    return (await t.http.get('/api/cases').query(query).set(await t.as(username)).expect(200)).body as Page;
  }
  async function walk(username: string, query: Record<string, string | number>, pageSize: number) {
    const pages: Page[] = [await cursorPage(username, { ...query, pageSize })];
    while (pages[pages.length - 1].nextCursor) pages.push(await cursorPage(username, { ...query, pageSize, cursor: pages[pages.length - 1].nextCursor! }));
    return pages;
  }
  const idsOf = (pages: Page[]) => pages.flatMap((page) => page.items.map((item) => item.id));

  it('pages by cursor through cases due the same day and created together: none skipped, none repeated, back and forth', async () => {
    // The order the offset pages give (one page of all 1 005) is the order the cursor must give, page after page.
    const all = idsOf([await cursorPage('handler', { pageSize: 200, page: 1 }), ...(await Promise.all([2, 3, 4, 5, 6].map((page) => cursorPage('handler', { pageSize: 200, page }))))]);
    expect(all).toHaveLength(1005);
    const forwards = await walk('handler', {}, 37);
    expect(forwards).toHaveLength(Math.ceil(1005 / 37));
    expect(forwards[0].previousCursor).toBeNull();
    expect(forwards[forwards.length - 1].nextCursor).toBeNull();
    expect(idsOf(forwards)).toEqual(all);
    expect(new Set(idsOf(forwards)).size).toBe(1005);
    // Back from the last page by previousCursor: the same pages in reverse, ending at the first (no previous).
    const backwards: Page[] = [forwards[forwards.length - 1]];
    while (backwards[backwards.length - 1].previousCursor) backwards.push(await cursorPage('handler', { pageSize: 37, cursor: backwards[backwards.length - 1].previousCursor! }));
    expect(backwards.map((page) => page.items.map((item) => item.id))).toEqual([...forwards].reverse().map((page) => page.items.map((item) => item.id)));
    expect(backwards[backwards.length - 1].previousCursor).toBeNull();
    // Past a cursor the count stops at a thousand (it need not reach the page: the page says whether another follows).
    expect(forwards[20]).toMatchObject({ total: 1000, totalExact: false });
  });

  it('pages by cursor with filters, and a page before the cursor that would be short is the first page', async () => {
    const handling = await walk('handler', { state: 'handling' }, 100);
    const viaOffset = idsOf(await Promise.all([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((page) => cursorPage('handler', { state: 'handling', pageSize: 100, page }))));
    expect(idsOf(handling)).toEqual(viaOffset);
    expect(idsOf(handling)).not.toContain(ids.F);
    expect(new Set(idsOf(handling)).size).toBe(1004);
    const office = await walk('handler', { department: '政府信息公开办公室' }, 1);
    expect(idsOf(office).map(nameOf)).toEqual(['D']);
    // Intake, agency-wide: the second page of 3 has 3 cases before it; asked for the 5 before it, the answer is the first 5.
    const first = await cursorPage('intake', { q: '所需信息', pageSize: 3 });
    const second = await cursorPage('intake', { q: '所需信息', pageSize: 3, cursor: first.nextCursor! });
    const before = await cursorPage('intake', { q: '所需信息', pageSize: 5, cursor: second.previousCursor! });
    expect(before.previousCursor).toBeNull();
    expect(idsOf([before]).slice(0, 3)).toEqual(idsOf([first]));
    expect(idsOf([before]).slice(3)).toEqual(idsOf([second]).slice(0, 2));
  });

  it('refuses a cursor it did not make with a 400 that names the field', async () => {
    const { nextCursor } = await cursorPage('handler', { pageSize: 2 });
    const bad = [
      'not-a-cursor',
      Buffer.from('["a","urgency",1,2]').toString('base64url'),
      Buffer.from('["x","urgency",4008087,"2025-12-08T00:00:00.000000","00000000-0000-4000-8000-000000000000"]').toString('base64url'),
      Buffer.from(`["a","urgency","1; DROP TABLE cases","2025-12-08T00:00:00.000000","00000000-0000-4000-8000-000000000000"]`).toString('base64url'),
      'x'.repeat(401),
    ];
    for (const cursor of bad) {
      const response = await t.http.get('/api/cases').query({ cursor }).set(await t.as('handler')).expect(400);
      expect(response.body.message).toMatch(/^翻页位置 /);
    }
    expect(nextCursor).not.toBeNull();
    // The console: the same words on its error page; its cursor belongs to one order, so another order refuses it.
    const session = await consoleSession(t, 'handler');
    expect(pageText(await consoleGet(t, session, '/staff/queue?view=open&cursor=not-a-cursor').expect(400))).toContain('翻页位置 无效');
    expect(pageText(await consoleGet(t, session, `/staff/queue?view=open&sort=case_number&cursor=${nextCursor}`).expect(400))).toContain('翻页位置 属于另一种排序');
  });

  it('turns the console’s pages by cursor and numbers them as the user turned them', async () => {
    const session = await consoleSession(t, 'handler');
    const html = (response: { text: string }) => response.text;
    const words = (text: string) => pageText({ text } as never);
    const link = (page: string, rel: string) => new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(page)?.[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&') ?? null;
    const first = html(await consoleGet(t, session, '/staff/queue?view=open').expect(200));
    expect(link(first, 'prev')).toBeNull();
    const nextAddress = link(first, 'next')!;
    expect(nextAddress).toMatch(/cursor=/);
    expect(nextAddress).toMatch(/page=2/);
    let page = html(await consoleGet(t, session, nextAddress).expect(200));
    expect(words(page)).toContain('超过 1000 件，第 21–40 件');
    expect(words(page)).toContain('第 2 页');
    for (let turn = 3; turn <= 6; turn++) page = html(await consoleGet(t, session, link(page, 'next')!).expect(200));
    expect(words(page)).toContain('第 6 页');
    expect(words(page)).toContain('第 101–120 件');
    expect(page).toContain('第一页');
    // Back one page: page 5, the cases page 5 showed on the way forth.
    const back = html(await consoleGet(t, session, link(page, 'prev')!).expect(200));
    expect(words(back)).toContain('第 5 页');
    const caseLinks = (text: string) => [...text.matchAll(/href="\/staff\/cases\/([0-9a-f-]+)"/g)].map((match) => match[1]);
    const viaOffset = html(await consoleGet(t, session, '/staff/queue?view=open&page=5').expect(200));
    expect(caseLinks(back)).toEqual(caseLinks(viaOffset));
    // 下一页 to the end: the last page's last place is the count, said as such (not "超过 1000 件"), and the page count too.
    let last = page;
    for (let turn = 7; link(last, 'next'); turn++) last = html(await consoleGet(t, session, link(last, 'next')!).expect(200));
    const counted = /共 (\d+) 件/.exec(words(html(await consoleGet(t, session, '/staff/queue?view=open&page=51').expect(200))))![1];
    expect(words(last)).toContain(`共 ${counted} 件，第 1001–${counted} 件`);
    expect(words(last)).toContain('第 51 / 51 页');
    // From page 2 the previous page is the first page itself (no cursor in its address).
    const second = html(await consoleGet(t, session, nextAddress).expect(200));
    expect(link(second, 'prev')).toBe('/staff/queue?view=open');
    // Each order pages by its own keys: by received date, newest first, page 3 by cursor is page 3 by offset.
    for (const sort of ['received_desc', 'received_asc', 'case_number']) {
      let byCursor = html(await consoleGet(t, session, `/staff/queue?view=all&sort=${sort}`).expect(200));
      for (let turn = 2; turn <= 3; turn++) byCursor = html(await consoleGet(t, session, link(byCursor, 'next')!).expect(200));
      const byOffset = html(await consoleGet(t, session, `/staff/queue?view=all&sort=${sort}&page=3`).expect(200));
      expect(caseLinks(byCursor)).toHaveLength(20);
      expect(caseLinks(byCursor)).toEqual(caseLinks(byOffset));
    }
  });

  it('finds three characters or more anywhere in a case, and one or two at the start of the applicant’s name', async () => {
    const created = await t.http
      .post('/api/applications')
      .set(await t.as('intake'))
      .send(deskApplication({ receivedAt: '2025-12-10', applicant: personApplicant({ name: '欧阳明' }), description: '关于城镇低保审批的文件' }))
      .expect(201);
    const caseNumber = created.body.caseNumber as string;
    const found = async (q: string) => (await cursorPage('intake', { q, pageSize: 100 })).items.map((item) => item.id);
    // Three characters or more: in the name, the request, the case number (any part of it), by the trigram index.
    expect(await found('欧阳明')).toEqual([created.body.id]);
    expect(await found('低保审')).toEqual([created.body.id]);
    expect(await found(caseNumber.slice(-5))).toEqual([created.body.id]);
    expect(await found(caseNumber)).toEqual([created.body.id]);
    // One or two: the start of the name — a surname, a two-character start — not a word inside the request.
    expect(await found('欧')).toEqual([created.body.id]);
    expect(await found('欧阳')).toEqual([created.body.id]);
    expect(await found('阳明')).toEqual([]);
    expect(await found('低保')).toEqual([]);
    // 张三, the other applicants: a thousand and more by their surname, counted only that far.
    expect(await cursorPage('intake', { q: '张' })).toMatchObject({ total: 1000, totalExact: false });
    expect(await cursorPage('intake', { q: '张三%' })).toMatchObject({ total: 0, totalExact: true });
    // The whole identity number still finds the applicant's cases (blind index), and the console says what a short search reads.
    expect((await cursorPage('intake', { q: PERSON_ID })).total).toBe(1000);
    const session = await consoleSession(t, 'intake');
    const one = pageText(await consoleGet(t, session, `/staff/queue?view=all&q=${encodeURIComponent('欧阳')}`).expect(200));
    expect(one).toContain('只输入一两个字时查申请人姓名的开头');
    // One case: its count alone, no range and no pager with nothing to turn.
    expect(one).toContain('共 1 件。');
    expect(one).not.toContain('第 1 / 1 页');
    // Two characters found in a request but in no name's start: the empty result says what was read, and what to do.
    const none = pageText(await consoleGet(t, session, `/staff/queue?view=all&q=${encodeURIComponent('低保')}`).expect(200));
    expect(none).toContain('没有符合条件的案件。只输入一两个字时，查找的是申请人姓名以“低保”开头的案件；要查申请内容中的文字，请至少输入三个字。');
    expect(none).not.toContain('导出为 Excel 表格');
  });

  async function queueWithCount(username: string, query: Record<string, string | number> = {}) {
    return (await t.http.get('/api/cases').query(query).set(await t.as(username)).expect(200)).body as { total: number; totalExact: boolean; items: unknown[] };
  }
});
