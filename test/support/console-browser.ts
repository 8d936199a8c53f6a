import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CASE_EVENT_TYPES } from '@desk/case-workflow';
import * as vocabulary from '@desk/vocabulary';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestApp } from '../setup/test-app';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '../../test-output/screenshots');

/** Debian's Chromium, headless, with nothing that would reach for the network. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
  });
}

export async function listen(t: TestApp): Promise<string> {
  // Another helper may have started it already (the typed client's calls do).
  if (!t.app.getHttpServer().listening) await t.app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
}

/** Sign in to the console as a person does: the labelled fields and the button. */
export async function signIn(page: Page, base: string, username: string, password = 'demo-password'): Promise<void> {
  await page.goto(`${base}/staff/sign-in`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出' }).click();
  await page.waitForURL((url) => url.pathname.endsWith('/sign-in'));
}

export async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Every code the desk uses internally: event types, and the codes of every vocabulary (states, outcomes, roles, ID types,
 * letter kinds and statuses…). None may be visible on a page: a person reads labels.
 */
export const CODE_WORDS: ReadonlySet<string> = new Set([
  ...CASE_EVENT_TYPES,
  ...(Object.values(vocabulary) as unknown[])
    .filter((value): value is readonly { code: string }[] => Array.isArray(value) && value.every((term: { code?: unknown }) => typeof term?.code === 'string'))
    .flatMap((terms) => terms.map((term) => term.code)),
]);

/** A record's id (UUID) as the database keeps it: fine in a link or an attribute, never for a person to read. */
const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * The code words in a page's visible text: any known code standing as a word, anything shaped like one (SNAKE_CASE,
 * snake_case, camelCase, dotted codes), and any record id (UUID) — a page names a record by what it is. E-mail
 * addresses and web addresses are not words here (an id inside a printed address is the address's).
 */
export function codeWordsIn(text: string): string[] {
  const readable = text
    .replace(/\S+@\S+/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    // A file's name as someone named it (征收补偿方案.pdf) is theirs, not a code: its extension is not the format's code.
    .replace(/(?<=\S)\.(?:pdf|docx?|xlsx?|wps|ofd|txt|csv|png|jpe?g|tiff?|zip)\b/gi, ' ');
  const ids = readable.match(UUID_IN_TEXT) ?? [];
  const words = readable.replace(UUID_IN_TEXT, ' ').match(/[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9]|[A-Za-z]/g) ?? [];
  const found = new Set<string>(ids);
  for (const word of words) {
    const bare = word.replace(/\.$/, '');
    if (CODE_WORDS.has(bare)) found.add(bare);
    else if (/^[A-Z]+(_[A-Z]+)+$/.test(bare) || /^[a-z]+(_[a-z]+)+$/.test(bare) || /^[a-z]+[A-Z][A-Za-z]+$/.test(bare) || /^[a-z_]+\.[a-z_.]+$/.test(bare)) found.add(bare);
  }
  return [...found];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it stands (WCAG 2.1 A and AA). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, not as a page script: the page's CSP does not apply to it.
  await page.evaluate(AXE_SOURCE);
  const results = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`)) as {
    violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  };
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join('; ')}`);
}

/** The page's visible text, as a reader sees it. */
export function visibleText(page: Page): Promise<string> {
  // What people typed and others must read as typed (a sign-in name such as “admin”) is marked data-verbatim: not a code word.
  return page.evaluate(
    `(() => { let text = document.body.innerText; for (const element of document.querySelectorAll('[data-verbatim]')) text = text.replace(element.innerText, ' '); return text; })()`,
  ) as Promise<string>;
}
