// Who may see a case, act on it and reveal its applicant's personal data: the one rule every route applies.
// The database supplies the facts (the case's agency and lead department, the departments asked to assist); this module
// decides. api.md: "a handler sees the cases of its department"; 协办 (REQUEST_ASSISTANCE) lets another department see
// the case and answer its own request — nothing else.
import { declarationOf, type CaseEventType } from './events';
import type { ActorRole } from './vocabulary';

/** Roles that see and act on every case of their agency (the desk, legal review, the head, the administrator, the clock). */
export const AGENCY_WIDE_ROLES: readonly ActorRole[] = ['intake', 'legal', 'head', 'admin', 'system'];

/**
 * How a user stands to one case:
 * - `agency`: holds an agency-wide role in the case's agency;
 * - `lead`: a handler of the lead department (主办);
 * - `assisting`: a handler of a department asked to assist (协办), and not of the lead department;
 * - `applicant`: the applicant of this very case, proved by its case number and 查询码 on the portal;
 * - `none`: nothing — the case answers like an unknown one (404), so its existence is not disclosed.
 */
export type CaseRelation = 'agency' | 'lead' | 'assisting' | 'applicant' | 'none';

export interface CaseViewer {
  roles: readonly ActorRole[];
  /** null: every agency (the system). */
  agencyId: string | null;
  departmentId: string | null;
  /** The applicant acting online: the one case the case number and 查询码 opened. */
  ownCaseId?: string | null;
}

export interface CaseAccessFacts {
  /** The case itself (the applicant's relation is to one case). */
  caseId?: string;
  agencyId: string;
  /** The lead department (承办部门), null until the case is assigned. */
  departmentId: string | null;
  /** Departments asked to assist (协办), answered or not. */
  assistingDepartmentIds: readonly string[];
}

export function seesWholeAgency(viewer: Pick<CaseViewer, 'roles'>): boolean {
  return viewer.roles.some((role) => AGENCY_WIDE_ROLES.includes(role));
}

export function relationTo(viewer: CaseViewer, facts: CaseAccessFacts): CaseRelation {
  // The applicant reaches the own case and nothing else, whatever else the viewer claims.
  if (viewer.roles.includes('applicant')) return viewer.ownCaseId && viewer.ownCaseId === facts.caseId ? 'applicant' : 'none';
  if (viewer.agencyId !== null && viewer.agencyId !== facts.agencyId) return 'none';
  if (seesWholeAgency(viewer)) return 'agency';
  if (!viewer.departmentId) return 'none';
  if (facts.departmentId === viewer.departmentId) return 'lead';
  if (facts.assistingDepartmentIds.includes(viewer.departmentId)) return 'assisting';
  return 'none';
}

export function maySee(relation: CaseRelation): boolean {
  return relation !== 'none';
}

/** Handling the case — workflow steps, letters' fill-ins, attachments — is for the lead department and agency-wide roles. */
export function mayAct(relation: CaseRelation): boolean {
  return relation === 'agency' || relation === 'lead';
}

/** The applicant's identity and phone numbers in clear: never for a department that only assists. */
export function mayReveal(relation: CaseRelation): boolean {
  return mayAct(relation);
}

/** The one step an assisting department takes: answering its own request (the service checks it is its own). */
const ASSISTING_EVENTS: readonly CaseEventType[] = ['ANSWER_ASSISTANCE'];

/** Whether this relation allows sending this event at all; the event's roles and the machine decide the rest. */
export function mayRelationSend(relation: CaseRelation, type: CaseEventType): boolean {
  if (relation === 'assisting') return ASSISTING_EVENTS.includes(type);
  // The applicant's own steps are those whose declaration names the applicant (补正, withdrawal).
  if (relation === 'applicant') return declarationOf(type).roles.includes('applicant');
  return mayAct(relation);
}

/** Why a visible case refuses this user's action, in words; null when the relation allows it. */
export function actionRefusal(relation: CaseRelation, action: 'act' | 'reveal'): string | null {
  if (action === 'reveal' ? mayReveal(relation) : mayAct(relation)) return null;
  if (relation === 'applicant') return '申请人只能在网上补正、撤回申请';
  if (relation === 'assisting') {
    return action === 'reveal'
      ? '协办部门不能查看申请人的完整证件号码和电话'
      : '本部门是协办部门，只能答复本部门的协办请求，不能办理本案的其他事项';
  }
  return '无权办理本案';
}

/**
 * A platform's API client (政务服务平台, issue 19): not staff, so it stands in no relation above. It sees a case only when
 * the case came from its platform (`importedFrom`, the source of the import) and is of an agency it may address — and
 * then only what the applicant may see (state in words, dates, the letters issued to the applicant).
 */
export interface PlatformViewer {
  source: string;
  agencyIds: readonly string[];
}

export function platformMaySee(viewer: PlatformViewer, facts: { agencyId: string; importedFrom: string | null }): boolean {
  return facts.importedFrom !== null && facts.importedFrom === viewer.source && viewer.agencyIds.includes(facts.agencyId);
}
