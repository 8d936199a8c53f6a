import type { Response } from 'supertest';
import { csrfTokenFor, SESSION_COOKIE } from '../../apps/api/src/console/console-session';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-seed';
import type { TestApp } from '../setup/test-app';

/**
 * The console as supertest drives it: the session cookie the sign-in sets (the same opaque session an API sign-in
 * makes) and the CSRF token derived from it, which every write sends in the form's `_csrf` field.
 */
export interface ConsoleSession {
  cookie: string;
  csrf: string;
}

export async function consoleSession(t: TestApp, username: string, password = DEMO_PASSWORD): Promise<ConsoleSession> {
  const response = await t.http.post('/api/auth/login').send({ username, password }).expect(200);
  const token = response.body.accessToken as string;
  return { cookie: `${SESSION_COOKIE}=${encodeURIComponent(token)}`, csrf: csrfTokenFor(token) };
}

export function consoleGet(t: TestApp, session: ConsoleSession | null, url: string) {
  const pending = t.http.get(url).redirects(0);
  return session ? pending.set('Cookie', session.cookie) : pending;
}

/**
 * A form posted as a browser posts it (application/x-www-form-urlencoded, a list as repeated names). `csrf` overrides the
 * token: null leaves it out, a string forges it.
 */
export function consolePost(t: TestApp, session: ConsoleSession | null, url: string, fields: Record<string, string | string[] | undefined>, options: { csrf?: string | null } = {}) {
  const body = new URLSearchParams();
  const csrf = options.csrf === undefined ? session?.csrf : options.csrf;
  if (csrf !== null && csrf !== undefined) body.append('_csrf', csrf);
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  const pending = t.http.post(url).redirects(0).type('form').send(body.toString());
  return session ? pending.set('Cookie', session.cookie) : pending;
}

const decode = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();

/** The error summary at the top of a form page: each entry's link target (`#field-x`, or null) and its words. */
export function errorSummary(response: Response): { href: string | null; message: string }[] {
  const summary = /<div class="error-summary"[\s\S]*?<ul>([\s\S]*?)<\/ul>/.exec(response.text);
  if (!summary) return [];
  return [...summary[1].matchAll(/<li>([\s\S]*?)<\/li>/g)].map((item) => {
    const link = /<a href="([^"]+)">([\s\S]*?)<\/a>/.exec(item[1]);
    return link ? { href: link[1], message: decode(link[2]) } : { href: null, message: decode(item[1]) };
  });
}

/** The message beside a field (`<p class="field-error" id="error-x">`), as a person reads it. */
export function fieldError(response: Response, name: string): string | null {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`<p class="field-error" id="error-${escaped}">([\\s\\S]*?)</p>`).exec(response.text);
  return match ? decode(match[1]).replace(/^错误：/, '') : null;
}

/** The page's main heading. */
export function heading(response: Response): string {
  return decode(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(response.text)?.[1] ?? '');
}

/** The visible text of a page, roughly: tags dropped, entities decoded (for "the page says …" assertions). */
export function pageText(response: Response): string {
  return decode(response.text.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '').replace(/<head>[\s\S]*?<\/head>/, ''));
}
