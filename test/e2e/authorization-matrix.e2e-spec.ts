import type { Role } from '@desk/case-workflow';
import type { Response } from 'supertest';
import { hashToken } from '../../apps/api/src/auth/auth.service';
import { csrfTokenFor, SESSION_COOKIE } from '../../apps/api/src/console/console-session';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-seed';
import { deskApplication, personApplicant } from '../factories/applications';
import { startTestApp, type TestApp } from '../setup/test-app';
import { addHandler } from '../support/users';

/**
 * Every route the app serves × every role. The expected access below is written by hand from api.md and the purpose of
 * each route, never read from the decorators: a route whose @Authenticated/@Roles/@Public drifts from its intent fails
 * here, and so does a route added without an entry in this table.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** 'public': anyone, signed in or not; 'any staff': any signed-in user; a list: signed-in users holding one of these roles. */
type Access = 'public' | 'any staff' | readonly Role[];

interface RouteEntry {
  method: Method;
  /** The path pattern as the router serves it. */
  path: string;
  access: Access;
  /** The call actually made; by default the pattern with unknown ids. Calls are chosen so that, let through, they change nothing. */
  url?: string;
  body?: Record<string, unknown>;
  /** The call ends the caller's session: each caller signs in afresh for it. */
  freshSession?: true;
}

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

const ROUTES: readonly RouteEntry[] = [
  // Auth (api.md "Auth"): the sign-in is the one staff entry point open to all; an empty body answers 400, which does not
  // count as a failed sign-in for the throttle.
  { method: 'POST', path: '/api/auth/login', access: 'public', body: {} },
  { method: 'POST', path: '/api/auth/logout', access: 'any staff', freshSession: true },
  { method: 'GET', path: '/api/auth/me', access: 'any staff' },
  { method: 'POST', path: '/api/auth/password', access: 'any staff', body: {} },

  // Applications and cases: registering at the desk is `intake`'s; the case routes are for every staff member (a handler
  // is limited to its department by the service, not by role); event types carry their own role rules (403 from the service).
  { method: 'POST', path: '/api/applications', access: ['intake'], body: {} },
  { method: 'GET', path: '/api/cases', access: 'any staff' },
  { method: 'GET', path: '/api/cases/:id', access: 'any staff' },
  // The applicant's numbers in clear: for those who deal with the applicant (verifying identity at the desk, delivery,
  // disputes), with a stated reason, recorded in the personal-data audit log; not for the system administrator as such.
  {
    method: 'GET',
    path: '/api/cases/:id/personal-data',
    access: ['intake', 'handler', 'legal', 'head'],
    url: `/api/cases/${NO_SUCH_ID}/personal-data?reason=${encodeURIComponent('核验身份')}`,
  },
  { method: 'POST', path: '/api/cases/:id/events', access: 'any staff', body: { type: 'WITHDRAW' } },
  { method: 'GET', path: '/api/assistance-requests', access: 'any staff' },
  { method: 'GET', path: '/api/proactive/candidates', access: 'any staff' },

  // Letters: reading is for staff; editing a draft's fill-ins belongs to the handler who drafts it and to legal review.
  { method: 'GET', path: '/api/cases/:id/letters', access: 'any staff' },
  { method: 'GET', path: '/api/letters/:id', access: 'any staff' },
  { method: 'GET', path: '/api/letters/:id/review', access: 'any staff' },
  { method: 'PATCH', path: '/api/letters/:id', access: ['handler', 'legal'], body: {} },

  // Attachments: documents come in at the desk, during handling and with disputes; anyone on staff may read them.
  { method: 'POST', path: '/api/cases/:id/attachments', access: ['intake', 'handler', 'legal'] },
  { method: 'GET', path: '/api/cases/:id/attachments', access: 'any staff' },
  { method: 'GET', path: '/api/attachments/:id', access: 'any staff' },

  // Review and litigation (api.md: role `legal`); the evidence bundle goes to court under the head's signature too.
  { method: 'POST', path: '/api/cases/:id/disputes', access: ['legal'], body: {} },
  { method: 'GET', path: '/api/cases/:id/disputes', access: 'any staff' },
  { method: 'GET', path: '/api/disputes', access: 'any staff' },
  { method: 'GET', path: '/api/disputes/:id', access: 'any staff' },
  { method: 'POST', path: '/api/disputes/:id/result', access: ['legal'], body: {} },
  { method: 'GET', path: '/api/disputes/:id/evidence', access: ['legal', 'head'] },

  // Each user's own notices.
  { method: 'GET', path: '/api/notifications', access: 'any staff' },
  { method: 'POST', path: '/api/notifications/:id/read', access: 'any staff' },

  // Reports (api.md: staff); locking a year's figures is the head's sign-off, or the administrator's. An invalid year
  // keeps the allowed call from locking anything.
  { method: 'GET', path: '/api/reports/annual/:year', access: 'any staff', url: '/api/reports/annual/2025' },
  { method: 'GET', path: '/api/reports/annual/:year/drilldown', access: 'any staff', url: '/api/reports/annual/2025/drilldown' },
  { method: 'POST', path: '/api/reports/annual/:year/lock', access: ['head', 'admin'], url: '/api/reports/annual/none/lock' },
  { method: 'GET', path: '/api/reports/rates', access: 'any staff' },

  // Calendar (api.md: the year's holidays are role `admin`; counting working days is a staff tool).
  { method: 'GET', path: '/api/calendar/working-days', access: 'any staff', url: '/api/calendar/working-days?from=2025-01-02&add=1' },
  { method: 'GET', path: '/api/calendar/changes', access: ['admin'] },
  { method: 'GET', path: '/api/calendar/:year', access: ['admin'], url: '/api/calendar/2025' },
  { method: 'PUT', path: '/api/calendar/:year', access: ['admin'], url: '/api/calendar/2025', body: {} },

  // Users and departments (api.md: `admin`).
  { method: 'GET', path: '/api/admin/departments', access: ['admin'] },
  { method: 'POST', path: '/api/admin/departments', access: ['admin'], body: {} },
  { method: 'GET', path: '/api/admin/users', access: ['admin'] },
  { method: 'POST', path: '/api/admin/users', access: ['admin'], body: {} },
  { method: 'PATCH', path: '/api/admin/users/:id', access: ['admin'], body: {} },

  // Who viewed or exported personal data: for the administrator alone.
  { method: 'GET', path: '/api/audit/personal-data', access: ['admin'] },

  // The applicant's side (api.md: no login). Each tracking call with a wrong pair counts once against the address's
  // throttle (10 failures): two calls here stay well below it.
  { method: 'GET', path: '/api/public/proactive', access: 'public' },
  { method: 'POST', path: '/api/public/applications', access: 'public', body: {} },
  { method: 'GET', path: '/api/public/applications/:caseNumber', access: 'public', url: '/api/public/applications/NO-SUCH-CASE?queryCode=WRONG' },
  {
    method: 'GET',
    path: '/api/public/applications/:caseNumber/letters/:letterId',
    access: 'public',
    url: `/api/public/applications/NO-SUCH-CASE/letters/${NO_SUCH_ID}?queryCode=WRONG&format=pdf`,
  },

  // Probes for the orchestrator.
  { method: 'GET', path: '/health', access: 'public' },
  { method: 'GET', path: '/health/live', access: 'public' },
  { method: 'GET', path: '/health/ready', access: 'public' },

  // Pages: the applicant portal (the staff console's pages are in CONSOLE_ROUTES below).
  { method: 'GET', path: '/', access: 'public' },
  { method: 'POST', path: '/apply', access: 'public', body: {} },
  { method: 'GET', path: '/track', access: 'public' },
  { method: 'GET', path: '/proactive', access: 'public' },
  { method: 'GET', path: '/guide', access: 'public' },
  // The console's own script, stylesheet and htmx: they carry no data.
  { method: 'GET', path: '/assets/console.css', access: 'public' },
  { method: 'GET', path: '/assets/console.js', access: 'public' },
  { method: 'GET', path: '/assets/htmx.min.js', access: 'public' },
  // A controller route, not express.static, so it is in the table.
  { method: 'GET', path: '/assets/fonts/desk-sans.otf', access: 'public' },
  { method: 'GET', path: '/assets/fonts/desk-serif.ttf', access: 'public' },
  { method: 'GET', path: '/assets/fonts/desk-serif-bold.ttf', access: 'public' },
];

/**
 * The staff console's pages (issue 16): signed in by the session cookie, every write carrying the CSRF token. Written by
 * hand like ROUTES. 'public' here: answered to anyone without sending them to the sign-in page. Calls are chosen so
 * that, let through, they change nothing (an unknown id, an empty form, a year that is not one).
 */
const CONSOLE_ROUTES: readonly RouteEntry[] = [
  // Signing in and out.
  { method: 'GET', path: '/staff/sign-in', access: 'public' },
  { method: 'POST', path: '/staff/sign-in', access: 'public', body: {} },
  { method: 'POST', path: '/staff/sign-out', access: 'any staff', freshSession: true },
  // Home, notices, help: every staff member.
  { method: 'GET', path: '/staff', access: 'any staff' },
  { method: 'GET', path: '/staff/notifications', access: 'any staff' },
  { method: 'POST', path: '/staff/notifications/:id/read', access: 'any staff', url: '/staff/notifications/0/read' },
  { method: 'GET', path: '/staff/help', access: 'any staff' },
  // Queues are for those who work cases; the administrator as such does not. Assigning several at once is intake's.
  { method: 'GET', path: '/staff/queue', access: ['intake', 'handler', 'legal', 'head'] },
  { method: 'GET', path: '/staff/queue/export.xlsx', access: ['intake', 'handler', 'legal', 'head'], url: '/staff/queue/export.xlsx?view=nonsense' },
  { method: 'POST', path: '/staff/queue/assign', access: ['intake'], body: {} },
  // A case, its steps, letters and attachments: as the API (the case scope and the step's own roles decide the rest).
  { method: 'GET', path: '/staff/cases/:id', access: 'any staff' },
  { method: 'GET', path: '/staff/cases/:id/act/:event', access: 'any staff', url: `/staff/cases/${NO_SUCH_ID}/act/withdraw` },
  { method: 'POST', path: '/staff/cases/:id/act/:event', access: 'any staff', url: `/staff/cases/${NO_SUCH_ID}/act/withdraw`, body: {} },
  { method: 'POST', path: '/staff/cases/:id/attachments', access: ['intake', 'handler', 'legal'] },
  { method: 'POST', path: '/staff/cases/:id/personal-data', access: ['intake', 'handler', 'legal', 'head'], body: { reason: '核验身份' } },
  { method: 'GET', path: '/staff/attachments/:id', access: 'any staff' },
  { method: 'GET', path: '/staff/letters/:id/document', access: 'any staff' },
  // Review and litigation: legal staff record them; the head reads them and takes the evidence to court.
  { method: 'GET', path: '/staff/disputes', access: ['legal', 'head'] },
  { method: 'GET', path: '/staff/disputes/:id', access: ['legal', 'head'] },
  { method: 'GET', path: '/staff/disputes/:id/evidence', access: ['legal', 'head'] },
  { method: 'GET', path: '/staff/disputes/:id/result', access: ['legal'] },
  { method: 'POST', path: '/staff/disputes/:id/result', access: ['legal'], body: {} },
  { method: 'GET', path: '/staff/cases/:id/disputes/new', access: ['legal'] },
  { method: 'POST', path: '/staff/cases/:id/disputes', access: ['legal'], body: {} },
  // The annual report: legal, the head and the administrator; locking a year is the head's sign-off or the administrator's.
  { method: 'GET', path: '/staff/reports', access: ['legal', 'head', 'admin'], url: '/staff/reports?year=2025' },
  { method: 'GET', path: '/staff/reports/rates', access: ['legal', 'head', 'admin'] },
  { method: 'GET', path: '/staff/reports/:year/cases', access: ['legal', 'head', 'admin'], url: '/staff/reports/2025/cases?cell=nonsense' },
  { method: 'GET', path: '/staff/reports/:year/export', access: ['legal', 'head', 'admin'], url: '/staff/reports/2025/export?format=html' },
  { method: 'GET', path: '/staff/reports/:year/lock', access: ['head', 'admin'], url: '/staff/reports/2025/lock' },
  { method: 'POST', path: '/staff/reports/:year/lock', access: ['head', 'admin'], url: '/staff/reports/none/lock' },
  // Administration: the administrator alone.
  { method: 'GET', path: '/staff/admin', access: ['admin'] },
  { method: 'GET', path: '/staff/admin/users', access: ['admin'] },
  { method: 'GET', path: '/staff/admin/users/new', access: ['admin'] },
  { method: 'POST', path: '/staff/admin/users', access: ['admin'], body: {} },
  { method: 'GET', path: '/staff/admin/users/:id', access: ['admin'] },
  { method: 'POST', path: '/staff/admin/users/:id', access: ['admin'], body: {} },
  { method: 'POST', path: '/staff/admin/users/:id/active', access: ['admin'], body: { active: 'no' } },
  { method: 'GET', path: '/staff/admin/users/:id/password', access: ['admin'] },
  { method: 'POST', path: '/staff/admin/users/:id/password', access: ['admin'] },
  { method: 'GET', path: '/staff/admin/departments', access: ['admin'] },
  { method: 'POST', path: '/staff/admin/departments', access: ['admin'], body: {} },
  { method: 'GET', path: '/staff/admin/departments/:id', access: ['admin'] },
  { method: 'POST', path: '/staff/admin/departments/:id', access: ['admin'], body: {} },
  { method: 'GET', path: '/staff/admin/settings', access: ['admin'] },
  { method: 'POST', path: '/staff/admin/settings', access: ['admin'], body: {} },
  { method: 'GET', path: '/staff/admin/calendar', access: ['admin'] },
  { method: 'GET', path: '/staff/admin/calendar/:year', access: ['admin'], url: '/staff/admin/calendar/2025' },
  { method: 'POST', path: '/staff/admin/calendar/:year', access: ['admin'], url: '/staff/admin/calendar/2025', body: {} },
  { method: 'GET', path: '/staff/admin/access-log', access: ['admin'] },
  // Any other address: a console page saying there is no such page (404), after sign-in.
  { method: 'GET', path: '/staff/*path', access: 'any staff', url: '/staff/no-such-page' },
  { method: 'POST', path: '/staff/*path', access: 'any staff', url: '/staff/no-such-page' },
];

/** The callers: the demo accounts (api.md: each holds the role of its name, `admin` every role) and an administrator with no other role. */
const STAFF: readonly { username: string; roles: readonly Role[] }[] = [
  { username: 'intake', roles: ['intake'] },
  { username: 'handler', roles: ['handler'] },
  { username: 'legal', roles: ['legal'] },
  { username: 'head', roles: ['head'] },
  // Created below: the demo `admin` holds every role, so it cannot show what the `admin` role alone opens.
  { username: 'admin-only', roles: ['admin'] },
  { username: 'admin', roles: ['intake', 'handler', 'legal', 'head', 'admin'] },
];

/**
 * What a call let through may answer: done, or refused on its merits (bad body, unknown id, not now) — never 401/403.
 * A route that is not served at all also answers 404: the route-set check below is what catches that.
 */
const LET_THROUGH = [200, 201, 204, 400, 404, 409];

const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;
const mayCall = (access: Access, roles: readonly Role[]) => access === 'any staff' || (access !== 'public' && roles.some((role) => access.includes(role)));
const accessLabel = (access: Access) => (typeof access === 'string' ? access : access.join('|'));
const concreteUrl = (route: RouteEntry) =>
  route.url ?? route.path.replace(/:(id|letterId)\b/g, NO_SUCH_ID).replace(':year', '2025').replace(':caseNumber', 'NO-SUCH-CASE');

const STAFF_ROUTES = ROUTES.filter((route) => route.access !== 'public');
const PUBLIC_ROUTES = ROUTES.filter((route) => route.access === 'public');

interface MatrixCase {
  title: string;
  route: RouteEntry;
  caller: string | null;
  allowed: boolean;
}

const MATRIX: MatrixCase[] = [
  ...PUBLIC_ROUTES.map((route) => ({ title: `${key(route)} [public] — anonymous is let through`, route, caller: null, allowed: true })),
  ...STAFF_ROUTES.flatMap((route) => [
    { title: `${key(route)} [${accessLabel(route.access)}] — anonymous → 401`, route, caller: null, allowed: false },
    ...STAFF.map(({ username, roles }) => {
      const allowed = mayCall(route.access, roles);
      return { title: `${key(route)} [${accessLabel(route.access)}] — ${username} (${roles.join('+')}) → ${allowed ? 'let through' : '403'}`, route, caller: username, allowed };
    }),
  ]),
];

/** Routes registered on the Express router; middleware layers (helmet, body parsers, Swagger UI's static files) carry no route. */
interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

function servedRoutes(t: TestApp): string[] {
  const express = t.app.getHttpAdapter().getInstance() as { router?: { stack: RouterLayer[] }; _router?: { stack: RouterLayer[] } };
  const router = express.router ?? express._router;
  if (!router) throw new Error('no Express router found on the app');
  return router.stack.flatMap((layer) => {
    if (!layer.route) return [];
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    const methods = Object.keys(layer.route.methods).filter((method) => layer.route!.methods[method] && method !== '_all');
    return paths.flatMap((path) => methods.map((method) => `${method.toUpperCase()} ${path}`));
  });
}

// The OpenAPI document and its UI (SwaggerModule.setup in app.ts): public documentation, not part of the contract here.
const isSwagger = (route: string) => / \/api\/docs(\b|-json|-yaml|\/)/.test(route);

describe('authorization matrix: every route × every role', () => {
  let t: TestApp;
  const headers = new Map<string, { Authorization: string }>();

  const signIn = async (username: string, password = DEMO_PASSWORD): Promise<string> => {
    const response = await t.http.post('/api/auth/login').send({ username, password }).expect(200);
    return response.body.accessToken as string;
  };

  const call = (route: RouteEntry, header: { Authorization: string } | null): Promise<Response> => {
    const url = concreteUrl(route);
    const verb = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let pending = t.http[verb](url);
    if (header) pending = pending.set(header);
    if (route.body !== undefined) pending = pending.send(route.body);
    return pending;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await t.as('admin');
    await t.http
      .post('/api/admin/users')
      .set(admin)
      .send({ username: 'admin-only', displayName: '仅管理员', password: DEMO_PASSWORD, roles: ['admin'], department: '政府信息公开办公室' })
      .expect(201);
    for (const { username } of STAFF) headers.set(username, await t.as(username));
  });
  afterAll(() => t?.close());

  it.each(STAFF)('$username holds exactly the roles the matrix assumes', async ({ username, roles }) => {
    const me = await t.http.get('/api/auth/me').set(headers.get(username)!).expect(200);
    expect([...me.body.roles].sort()).toEqual([...roles].sort());
  });

  it('the table names exactly the routes the app serves', () => {
    const served = new Set(servedRoutes(t).filter((route) => !isSwagger(route)));
    const table = new Set([...ROUTES, ...CONSOLE_ROUTES].map(key));
    expect(table.size).toBe(ROUTES.length + CONSOLE_ROUTES.length);
    const unlisted = [...served].filter((route) => !table.has(route)).sort();
    const notServed = [...table].filter((route) => !served.has(route)).sort();
    expect({ servedButNotInTable: unlisted, inTableButNotServed: notServed }).toEqual({ servedButNotInTable: [], inTableButNotServed: [] });
  });

  it.each(MATRIX)('$title', async ({ route, caller, allowed }) => {
    let header: { Authorization: string } | null = null;
    if (caller) header = route.freshSession && allowed ? { Authorization: `Bearer ${await signIn(caller)}` } : headers.get(caller)!;
    const response = await call(route, header);
    if (allowed) {
      expect(LET_THROUGH).toContain(response.status);
    } else {
      expect(response.status).toBe(caller ? 403 : 401);
      expect(response.body).toMatchObject({ statusCode: caller ? 403 : 401 });
    }
  });

  describe('tokens that no longer or never did identify anyone → 401 on every staff route', () => {
    const refusedEverywhere = async (header: { Authorization: string }) => {
      const answers = await Promise.all(STAFF_ROUTES.map(async (route) => `${key(route)} → ${(await call(route, header)).status}`));
      return answers.filter((answer) => !answer.endsWith('→ 401'));
    };

    it('a garbage bearer token', async () => {
      await expect(refusedEverywhere({ Authorization: 'Bearer not-a-token' })).resolves.toEqual([]);
    });

    it('a header that is not a bearer token', async () => {
      const token = await signIn('handler');
      await expect(refusedEverywhere({ Authorization: `Basic ${token}` })).resolves.toEqual([]);
      await expect(refusedEverywhere({ Authorization: token })).resolves.toEqual([]);
    });

    it('an expired token', async () => {
      const token = await signIn('head');
      const header = { Authorization: `Bearer ${token}` };
      await t.http.get('/api/auth/me').set(header).expect(200);
      await t.dataSource.query(`UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [hashToken(token)]);
      await expect(refusedEverywhere(header)).resolves.toEqual([]);
    });

    it('a signed-out (revoked) token', async () => {
      const header = { Authorization: `Bearer ${await signIn('legal')}` };
      await t.http.post('/api/auth/logout').set(header).expect(204);
      await expect(refusedEverywhere(header)).resolves.toEqual([]);
    });

    it("a deactivated user's token", async () => {
      const created = await t.http
        .post('/api/admin/users')
        .set(headers.get('admin')!)
        .send({ username: 'matrix-leaver', displayName: '已离职', password: DEMO_PASSWORD, roles: ['handler'], department: '住房保障科' })
        .expect(201);
      const header = { Authorization: `Bearer ${await signIn('matrix-leaver')}` };
      await t.http.get('/api/auth/me').set(header).expect(200);
      await t.http.patch(`/api/admin/users/${created.body.id}`).set(headers.get('admin')!).send({ active: false }).expect(200);
      await expect(refusedEverywhere(header)).resolves.toEqual([]);
    });
  });
});

/** A console caller: the session cookie and its CSRF token (console/console-session.ts), as the sign-in page sets them. */
interface ConsoleCaller {
  cookie: string;
  csrf: string;
}

/** What a console call let through may answer: a page, a step done and redirected, or refused on its merits. */
const CONSOLE_LET_THROUGH = [200, 303, 400, 404, 409];
const isSignInRedirect = (response: Response) => response.status === 303 && String(response.headers.location).startsWith('/staff/sign-in');

const CONSOLE_MATRIX: MatrixCase[] = CONSOLE_ROUTES.flatMap((route): MatrixCase[] =>
  route.access === 'public'
    ? [{ title: `${key(route)} [public] — anonymous is answered, not sent to sign in`, route, caller: null, allowed: true }]
    : [
        { title: `${key(route)} [${accessLabel(route.access)}] — anonymous → the sign-in page`, route, caller: null, allowed: false },
        ...STAFF.map(({ username, roles }) => {
          const allowed = mayCall(route.access, roles);
          return { title: `${key(route)} [${accessLabel(route.access)}] — ${username} (${roles.join('+')}) → ${allowed ? 'let through' : '403 page'}`, route, caller: username, allowed };
        }),
      ],
);

describe('authorization matrix: every console page × every role', () => {
  let t: TestApp;
  const callers = new Map<string, ConsoleCaller>();

  const session = async (username: string): Promise<ConsoleCaller> => {
    const response = await t.http.post('/api/auth/login').send({ username, password: DEMO_PASSWORD }).expect(200);
    const token = response.body.accessToken as string;
    return { cookie: `${SESSION_COOKIE}=${encodeURIComponent(token)}`, csrf: csrfTokenFor(token) };
  };

  /** A browser's call: the cookie, and on a write the form's CSRF field (or a forged or missing one). */
  const call = (route: RouteEntry, caller: ConsoleCaller | null, csrf: string | null = caller?.csrf ?? null): Promise<Response> => {
    const url = concreteUrl(route);
    const verb = route.method.toLowerCase() as 'get' | 'post';
    let pending = t.http[verb](url).redirects(0);
    if (caller) pending = pending.set('Cookie', caller.cookie);
    if (route.method !== 'GET') {
      const form = new URLSearchParams(Object.entries(route.body ?? {}).map(([name, value]): [string, string] => [name, String(value)]));
      if (csrf) form.append('_csrf', csrf);
      pending = pending.type('form').send(form.toString());
    }
    return pending;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await t.as('admin');
    await t.http
      .post('/api/admin/users')
      .set(admin)
      .send({ username: 'admin-only', displayName: '仅管理员', password: DEMO_PASSWORD, roles: ['admin'], department: '政府信息公开办公室' })
      .expect(201);
    for (const { username } of STAFF) callers.set(username, await session(username));
  });
  afterAll(() => t?.close());

  it.each(CONSOLE_MATRIX)('$title', async ({ route, caller, allowed }) => {
    const who = caller ? (route.freshSession && allowed ? await session(caller) : callers.get(caller)!) : null;
    const response = await call(route, who);
    if (route.access === 'public') {
      expect(isSignInRedirect(response)).toBe(false);
      expect(response.status).toBeLessThan(500);
    } else if (!caller) {
      expect(isSignInRedirect(response)).toBe(true);
    } else if (allowed) {
      expect(CONSOLE_LET_THROUGH).toContain(response.status);
      expect(isSignInRedirect(response)).toBe(route.freshSession === true && route.method === 'POST' && route.path === '/staff/sign-out');
    } else {
      // A page that says so, in words, not the API's JSON.
      expect({ status: response.status, type: response.type }).toEqual({ status: 403, type: 'text/html' });
      expect(response.text).toContain('无权进行此操作');
    }
  });

  const writes = CONSOLE_ROUTES.filter((route) => route.method === 'POST' && route.access !== 'public');

  it.each(writes.map((route) => ({ title: key(route), route })))('$title: a missing or another session’s CSRF token → 403, for a caller the role lets through', async ({ route }) => {
    const caller = STAFF.find(({ roles }) => mayCall(route.access, roles))!.username;
    const missing = await call(route, callers.get(caller)!, null);
    expect(missing.status).toBe(403);
    const forged = await call(route, callers.get(caller)!, callers.get(caller === 'admin' ? 'head' : 'admin')!.csrf);
    expect(forged.status).toBe(403);
  });

  it('a signed-out session sends every console page back to the sign-in page', async () => {
    const gone = await session('legal');
    await t.http.post('/staff/sign-out').set('Cookie', gone.cookie).type('form').send(`_csrf=${encodeURIComponent(gone.csrf)}`).redirects(0).expect(303);
    const answers = await Promise.all(CONSOLE_ROUTES.filter((route) => route.access !== 'public').map(async (route) => ({ route: key(route), redirected: isSignInRedirect(await call(route, gone)) })));
    expect(answers.filter((answer) => !answer.redirected)).toEqual([]);
  });
});

/**
 * The case scope: every route that answers a case's data × how the caller stands to the case (lead department 主办,
 * department asked to assist 协办, another department). Written by hand like the table above; a route of ROUTES that
 * carries case data and is missing here fails the completeness check below.
 */
type Relation = 'lead' | 'assisting' | 'other';
/** 'ok': let through (LET_THROUGH); 'refused': 403; 'hidden': 404, as an unknown case; 'listed' / 'absent': the case is, is not, in the list. */
type Expected = 'ok' | 'refused' | 'hidden' | 'listed' | 'absent';

interface Fixture {
  caseId: string;
  otherCaseId: string;
  letterId: string;
  attachmentId: string;
  disputeId: string;
  caseNumber: string;
}

interface ScopeEntry {
  method: Method;
  path: string;
  call(t: TestApp, f: Fixture, header: { Authorization: string }): Promise<Response>;
  /** For lists: whether the fixture's case is in the answer. */
  lists?(body: unknown, f: Fixture): boolean;
  expected: Record<Relation, Expected>;
}

const SCOPE: readonly ScopeEntry[] = [
  {
    method: 'GET',
    path: '/api/cases',
    call: (t, _f, h) => t.http.get('/api/cases?pageSize=200').set(h),
    lists: (body, f) => (body as { items: { id: string }[] }).items.some((item) => item.id === f.caseId),
    expected: { lead: 'listed', assisting: 'listed', other: 'absent' },
  },
  { method: 'GET', path: '/api/cases/:id', call: (t, f, h) => t.http.get(`/api/cases/${f.caseId}`).set(h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  {
    method: 'GET',
    path: '/api/cases/:id/personal-data',
    call: (t, f, h) => t.http.get(`/api/cases/${f.caseId}/personal-data`).query({ reason: '核验身份' }).set(h),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  {
    // A stale version: let through, it changes nothing (409); an assisting department is refused before that.
    method: 'POST',
    path: '/api/cases/:id/events',
    call: (t, f, h) => t.http.post(`/api/cases/${f.caseId}/events`).set(h).send({ type: 'WITHDRAW', version: 999 }),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  {
    method: 'GET',
    path: '/api/assistance-requests',
    call: (t, _f, h) => t.http.get('/api/assistance-requests').set(h),
    lists: (body, f) => (body as { caseId: string }[]).some((request) => request.caseId === f.caseId),
    expected: { lead: 'absent', assisting: 'listed', other: 'absent' },
  },
  {
    // The group is the fixture's case and another applicant's case of the lead department; the assisting department sees
    // only the first, so no group of two applicants forms among the cases it may see.
    method: 'GET',
    path: '/api/proactive/candidates',
    call: (t, _f, h) => t.http.get('/api/proactive/candidates').set(h),
    lists: (body, f) => (body as { caseIds: string[] }[]).some((group) => group.caseIds.includes(f.caseId)),
    expected: { lead: 'listed', assisting: 'absent', other: 'absent' },
  },
  { method: 'GET', path: '/api/cases/:id/letters', call: (t, f, h) => t.http.get(`/api/cases/${f.caseId}/letters`).set(h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  { method: 'GET', path: '/api/letters/:id', call: (t, f, h) => t.http.get(`/api/letters/${f.letterId}`).set(h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  { method: 'GET', path: '/api/letters/:id/review', call: (t, f, h) => t.http.get(`/api/letters/${f.letterId}/review`).set(h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  {
    // The receipt is a notice: let through, the service refuses the edit (400).
    method: 'PATCH',
    path: '/api/letters/:id',
    call: (t, f, h) => t.http.patch(`/api/letters/${f.letterId}`).set(h).send({ reasons: '改' }),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  {
    method: 'POST',
    path: '/api/cases/:id/attachments',
    call: (t, f, h) => t.http.post(`/api/cases/${f.caseId}/attachments`).set(h).attach('file', Buffer.from('协办材料'), { filename: '材料.txt', contentType: 'text/plain' }),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  { method: 'GET', path: '/api/cases/:id/attachments', call: (t, f, h) => t.http.get(`/api/cases/${f.caseId}/attachments`).set(h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  { method: 'GET', path: '/api/attachments/:id', call: (t, f, h) => t.http.get(`/api/attachments/${f.attachmentId}`).set(h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  { method: 'GET', path: '/api/cases/:id/disputes', call: (t, f, h) => t.http.get(`/api/cases/${f.caseId}/disputes`).set(h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  {
    method: 'GET',
    path: '/api/disputes',
    call: (t, _f, h) => t.http.get('/api/disputes').set(h),
    lists: (body, f) => (body as { id: string }[]).some((dispute) => dispute.id === f.disputeId),
    expected: { lead: 'listed', assisting: 'listed', other: 'absent' },
  },
  { method: 'GET', path: '/api/disputes/:id', call: (t, f, h) => t.http.get(`/api/disputes/${f.disputeId}`).set(h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  {
    method: 'GET',
    path: '/api/reports/annual/:year/drilldown',
    call: (t, _f, h) => t.http.get('/api/reports/annual/2025/drilldown').query({ cell: 'new|total' }).set(h),
    lists: (body, f) => (body as { id: string }[]).some((row) => row.id === f.caseId),
    expected: { lead: 'listed', assisting: 'listed', other: 'absent' },
  },
];

/** Routes of ROUTES that carry no case's data for a handler to see, or that handlers cannot call at all (role-only). */
const NOT_CASE_SCOPED: Record<string, string> = {
  'POST /api/cases/:id/disputes': 'role legal only (agency-wide)',
  'POST /api/disputes/:id/result': 'role legal only (agency-wide)',
  'GET /api/disputes/:id/evidence': 'roles legal and head only (agency-wide)',
  'POST /api/notifications/:id/read': "the caller's own notices",
  'GET /api/notifications': "the caller's own notices",
  'GET /api/reports/annual/:year': 'agency-wide figures, no case listed',
  'GET /api/reports/rates': 'agency-wide figures, no case listed',
  'POST /api/reports/annual/:year/lock': 'roles head and admin only',
  'PATCH /api/admin/users/:id': 'role admin only',
  'GET /api/calendar/:year': 'no case data',
  'PUT /api/calendar/:year': 'no case data',
  'GET /api/public/applications/:caseNumber': 'the applicant, with the query code',
  'GET /api/public/applications/:caseNumber/letters/:letterId': 'the applicant, with the query code',
};

describe('case scope: every route with a case’s data × lead department, assisting department, another department', () => {
  let t: TestApp;
  let f: Fixture;
  const callers: Record<Relation, string> = { lead: 'handler', assisting: 'assistant', other: 'outsider' };

  beforeAll(async () => {
    t = await startTestApp();
    await addHandler(t, 'assistant', '政府信息公开办公室', '周协办');
    await addHandler(t, 'outsider', '法制科', '吴其他');
    const register = async (applicant: Record<string, unknown>) => {
      const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ applicant, receivedAt: '2025-11-03' })).expect(201);
      await t.http.post(`/api/cases/${created.body.id}/events`).set(await t.as('intake')).send({ type: 'ASSIGN', at: '2025-11-03', handler: 'handler' }).expect(200);
      return created.body as { id: string; caseNumber: string };
    };
    const lead = await register(personApplicant());
    const other = await register(personApplicant({ name: '李四', idType: 'passport', idNumber: 'E12345678' }));
    await t.http
      .post(`/api/cases/${lead.id}/events`)
      .set(await t.as('handler'))
      .send({ type: 'REQUEST_ASSISTANCE', at: '2025-11-04', department: '政府信息公开办公室', question: '请提供台账', dueDate: '2025-11-10' })
      .expect(200);
    const letters = await t.http.get(`/api/cases/${lead.id}/letters`).set(await t.as('intake')).expect(200);
    const attachment = await t.http
      .post(`/api/cases/${lead.id}/attachments`)
      .set(await t.as('handler'))
      .attach('file', Buffer.from('检索登记表'), { filename: '检索登记表.txt', contentType: 'text/plain' })
      .expect(201);
    const dispute = await t.http
      .post(`/api/cases/${lead.id}/disputes`)
      .set(await t.as('legal'))
      .send({ kind: 'review', filedAt: '2025-11-20', body: '区人民政府', reference: '复议〔2025〕1号' })
      .expect(201);
    f = { caseId: lead.id, otherCaseId: other.id, letterId: letters.body[0].id, attachmentId: attachment.body.id, disputeId: dispute.body.id, caseNumber: lead.caseNumber };
  });
  afterAll(() => t?.close());

  it('every route of the table above that answers case data is in the scope table', () => {
    const scoped = new Set(SCOPE.map(key));
    const caseData = STAFF_ROUTES.filter((route) => /:(id|year|caseNumber|letterId)\b/.test(route.path) || ['/api/cases', '/api/disputes', '/api/assistance-requests', '/api/proactive/candidates'].includes(route.path));
    const missing = caseData.map(key).filter((route) => !scoped.has(route) && !(route in NOT_CASE_SCOPED));
    expect(missing).toEqual([]);
    expect([...scoped].filter((route) => !ROUTES.some((entry) => key(entry) === route))).toEqual([]);
  });

  const cases = SCOPE.flatMap((entry) => (Object.keys(callers) as Relation[]).map((relation) => ({ title: `${key(entry)} — ${relation} → ${entry.expected[relation]}`, entry, relation })));

  it.each(cases)('$title', async ({ entry, relation }) => {
    const response = await entry.call(t, f, await t.as(callers[relation]));
    const expected = entry.expected[relation];
    if (expected === 'refused') expect({ status: response.status, message: response.body.message }).toEqual({ status: 403, message: expect.stringMatching(/协办部门/) });
    else if (expected === 'hidden') expect(response.status).toBe(404);
    else expect(LET_THROUGH).toContain(response.status);
    if (expected === 'listed' || expected === 'absent') expect(entry.lists!(response.body, f)).toBe(expected === 'listed');
  });

  it('the assisting department is offered only its answer, takes no other step, and the lead department keeps the case', async () => {
    const assistant = await t.as('assistant');
    const seen = await t.http.get(`/api/cases/${f.caseId}`).set(assistant).expect(200);
    expect(seen.body.availableEvents).toEqual(['ANSWER_ASSISTANCE']);
    // The lead handler is not offered the answer: only the department asked may give it.
    const lead = await t.http.get(`/api/cases/${f.caseId}`).set(await t.as('handler')).expect(200);
    expect(lead.body.availableEvents).not.toContain('ANSWER_ASSISTANCE');
    for (const body of [
      { type: 'ASSIGN', handler: 'assistant', reason: '改由本部门承办' },
      { type: 'WITHDRAW' },
      { type: 'RECORD_SEARCH', scope: '公文系统', terms: '台账', result: '无' },
      { type: 'DECIDE', outcome: 'disclosed', provided: '见附件' },
    ]) {
      const refused = await t.http.post(`/api/cases/${f.caseId}/events`).set(assistant).send({ at: '2025-11-05', ...body }).expect(403);
      expect(refused.body.message).toMatch(/协办部门/);
    }
    await t.http.get(`/api/cases/${f.caseId}`).set(await t.as('handler')).expect(200);
    const requestId = seen.body.events.find((event: { type: string }) => event.type === 'REQUEST_ASSISTANCE').requestId;
    const answered = await t.http.post(`/api/cases/${f.caseId}/events`).set(assistant).send({ type: 'ANSWER_ASSISTANCE', at: '2025-11-06', requestId, answer: '台账无记录' }).expect(200);
    expect(answered.body.availableEvents).toEqual([]);
    expect(answered.body).toMatchObject({ department: { name: '住房保障科' }, handler: { username: 'handler' } });
  });

  it("the applicant's history counts the other departments' requests without listing them", async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ applicant: personApplicant(), receivedAt: '2025-11-12' })).expect(201);
    await t.http.post(`/api/cases/${created.body.id}/events`).set(await t.as('intake')).send({ type: 'ASSIGN', at: '2025-11-12', handler: 'outsider' }).expect(200);
    const outsiders = await t.http.get(`/api/cases/${created.body.id}`).set(await t.as('outsider')).expect(200);
    expect(outsiders.body.applicantHistory).toMatchObject({ total: 1, notShown: 1, recent: [], likelyDuplicates: [] });
    const desk = await t.http.get(`/api/cases/${created.body.id}`).set(await t.as('intake')).expect(200);
    expect(desk.body.applicantHistory).toMatchObject({ total: 1, notShown: 0, recent: [expect.objectContaining({ id: f.caseId })] });
  });
});
