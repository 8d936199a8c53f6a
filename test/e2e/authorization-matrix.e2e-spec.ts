import type { Role } from '@desk/case-workflow';
import type { Response } from 'supertest';
import { hashToken } from '../../apps/api/src/auth/auth.service';
import { csrfTokenFor, SESSION_COOKIE } from '../../apps/api/src/console/console-session';
import type { ApiScope } from '../../apps/api/src/auth/principal';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-seed';
import { documentPdf } from '../../apps/api/src/letters/letter-layout';
import { deskApplication, personApplicant } from '../factories/applications';
import { startTestApp, type TestApp } from '../setup/test-app';
import { addHandler } from '../support/users';

/**
 * Every route the app serves × every role. The expected access below is written by hand from api.md and the purpose of
 * each route, never read from the decorators: a route whose @Authenticated/@Roles/@Public drifts from its intent fails
 * here, and so does a route added without an entry in this table.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/**
 * 'public': anyone, signed in or not; 'any staff': any signed-in user; a list: signed-in users holding one of these roles;
 * `{ apiClient }`: the platforms' API clients holding every one of these scopes (issue 19), never staff.
 */
type Access = 'public' | 'any staff' | readonly Role[] | { apiClient: readonly ApiScope[] };

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
  /**
   * A console page: signed in by the session cookie (the same sessions as the bearer tokens), writes carry the CSRF
   * token; signed out, it answers 303 to the sign-in page rather than 401.
   */
  console?: true;
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
  // The 送达回证 carries the applicant's name and address: for those who serve the reply or answer for it.
  { method: 'GET', path: '/api/cases/:id/service-certificate', access: ['intake', 'handler', 'legal', 'head'] },
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

  // 区分处理 (Art. 37): the handling department marks and produces; staff read the record (the original stays staff-only).
  { method: 'POST', path: '/api/cases/:id/redactions', access: ['handler'], body: {} },
  { method: 'GET', path: '/api/cases/:id/redactions', access: 'any staff' },
  { method: 'GET', path: '/api/redactions/:id', access: 'any staff' },
  { method: 'GET', path: '/api/redactions/:id/pages/:page/preview', access: 'any staff', url: `/api/redactions/${NO_SUCH_ID}/pages/1/preview` },
  { method: 'POST', path: '/api/redactions/:id/regions', access: ['handler'], body: {} },
  { method: 'DELETE', path: '/api/redactions/:id/regions/:regionId', access: ['handler'], url: `/api/redactions/${NO_SUCH_ID}/regions/${NO_SUCH_ID}` },
  { method: 'POST', path: '/api/redactions/:id/copy', access: ['handler'] },
  { method: 'GET', path: '/api/redactions/:id/copy', access: 'any staff' },

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
  // The annual report as a document: the office's own parts are written under the head's sign-off (or the administrator's).
  { method: 'GET', path: '/api/reports/annual/:year/fill-ins', access: 'any staff', url: '/api/reports/annual/2025/fill-ins' },
  { method: 'PUT', path: '/api/reports/annual/:year/fill-ins', access: ['head', 'admin'], url: '/api/reports/annual/2025/fill-ins', body: {} },
  { method: 'GET', path: '/api/reports/annual/:year/checks', access: 'any staff', url: '/api/reports/annual/2025/checks' },
  { method: 'GET', path: '/api/reports/annual/:year/document', access: 'any staff', url: '/api/reports/annual/2025/document' },

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

  // The platforms' API clients and their callbacks (issue 19): the administrator's. Unknown ids answer 404, empty bodies 400.
  { method: 'GET', path: '/api/admin/api-clients', access: ['admin'] },
  { method: 'POST', path: '/api/admin/api-clients', access: ['admin'], body: {} },
  { method: 'POST', path: '/api/admin/api-clients/:id/rotate', access: ['admin'], body: {} },
  { method: 'POST', path: '/api/admin/api-clients/:id/revoke', access: ['admin'] },
  { method: 'PUT', path: '/api/admin/api-clients/:id/subscription', access: ['admin'], body: {} },
  { method: 'DELETE', path: '/api/admin/api-clients/:id/subscription', access: ['admin'] },
  { method: 'GET', path: '/api/admin/api-clients/:id/access-log', access: ['admin'] },
  { method: 'GET', path: '/api/admin/callbacks', access: ['admin'] },
  { method: 'POST', path: '/api/admin/callbacks/:id/replay', access: ['admin'], url: '/api/admin/callbacks/999999999/replay' },

  // Single sign-on for staff (issue 19 item 4): its settings are the administrator's. An empty body answers 400, an unknown user 404.
  { method: 'GET', path: '/api/admin/sso', access: ['admin'] },
  { method: 'PUT', path: '/api/admin/sso', access: ['admin'], body: {} },
  { method: 'GET', path: '/api/admin/sso/links', access: ['admin'] },
  { method: 'DELETE', path: '/api/admin/sso/links/:userId', access: ['admin'], url: `/api/admin/sso/links/${NO_SUCH_ID}` },

  // What the platforms call, with their API client's secret and scope; never staff (a staff token answers 403).
  { method: 'POST', path: '/api/integration/applications', access: { apiClient: ['applications:import'] }, body: {} },
  { method: 'GET', path: '/api/integration/applications/:externalRef', access: { apiClient: ['cases:status'] } },
  { method: 'GET', path: '/api/integration/applications/:externalRef/letters/:letterId', access: { apiClient: ['cases:status'] } },

  // The applicant's side (api.md: no login). Each tracking call with a wrong pair counts once against the address's
  // throttle (10 failures): two calls here stay well below it.
  { method: 'GET', path: '/api/public/proactive', access: 'public' },
  { method: 'POST', path: '/api/public/applications', access: 'public', body: {} },
  { method: 'GET', path: '/api/public/applications/:caseNumber', access: 'public', url: '/api/public/applications/NO-SUCH-CASE?queryCode=WRONG' },
  // The same lookup with the pair in the body (the 查询码 never in a URL); an empty body answers 400.
  { method: 'POST', path: '/api/public/tracking', access: 'public', body: {} },
  {
    method: 'GET',
    path: '/api/public/applications/:caseNumber/letters/:letterId',
    access: 'public',
    url: `/api/public/applications/NO-SUCH-CASE/letters/${NO_SUCH_ID}?queryCode=WRONG&format=pdf`,
  },
  // The 部分公开 copies disclosed with the reply, with the case number and 查询码 (the original is never reachable here).
  { method: 'GET', path: '/api/public/applications/:caseNumber/redacted-copies', access: 'public', url: '/api/public/applications/NO-SUCH-CASE/redacted-copies?queryCode=WRONG' },
  {
    method: 'GET',
    path: '/api/public/applications/:caseNumber/redacted-copies/:copyId',
    access: 'public',
    url: `/api/public/applications/NO-SUCH-CASE/redacted-copies/${NO_SUCH_ID}?queryCode=WRONG`,
  },
  // 文书核验: anyone holding a printout; an unknown code counts against the address's throttle like tracking.
  { method: 'GET', path: '/api/public/verify/:code', access: 'public', url: '/api/public/verify/ZZZZZZZZZZZZ' },

  // Probes for the orchestrator.
  { method: 'GET', path: '/health', access: 'public' },
  { method: 'GET', path: '/health/live', access: 'public' },
  { method: 'GET', path: '/health/ready', access: 'public' },

  // Pages: the applicant portal and the staff console's shell (its data comes from the API above).
  { method: 'GET', path: '/', access: 'public' },
  { method: 'POST', path: '/apply', access: 'public', body: {} },
  { method: 'GET', path: '/track', access: 'public' },
  // The applicant's case page and its forms: the pair in the body, then the page's own short-lived signed token (no
  // account, no cookie); without them each answers 400 or 404 in words. Documents by their signed link only.
  { method: 'POST', path: '/track', access: 'public', body: {} },
  { method: 'POST', path: '/track/supplement', access: 'public', body: {} },
  { method: 'POST', path: '/track/withdraw', access: 'public', body: {} },
  { method: 'POST', path: '/track/withdraw/confirm', access: 'public', body: {} },
  { method: 'GET', path: '/track/document', access: 'public' },
  { method: 'GET', path: '/guide/application-form.pdf', access: 'public' },
  { method: 'GET', path: '/assets/portal.js', access: 'public' },
  { method: 'GET', path: '/proactive', access: 'public' },
  { method: 'GET', path: '/guide', access: 'public' },

  // The staff console (issue 16): pages over the same services, signed in by cookie, written with a CSRF token.
  { method: 'GET', path: '/staff/sign-in', access: 'public' },
  { method: 'POST', path: '/staff/sign-in', access: 'public', body: {} },
  { method: 'POST', path: '/staff/sign-out', access: 'any staff', console: true, freshSession: true },
  { method: 'GET', path: '/staff', access: 'any staff', console: true },
  { method: 'GET', path: '/staff/notifications', access: 'any staff', console: true },
  { method: 'POST', path: '/staff/notifications/:id/read', access: 'any staff', console: true, url: '/staff/notifications/0/read' },
  { method: 'GET', path: '/staff/supervision', access: ['head', 'legal', 'admin'], console: true },
  { method: 'GET', path: '/staff/review', access: ['legal', 'head'], console: true },
  { method: 'GET', path: '/staff/cases/:id/reply', access: 'any staff', console: true },
  { method: 'GET', path: '/staff/queue', access: ['intake', 'handler', 'legal', 'head'], console: true },
  { method: 'GET', path: '/staff/queue/export.xlsx', access: ['intake', 'handler', 'legal', 'head'], console: true, url: '/staff/queue/export.xlsx?receivedFrom=nonsense' },
  { method: 'POST', path: '/staff/queue/assign', access: ['intake'], console: true, body: {} },
  { method: 'GET', path: '/staff/cases/:id', access: 'any staff', console: true },
  { method: 'GET', path: '/staff/cases/:id/act/:event', access: 'any staff', console: true, url: `/staff/cases/${NO_SUCH_ID}/act/withdraw` },
  { method: 'POST', path: '/staff/cases/:id/act/:event', access: 'any staff', console: true, url: `/staff/cases/${NO_SUCH_ID}/act/withdraw`, body: {} },
  { method: 'POST', path: '/staff/cases/:id/attachments', access: ['intake', 'handler', 'legal'], console: true },
  { method: 'GET', path: '/staff/attachments/:id', access: 'any staff', console: true },
  { method: 'GET', path: '/staff/letters/:id/document', access: 'any staff', console: true },
  // 送达回证: as GET /api/cases/:id/service-certificate, those who deal with the applicant.
  { method: 'GET', path: '/staff/cases/:id/service-certificate', access: ['intake', 'handler', 'legal', 'head'], console: true },
  { method: 'POST', path: '/staff/cases/:id/personal-data', access: ['intake', 'handler', 'legal', 'head'], console: true, body: {} },
  // 区分处理 in the console (Art. 37), as in the API: the handling department starts, marks and produces; staff read the
  // record, the page previews and the copy (the original stays staff-only).
  { method: 'GET', path: '/staff/cases/:id/redaction', access: ['handler'], console: true },
  { method: 'POST', path: '/staff/cases/:id/redactions', access: ['handler'], console: true, body: {} },
  { method: 'GET', path: '/staff/redactions/:id', access: 'any staff', console: true },
  { method: 'GET', path: '/staff/redactions/:id/pages/:page/preview', access: 'any staff', console: true, url: `/staff/redactions/${NO_SUCH_ID}/pages/1/preview` },
  { method: 'POST', path: '/staff/redactions/:id/regions', access: ['handler'], console: true, body: {} },
  {
    method: 'POST',
    path: '/staff/redactions/:id/regions/:regionId/remove',
    access: ['handler'],
    console: true,
    url: `/staff/redactions/${NO_SUCH_ID}/regions/${NO_SUCH_ID}/remove`,
  },
  { method: 'POST', path: '/staff/redactions/:id/copy', access: ['handler'], console: true },
  { method: 'GET', path: '/staff/redactions/:id/copy.pdf', access: 'any staff', console: true },
  { method: 'GET', path: '/staff/intake', access: ['intake'], console: true },
  { method: 'GET', path: '/staff/intake/due', access: ['intake'], console: true },
  { method: 'POST', path: '/staff/intake', access: ['intake'], console: true, body: {} },
  { method: 'GET', path: '/staff/letters/:id/review', access: 'any staff', console: true },
  { method: 'POST', path: '/staff/letters/:id/check', access: 'any staff', console: true, body: {} },
  { method: 'POST', path: '/staff/letters/:id/fill-ins', access: ['handler', 'legal'], console: true, body: {} },
  { method: 'GET', path: '/staff/help', access: 'any staff', console: true },
  // Review and litigation: legal staff record them; the head reads them and takes the evidence to court.
  { method: 'GET', path: '/staff/disputes', access: ['legal', 'head'], console: true },
  { method: 'GET', path: '/staff/disputes/:id', access: ['legal', 'head'], console: true },
  { method: 'GET', path: '/staff/disputes/:id/evidence', access: ['legal', 'head'], console: true },
  { method: 'GET', path: '/staff/disputes/:id/result', access: ['legal'], console: true },
  { method: 'POST', path: '/staff/disputes/:id/result', access: ['legal'], console: true, body: {} },
  { method: 'GET', path: '/staff/cases/:id/disputes/new', access: ['legal'], console: true },
  { method: 'POST', path: '/staff/cases/:id/disputes', access: ['legal'], console: true, body: {} },
  // The annual report: legal, the head and the administrator; locking a year is the head's sign-off or the administrator's
  // (an invalid year keeps the allowed call from locking anything).
  { method: 'GET', path: '/staff/reports', access: ['legal', 'head', 'admin'], console: true, url: '/staff/reports?year=2025' },
  { method: 'GET', path: '/staff/reports/rates', access: ['legal', 'head', 'admin'], console: true },
  { method: 'GET', path: '/staff/reports/:year/cases', access: ['legal', 'head', 'admin'], console: true, url: '/staff/reports/2025/cases?cell=nonsense' },
  { method: 'GET', path: '/staff/reports/:year/export', access: ['legal', 'head', 'admin'], console: true, url: '/staff/reports/2025/export?format=html' },
  // The office's own parts of the report (二, 五) are read by the report's readers and written by whoever may PUT them in
  // the API (head, admin): an empty form answers 400. The document is refused (409) while those parts are missing.
  { method: 'GET', path: '/staff/reports/:year/fill-ins', access: ['legal', 'head', 'admin'], console: true, url: '/staff/reports/2025/fill-ins' },
  { method: 'POST', path: '/staff/reports/:year/fill-ins', access: ['head', 'admin'], console: true, url: '/staff/reports/2025/fill-ins', body: {} },
  { method: 'GET', path: '/staff/reports/:year/document', access: ['legal', 'head', 'admin'], console: true, url: '/staff/reports/2025/document?format=pdf' },
  { method: 'GET', path: '/staff/reports/:year/lock', access: ['head', 'admin'], console: true, url: '/staff/reports/2025/lock' },
  { method: 'POST', path: '/staff/reports/:year/lock', access: ['head', 'admin'], console: true, url: '/staff/reports/none/lock' },
  // Administration: the administrator alone. Calls let through change nothing: an empty form, an unknown id.
  { method: 'GET', path: '/staff/admin', access: ['admin'], console: true },
  { method: 'GET', path: '/staff/admin/users', access: ['admin'], console: true },
  { method: 'GET', path: '/staff/admin/users/new', access: ['admin'], console: true },
  { method: 'POST', path: '/staff/admin/users', access: ['admin'], console: true, body: {} },
  { method: 'GET', path: '/staff/admin/users/:id', access: ['admin'], console: true },
  { method: 'POST', path: '/staff/admin/users/:id', access: ['admin'], console: true, body: {} },
  { method: 'POST', path: '/staff/admin/users/:id/active', access: ['admin'], console: true, body: { active: 'no' } },
  { method: 'GET', path: '/staff/admin/users/:id/password', access: ['admin'], console: true },
  { method: 'POST', path: '/staff/admin/users/:id/password', access: ['admin'], console: true },
  { method: 'GET', path: '/staff/admin/departments', access: ['admin'], console: true },
  { method: 'POST', path: '/staff/admin/departments', access: ['admin'], console: true, body: {} },
  { method: 'GET', path: '/staff/admin/departments/:id', access: ['admin'], console: true },
  { method: 'POST', path: '/staff/admin/departments/:id', access: ['admin'], console: true, body: {} },
  { method: 'GET', path: '/staff/admin/settings', access: ['admin'], console: true },
  { method: 'POST', path: '/staff/admin/settings', access: ['admin'], console: true, body: {} },
  { method: 'GET', path: '/staff/admin/calendar', access: ['admin'], console: true },
  { method: 'GET', path: '/staff/admin/calendar/:year', access: ['admin'], console: true, url: '/staff/admin/calendar/2025' },
  { method: 'POST', path: '/staff/admin/calendar/:year', access: ['admin'], console: true, url: '/staff/admin/calendar/2025', body: {} },
  { method: 'GET', path: '/staff/admin/access-log', access: ['admin'], console: true },
  // Any other address under /staff: a console page saying there is no such page (404), after sign-in.
  { method: 'GET', path: '/staff/*path', access: 'any staff', console: true, url: '/staff/no-such-page' },
  { method: 'POST', path: '/staff/*path', access: 'any staff', console: true, url: '/staff/no-such-page' },
  // Single sign-on (issue 19 item 4): the round trip through the agency's identity system is open to anyone signed out
  // (an agency without it answers 404; a callback without its sealed cookie 400); the settings page is the administrator's.
  { method: 'GET', path: '/staff/sso/:agency/start', access: 'public', url: '/staff/sso/no-such-agency/start' },
  { method: 'GET', path: '/staff/sso/:agency/callback', access: 'public', url: '/staff/sso/no-such-agency/callback?code=x&state=y' },
  { method: 'GET', path: '/staff/admin/sso', access: ['admin'], console: true },
  { method: 'POST', path: '/staff/admin/sso', access: ['admin'], console: true, body: {} },
  { method: 'POST', path: '/staff/admin/sso/links/:userId/unlink', access: ['admin'], console: true, url: `/staff/admin/sso/links/${NO_SUCH_ID}/unlink` },
  // The platforms' API clients and their callbacks in the console (issues 16 and 19): the administrator's. Unknown ids
  // answer 404, empty forms 400; nothing let through changes anything.
  { method: 'GET', path: '/staff/admin/api-clients', access: ['admin'], console: true },
  { method: 'GET', path: '/staff/admin/api-clients/new', access: ['admin'], console: true },
  { method: 'POST', path: '/staff/admin/api-clients', access: ['admin'], console: true, body: {} },
  { method: 'GET', path: '/staff/admin/api-clients/:id', access: ['admin'], console: true },
  { method: 'GET', path: '/staff/admin/api-clients/:id/rotate', access: ['admin'], console: true },
  { method: 'POST', path: '/staff/admin/api-clients/:id/rotate', access: ['admin'], console: true, body: {} },
  { method: 'GET', path: '/staff/admin/api-clients/:id/revoke', access: ['admin'], console: true },
  { method: 'POST', path: '/staff/admin/api-clients/:id/revoke', access: ['admin'], console: true },
  { method: 'POST', path: '/staff/admin/api-clients/:id/subscription', access: ['admin'], console: true, body: {} },
  { method: 'POST', path: '/staff/admin/api-clients/:id/subscription/cancel', access: ['admin'], console: true },
  { method: 'GET', path: '/staff/admin/callbacks', access: ['admin'], console: true },
  { method: 'POST', path: '/staff/admin/callbacks/:id/replay', access: ['admin'], console: true, url: '/staff/admin/callbacks/999999999/replay' },
  // One's own password: every signed-in user's (an empty form answers 400 and counts as no failed sign-in).
  { method: 'GET', path: '/staff/account/password', access: 'any staff', console: true },
  { method: 'POST', path: '/staff/account/password', access: 'any staff', console: true, body: {} },
  { method: 'GET', path: '/assets/htmx.min.js', access: 'public' },
  { method: 'GET', path: '/assets/console.js', access: 'public' },
  { method: 'GET', path: '/assets/console.css', access: 'public' },
  // The marking page's drawing island (区分处理).
  { method: 'GET', path: '/assets/redaction.js', access: 'public' },
  { method: 'GET', path: '/verify', access: 'public' },
  { method: 'GET', path: '/verify/:code', access: 'public', url: '/verify/ZZZZZZZZZZZZ' },
  // A controller route, not express.static, so it is in the table.
  { method: 'GET', path: '/assets/fonts/desk-sans.otf', access: 'public' },
  { method: 'GET', path: '/assets/fonts/desk-serif.ttf', access: 'public' },
  { method: 'GET', path: '/assets/fonts/desk-serif-bold.ttf', access: 'public' },
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
/** A console page also answers a step with a redirect (303, Post/Redirect/Get). */
const CONSOLE_LET_THROUGH = [...LET_THROUGH, 303];

/**
 * The platforms' API clients (issue 19): a principal kind of its own, created below with these scopes. A client is let
 * through the public routes (as anyone is) and the client routes its scopes open; every staff route refuses it (403).
 */
const API_CLIENTS: readonly { name: string; scopes: readonly ApiScope[] }[] = [
  { name: 'platform-all', scopes: ['applications:import', 'cases:status'] },
  { name: 'platform-import', scopes: ['applications:import'] },
  { name: 'platform-status', scopes: ['cases:status'] },
];

const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;
const isClientRoute = (access: Access): access is { apiClient: readonly ApiScope[] } => typeof access === 'object' && 'apiClient' in access;
const mayCall = (access: Access, roles: readonly Role[]) =>
  access === 'any staff' || (access !== 'public' && !isClientRoute(access) && roles.some((role) => access.includes(role)));
const clientMayCall = (access: Access, scopes: readonly ApiScope[]) => access === 'public' || (isClientRoute(access) && access.apiClient.every((scope) => scopes.includes(scope)));
const accessLabel = (access: Access) => (typeof access === 'string' ? access : isClientRoute(access) ? `API client: ${access.apiClient.join('+')}` : access.join('|'));
const concreteUrl = (route: RouteEntry) =>
  route.url ??
  route.path.replace(/:(id|letterId)\b/g, NO_SUCH_ID).replace(':year', '2025').replace(':caseNumber', 'NO-SUCH-CASE').replace(':externalRef', 'NO-SUCH-REF');

/** Every route that asks who calls: staff routes and the API clients' routes. */
const GUARDED_ROUTES = ROUTES.filter((route) => route.access !== 'public');
const STAFF_ROUTES = GUARDED_ROUTES.filter((route) => !isClientRoute(route.access));
const PUBLIC_ROUTES = ROUTES.filter((route) => route.access === 'public');

interface MatrixCase {
  title: string;
  route: RouteEntry;
  caller: string | null;
  allowed: boolean;
}

const MATRIX: MatrixCase[] = [
  ...PUBLIC_ROUTES.map((route) => ({ title: `${key(route)} [public] — anonymous is let through`, route, caller: null, allowed: true })),
  ...GUARDED_ROUTES.flatMap((route) => [
    { title: `${key(route)} [${accessLabel(route.access)}] — anonymous → 401`, route, caller: null, allowed: false },
    ...STAFF.map(({ username, roles }) => {
      const allowed = mayCall(route.access, roles);
      return { title: `${key(route)} [${accessLabel(route.access)}] — ${username} (${roles.join('+')}) → ${allowed ? 'let through' : '403'}`, route, caller: username, allowed };
    }),
  ]),
  // Every route × every API client, public ones included.
  ...ROUTES.flatMap((route) =>
    API_CLIENTS.map(({ name, scopes }) => {
      const allowed = clientMayCall(route.access, scopes);
      return { title: `${key(route)} [${accessLabel(route.access)}] — API client ${name} (${scopes.join('+')}) → ${allowed ? 'let through' : '403'}`, route, caller: name, allowed };
    }),
  ),
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
    let pending = t.http[verb](url).redirects(0);
    if (route.console) {
      // The console reads the same session from its cookie; a write carries the CSRF token derived from it.
      const token = header ? (/^Bearer (\S+)$/.exec(header.Authorization)?.[1] ?? null) : null;
      if (token) pending = pending.set('Cookie', `${SESSION_COOKIE}=${token}`);
      if (route.method !== 'GET') pending = pending.type('form').send({ ...(route.body ?? {}), _csrf: token ? csrfTokenFor(token) : 'none' });
      return pending;
    }
    if (header) pending = pending.set(header);
    if (route.body !== undefined) pending = pending.send(route.body);
    return pending;
  };

  beforeAll(async () => {
    // Every public route is called with a wrong case number and 查询码 by every caller: the failures of one address
    // would soon meet the tracking throttle (tested in throttles.e2e-spec.ts), which is not what this table is about.
    t = await startTestApp({ PUBLIC_TRACKING_MAX_FAILURES: '1000', PUBLIC_TRACKING_CASE_MAX_FAILURES: '1000' });
    const admin = await t.as('admin');
    await t.http
      .post('/api/admin/users')
      .set(admin)
      .send({ username: 'admin-only', displayName: '仅管理员', password: DEMO_PASSWORD, roles: ['admin'], department: '政府信息公开办公室' })
      .expect(201);
    for (const { username } of STAFF) headers.set(username, await t.as(username));
    for (const { name, scopes } of API_CLIENTS) {
      const created = await t.http.post('/api/admin/api-clients').set(admin).send({ name, source: name, scopes }).expect(201);
      headers.set(name, { Authorization: `Bearer ${created.body.secret}` });
    }
  });
  afterAll(() => t?.close());

  it.each(STAFF)('$username holds exactly the roles the matrix assumes', async ({ username, roles }) => {
    const me = await t.http.get('/api/auth/me').set(headers.get(username)!).expect(200);
    expect([...me.body.roles].sort()).toEqual([...roles].sort());
  });

  it('the table names exactly the routes the app serves', () => {
    const served = new Set(servedRoutes(t).filter((route) => !isSwagger(route)));
    const table = new Set(ROUTES.map(key));
    expect(table.size).toBe(ROUTES.length);
    const unlisted = [...served].filter((route) => !table.has(route)).sort();
    const notServed = [...table].filter((route) => !served.has(route)).sort();
    expect({ servedButNotInTable: unlisted, inTableButNotServed: notServed }).toEqual({ servedButNotInTable: [], inTableButNotServed: [] });
  });

  it.each(MATRIX)('$title', async ({ route, caller, allowed }) => {
    let header: { Authorization: string } | null = null;
    if (caller) header = route.freshSession && allowed ? { Authorization: `Bearer ${await signIn(caller)}` } : headers.get(caller)!;
    const response = await call(route, header);
    if (route.console) {
      // A platform's secret is no console session: the console sends its bearer to the sign-in page like anyone.
      const signedOut = !caller || API_CLIENTS.some((client) => client.name === caller);
      if (allowed) expect(CONSOLE_LET_THROUGH).toContain(response.status);
      else if (!signedOut) expect({ status: response.status, type: response.type, words: response.text.includes('无权进行此操作') }).toEqual({ status: 403, type: 'text/html', words: true });
      else expect({ status: response.status, location: response.headers.location }).toEqual({ status: 303, location: expect.stringMatching(/^\/staff\/sign-in\?next=/) });
      return;
    }
    if (allowed) {
      expect(LET_THROUGH).toContain(response.status);
    } else {
      expect(response.status).toBe(caller ? 403 : 401);
      expect(response.body).toMatchObject({ statusCode: caller ? 403 : 401 });
    }
  });

  // Every console write, as a caller its role lets through: without the CSRF token, or with another session's, 403.
  const consoleWrites = ROUTES.filter((route) => route.console && route.method !== 'GET' && !route.freshSession);
  it.each(consoleWrites.map((route) => ({ title: key(route), route })))('$title — a missing or another session’s CSRF token → 403', async ({ route }) => {
    const caller = STAFF.find(({ roles }) => mayCall(route.access, roles))!.username;
    const token = /^Bearer (\S+)$/.exec(headers.get(caller)!.Authorization)![1];
    const other = /^Bearer (\S+)$/.exec(headers.get(caller === 'head' ? 'legal' : 'head')!.Authorization)![1];
    for (const csrf of [null, csrfTokenFor(other)]) {
      const form = { ...(route.body ?? {}), ...(csrf ? { _csrf: csrf } : {}) };
      const response = await t.http.post(concreteUrl(route)).redirects(0).set('Cookie', `${SESSION_COOKIE}=${token}`).type('form').send(form);
      expect(response.status).toBe(403);
    }
  });

  describe('tokens that no longer or never did identify anyone → 401 on every staff and API client route', () => {
    // The console answers a dead session with the sign-in page (303), the API with 401.
    const refusedEverywhere = async (header: { Authorization: string }) => {
      const answers = await Promise.all(GUARDED_ROUTES.map(async (route) => `${key(route)} → ${(await call(route, header)).status}`));
      return answers.filter((answer) => !answer.endsWith(answer.includes(' /staff') ? '→ 303' : '→ 401'));
    };

    it("a revoked API client's secret, and a secret nobody holds", async () => {
      const admin = headers.get('admin')!;
      const created = await t.http.post('/api/admin/api-clients').set(admin).send({ name: '将停用', source: 'matrix-revoked', scopes: ['applications:import', 'cases:status'] }).expect(201);
      const header = { Authorization: `Bearer ${created.body.secret}` };
      await t.http.get('/api/integration/applications/NO-SUCH-REF').set(header).expect(404);
      await t.http.post(`/api/admin/api-clients/${created.body.id}/revoke`).set(admin).expect(200);
      await expect(refusedEverywhere(header)).resolves.toEqual([]);
      await expect(refusedEverywhere({ Authorization: 'Bearer ogi-client.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).resolves.toEqual([]);
    });

    it("an API client's secret rotated away", async () => {
      const admin = headers.get('admin')!;
      const created = await t.http.post('/api/admin/api-clients').set(admin).send({ name: '将轮换', source: 'matrix-rotated', scopes: ['applications:import', 'cases:status'] }).expect(201);
      await t.http.post(`/api/admin/api-clients/${created.body.id}/rotate`).set(admin).send({}).expect(200);
      await expect(refusedEverywhere({ Authorization: `Bearer ${created.body.secret}` })).resolves.toEqual([]);
    });

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
  redactionId: string;
}

interface ScopeEntry {
  method: Method;
  path: string;
  /** A console page: answers HTML (a refusal's words are in the page). */
  console?: true;
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
  {
    // No reply issued yet: let through, the service answers 409 (nothing to serve) once the case may be seen.
    method: 'GET',
    path: '/api/cases/:id/service-certificate',
    call: (t, f, h) => t.http.get(`/api/cases/${f.caseId}/service-certificate`).set(h),
    expected: { lead: 'ok', assisting: 'ok', other: 'hidden' },
  },
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
  {
    // A text file is no PDF: let through, the service refuses it (400); an assisting department is refused before that.
    method: 'POST',
    path: '/api/cases/:id/redactions',
    call: (t, f, h) => t.http.post(`/api/cases/${f.caseId}/redactions`).set(h).send({ attachmentId: f.attachmentId }),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  { method: 'GET', path: '/api/cases/:id/redactions', call: (t, f, h) => t.http.get(`/api/cases/${f.caseId}/redactions`).set(h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  { method: 'GET', path: '/api/redactions/:id', call: (t, f, h) => t.http.get(`/api/redactions/${f.redactionId}`).set(h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  {
    method: 'GET',
    path: '/api/redactions/:id/pages/:page/preview',
    call: (t, f, h) => t.http.get(`/api/redactions/${f.redactionId}/pages/1/preview`).set(h),
    expected: { lead: 'ok', assisting: 'ok', other: 'hidden' },
  },
  {
    // A page the document lacks: let through, refused on its merits after the access check (400); nothing is marked.
    method: 'POST',
    path: '/api/redactions/:id/regions',
    call: (t, f, h) => t.http.post(`/api/redactions/${f.redactionId}/regions`).set(h).send({ page: 9, x: 10, y: 10, width: 10, height: 10, reason: 'withheld.third_party' }),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  {
    method: 'DELETE',
    path: '/api/redactions/:id/regions/:regionId',
    call: (t, f, h) => t.http.delete(`/api/redactions/${f.redactionId}/regions/${NO_SUCH_ID}`).set(h),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  {
    // No region marked yet: let through, the service answers 409.
    method: 'POST',
    path: '/api/redactions/:id/copy',
    call: (t, f, h) => t.http.post(`/api/redactions/${f.redactionId}/copy`).set(h),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  { method: 'GET', path: '/api/redactions/:id/copy', call: (t, f, h) => t.http.get(`/api/redactions/${f.redactionId}/copy`).set(h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
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

  // The console: the same rule through the pages (a refusal is a page that says why, a hidden case a 404 page).
  { method: 'GET', path: '/staff/cases/:id', console: true, call: (t, f, h) => page(t, 'GET', `/staff/cases/${f.caseId}`, h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  {
    method: 'GET',
    path: '/staff/cases/:id/act/:event',
    console: true,
    call: (t, f, h) => page(t, 'GET', `/staff/cases/${f.caseId}/act/withdraw`, h),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  {
    method: 'POST',
    path: '/staff/cases/:id/act/:event',
    console: true,
    call: (t, f, h) => page(t, 'POST', `/staff/cases/${f.caseId}/act/withdraw`, h, { version: '999' }),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  {
    method: 'POST',
    path: '/staff/cases/:id/attachments',
    console: true,
    call: (t, f, h) => page(t, 'POST', `/staff/cases/${f.caseId}/attachments`, h, undefined, Buffer.from('协办材料')),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  { method: 'GET', path: '/staff/attachments/:id', console: true, call: (t, f, h) => page(t, 'GET', `/staff/attachments/${f.attachmentId}`, h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  { method: 'GET', path: '/staff/letters/:id/document', console: true, call: (t, f, h) => page(t, 'GET', `/staff/letters/${f.letterId}/document`, h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  {
    // No reply issued yet: let through, the service answers 409 (nothing to serve) once the case may be seen.
    method: 'GET',
    path: '/staff/cases/:id/service-certificate',
    console: true,
    call: (t, f, h) => page(t, 'GET', `/staff/cases/${f.caseId}/service-certificate`, h),
    expected: { lead: 'ok', assisting: 'ok', other: 'hidden' },
  },
  {
    method: 'POST',
    path: '/staff/cases/:id/personal-data',
    console: true,
    call: (t, f, h) => page(t, 'POST', `/staff/cases/${f.caseId}/personal-data`, h, { reason: '核验身份' }),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  // 区分处理 in the console: the same rule as its API (marking is the lead department's; reading is for both).
  {
    method: 'GET',
    path: '/staff/cases/:id/redaction',
    console: true,
    call: (t, f, h) => page(t, 'GET', `/staff/cases/${f.caseId}/redaction`, h),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  {
    // A text file is no PDF: let through, the service refuses it (400).
    method: 'POST',
    path: '/staff/cases/:id/redactions',
    console: true,
    call: (t, f, h) => page(t, 'POST', `/staff/cases/${f.caseId}/redactions`, h, { attachmentId: f.attachmentId }),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  { method: 'GET', path: '/staff/redactions/:id', console: true, call: (t, f, h) => page(t, 'GET', `/staff/redactions/${f.redactionId}`, h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  {
    method: 'GET',
    path: '/staff/redactions/:id/pages/:page/preview',
    console: true,
    call: (t, f, h) => page(t, 'GET', `/staff/redactions/${f.redactionId}/pages/1/preview`, h),
    expected: { lead: 'ok', assisting: 'ok', other: 'hidden' },
  },
  {
    // A page the document lacks: let through, the form is shown again with the problem (400); nothing is marked.
    method: 'POST',
    path: '/staff/redactions/:id/regions',
    console: true,
    call: (t, f, h) => page(t, 'POST', `/staff/redactions/${f.redactionId}/regions`, h, { page: '9', left: '1', top: '1', width: '1', height: '1', reason: 'withheld.third_party' }),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  {
    method: 'POST',
    path: '/staff/redactions/:id/regions/:regionId/remove',
    console: true,
    call: (t, f, h) => page(t, 'POST', `/staff/redactions/${f.redactionId}/regions/${NO_SUCH_ID}/remove`, h),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  {
    // No region marked yet: let through, the service answers 409.
    method: 'POST',
    path: '/staff/redactions/:id/copy',
    console: true,
    call: (t, f, h) => page(t, 'POST', `/staff/redactions/${f.redactionId}/copy`, h),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  { method: 'GET', path: '/staff/redactions/:id/copy.pdf', console: true, call: (t, f, h) => page(t, 'GET', `/staff/redactions/${f.redactionId}/copy.pdf`, h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  { method: 'GET', path: '/staff/letters/:id/review', console: true, call: (t, f, h) => page(t, 'GET', `/staff/letters/${f.letterId}/review`, h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  { method: 'POST', path: '/staff/letters/:id/check', console: true, call: (t, f, h) => page(t, 'POST', `/staff/letters/${f.letterId}/check`, h, { reasons: '改' }), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  {
    method: 'POST',
    path: '/staff/letters/:id/fill-ins',
    console: true,
    call: (t, f, h) => page(t, 'POST', `/staff/letters/${f.letterId}/fill-ins`, h, { reasons: '改' }),
    expected: { lead: 'ok', assisting: 'refused', other: 'hidden' },
  },
  { method: 'GET', path: '/staff/cases/:id/reply', console: true, call: (t, f, h) => page(t, 'GET', `/staff/cases/${f.caseId}/reply`, h), expected: { lead: 'ok', assisting: 'ok', other: 'hidden' } },
  {
    method: 'GET',
    path: '/staff/queue',
    console: true,
    call: (t, _f, h) => page(t, 'GET', '/staff/queue?view=open', h),
    lists: (body, f) => String(body).includes(f.caseNumber),
    expected: { lead: 'listed', assisting: 'listed', other: 'absent' },
  },
];

/** A console page called with the session of a bearer header: its cookie, and on a write its CSRF token (and a file). */
function page(t: TestApp, method: 'GET' | 'POST', url: string, header: { Authorization: string }, form?: Record<string, string>, file?: Buffer): Promise<Response> {
  const token = header.Authorization.replace(/^Bearer /, '');
  if (method === 'GET') return t.http.get(url).redirects(0).set('Cookie', `${SESSION_COOKIE}=${token}`);
  const pending = t.http.post(`${url}${file ? `?_csrf=${encodeURIComponent(csrfTokenFor(token))}` : ''}`).redirects(0).set('Cookie', `${SESSION_COOKIE}=${token}`);
  if (file) return pending.attach('file', file, { filename: '材料.txt', contentType: 'text/plain' });
  return pending.type('form').send({ ...(form ?? {}), _csrf: csrfTokenFor(token) });
}

/** Routes of ROUTES that carry no case's data for a handler to see, or that handlers cannot call at all (role-only). */
const NOT_CASE_SCOPED: Record<string, string> = {
  'POST /api/admin/api-clients/:id/rotate': 'role admin only (its own agency’s clients)',
  'POST /api/admin/api-clients/:id/revoke': 'role admin only (its own agency’s clients)',
  'PUT /api/admin/api-clients/:id/subscription': 'role admin only (its own agency’s clients)',
  'DELETE /api/admin/api-clients/:id/subscription': 'role admin only (its own agency’s clients)',
  'GET /api/admin/api-clients/:id/access-log': 'role admin only (its own agency’s clients)',
  'POST /api/admin/callbacks/:id/replay': 'role admin only (its own agency’s clients)',
  'POST /api/cases/:id/disputes': 'role legal only (agency-wide)',
  'POST /staff/notifications/:id/read': "the caller's own notices",
  'GET /staff/queue/export.xlsx': 'the queue of GET /staff/queue, read by the same query',
  'GET /staff/disputes/:id': 'roles legal and head only (agency-wide)',
  'GET /staff/disputes/:id/evidence': 'roles legal and head only (agency-wide)',
  'GET /staff/disputes/:id/result': 'role legal only (agency-wide)',
  'POST /staff/disputes/:id/result': 'role legal only (agency-wide)',
  'GET /staff/cases/:id/disputes/new': 'role legal only (agency-wide)',
  'POST /staff/cases/:id/disputes': 'role legal only (agency-wide)',
  'GET /staff/reports/:year/cases': 'roles legal, head and admin only; the cases listed through the drill-down of GET /api/reports/annual/:year/drilldown',
  'GET /staff/reports/:year/export': 'agency-wide figures, no case listed',
  'GET /staff/reports/:year/lock': 'roles head and admin only; agency-wide figures',
  'GET /staff/reports/:year/fill-ins': 'the office’s own text and figures, no case',
  'POST /staff/reports/:year/fill-ins': 'roles head and admin only; the office’s own text and figures',
  'GET /staff/reports/:year/document': 'agency-wide figures, no case listed',
  'POST /staff/reports/:year/lock': 'roles head and admin only',
  'GET /staff/admin/users/:id': 'role admin only, no case data',
  'POST /staff/admin/users/:id': 'role admin only, no case data',
  'POST /staff/admin/users/:id/active': 'role admin only, no case data',
  'GET /staff/admin/users/:id/password': 'role admin only, no case data',
  'POST /staff/admin/users/:id/password': 'role admin only, no case data',
  'GET /staff/admin/departments/:id': 'role admin only, no case data',
  'POST /staff/admin/departments/:id': 'role admin only, no case data',
  'GET /staff/admin/calendar/:year': 'role admin only, no case data',
  'POST /staff/admin/calendar/:year': 'role admin only, no case data',
  'GET /staff/admin/api-clients/:id': 'role admin only (its own agency’s clients), no case data',
  'GET /staff/admin/api-clients/:id/rotate': 'role admin only (its own agency’s clients)',
  'POST /staff/admin/api-clients/:id/rotate': 'role admin only (its own agency’s clients)',
  'GET /staff/admin/api-clients/:id/revoke': 'role admin only (its own agency’s clients)',
  'POST /staff/admin/api-clients/:id/revoke': 'role admin only (its own agency’s clients)',
  'POST /staff/admin/api-clients/:id/subscription': 'role admin only (its own agency’s clients)',
  'POST /staff/admin/api-clients/:id/subscription/cancel': 'role admin only (its own agency’s clients)',
  'POST /staff/admin/callbacks/:id/replay': 'role admin only (its own agency’s clients); case numbers only, agency-wide',
  'POST /api/disputes/:id/result': 'role legal only (agency-wide)',
  'GET /api/disputes/:id/evidence': 'roles legal and head only (agency-wide)',
  'POST /api/notifications/:id/read': "the caller's own notices",
  'GET /api/notifications': "the caller's own notices",
  'GET /api/reports/annual/:year': 'agency-wide figures, no case listed',
  'GET /api/reports/rates': 'agency-wide figures, no case listed',
  'GET /api/reports/annual/:year/fill-ins': 'the office’s own text and figures, no case',
  'PUT /api/reports/annual/:year/fill-ins': 'roles head and admin only',
  'GET /api/reports/annual/:year/document': 'agency-wide figures, no case listed',
  'GET /api/reports/annual/:year/checks': 'the cases behind a breaking cell are listed through the case scope (the drill-down’s SQL scope)',
  'POST /api/reports/annual/:year/lock': 'roles head and admin only',
  'PATCH /api/admin/users/:id': 'role admin only',
  'GET /api/calendar/:year': 'no case data',
  'PUT /api/calendar/:year': 'no case data',
  'GET /api/public/applications/:caseNumber': 'the applicant, with the query code',
  'GET /api/public/applications/:caseNumber/letters/:letterId': 'the applicant, with the query code',
  'GET /api/public/applications/:caseNumber/redacted-copies': 'the applicant, with the query code',
  'GET /api/public/applications/:caseNumber/redacted-copies/:copyId': 'the applicant, with the query code',
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
    const pdf = await t.http
      .post(`/api/cases/${lead.id}/attachments`)
      .set(await t.as('handler'))
      .attach('file', await documentPdf('拟公开文件', ['第一行'], '2025-11-04'), { filename: '拟公开文件.pdf', contentType: 'application/pdf' })
      .expect(201);
    const redaction = await t.http.post(`/api/cases/${lead.id}/redactions`).set(await t.as('handler')).send({ attachmentId: pdf.body.id }).expect(201);
    f = {
      caseId: lead.id,
      otherCaseId: other.id,
      letterId: letters.body[0].id,
      attachmentId: attachment.body.id,
      disputeId: dispute.body.id,
      caseNumber: lead.caseNumber,
      redactionId: redaction.body.id,
    };
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
    const message = entry.console ? response.text : response.body.message;
    if (expected === 'refused') expect({ status: response.status, message }).toEqual({ status: 403, message: expect.stringMatching(/协办部门/) });
    else if (expected === 'hidden') expect(response.status).toBe(404);
    else expect(entry.console ? CONSOLE_LET_THROUGH : LET_THROUGH).toContain(response.status);
    if (expected === 'listed' || expected === 'absent') expect(entry.lists!(entry.console ? response.text : response.body, f)).toBe(expected === 'listed');
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
