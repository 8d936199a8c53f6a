// Every screen of the console, as every role reaches it by following links from its home page: no code word on any of
// them (issue 16: states, events, outcomes, roles and ID types in the office's words) and no serious or critical
// accessibility violation (axe-core, WCAG 2.1 AA). A screen added later is crawled too, as soon as a page links to it.
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../apps/api/src/demo/demo-seed';
import { codeWordsIn, launchChromium, listen, seriousViolations, shoot, signIn, visibleText } from '../support/console-browser';
import { startTestApp, type TestApp } from '../setup/test-app';

const ROLES = ['intake', 'handler', 'legal', 'head', 'admin'] as const;
const MAX_SCREENS_PER_ROLE = 100;
// The administrator (every role in the demo) reaches every screen; axe takes about a second on each.
const CRAWL_TIMEOUT_MS = 300_000;

/** Links that are not screens: downloads, documents, signing out. */
const NOT_A_SCREEN = [/\/sign-out/, /\.xlsx/, /\/document/, /\/attachments\/[0-9a-f-]{36}$/, /\/evidence/, /format=/, /\.docx|\.pdf/];

/** One screen per shape of address: case pages of different cases are one screen, different queues are not. */
function screenKey(url: URL): string {
  const path = url.pathname.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id');
  const view = url.searchParams.get('view');
  return view ? `${path}?view=${view}` : path;
}

describe('the console’s screens, as each role finds them', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.app, { cases: true });
    base = await listen(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function crawl(page: Page, role: string) {
    const seen = new Map<string, string>();
    const queue = [`${base}/staff`];
    const problems: string[] = [];
    while (queue.length && seen.size < MAX_SCREENS_PER_ROLE) {
      const address = queue.shift()!;
      const url = new URL(address);
      const key = screenKey(url);
      if (seen.has(key)) continue;
      seen.set(key, address);
      const response = await page.goto(address);
      const status = response?.status() ?? 0;
      if (status >= 400 && status !== 403 && status !== 409) problems.push(`${key}: HTTP ${status}`);
      const text = await visibleText(page);
      const words = codeWordsIn(text);
      if (words.length) problems.push(`${key}: code words ${words.join(', ')}`);
      const violations = await seriousViolations(page);
      if (violations.length) problems.push(`${key}: ${violations.join(' | ')}`);
      await shoot(page, `screen-${role}-${key.replace(/[/:?=]+/g, '_').replace(/^_|_$/g, '') || 'home'}`);
      const links = (await page.evaluate(`[...document.querySelectorAll('a[href]')].map((anchor) => anchor.href)`)) as string[];
      for (const link of links) {
        const next = new URL(link);
        if (next.origin !== base || !next.pathname.startsWith('/staff') || NOT_A_SCREEN.some((pattern) => pattern.test(link))) continue;
        next.hash = '';
        if (!seen.has(screenKey(next))) queue.push(next.toString());
      }
    }
    return { screens: [...seen.keys()], problems };
  }

  for (const role of ROLES) {
    it(`shows ${role} only the office’s words, and nothing axe finds serious`, async () => {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      await signIn(page, base, role);
      const { screens, problems } = await crawl(page, role);
      await page.close();
      expect(screens.length).toBeGreaterThan(3);
      expect(problems).toEqual([]);
    }, CRAWL_TIMEOUT_MS);
  }
});
