import type { ActorRole } from '@desk/case-workflow';
import type { Principal } from '../auth/principal';

/** Who sends an event: a staff member, or the system (the clock watcher), which acts in every agency. */
export interface CaseActor {
  userId: string | null;
  username: string;
  roles: readonly ActorRole[];
  /** null: every agency (the system). */
  agencyId: string | null;
  departmentId: string | null;
  /** The applicant acting online: the one case the case number and 查询码 opened. */
  ownCaseId?: string | null;
}

export const SYSTEM_ACTOR: CaseActor = { userId: null, username: 'system', roles: ['system'], agencyId: null, departmentId: null };

/** Actors that are not staff members. */
export const APPLICANT_ACTOR = { id: null, name: 'applicant' } as const;

/** The applicant on the portal, on the own case only (case-access.ts: relation `applicant`). */
export function applicantActor(caseId: string): CaseActor {
  return { userId: null, username: APPLICANT_ACTOR.name, roles: ['applicant'], agencyId: null, departmentId: null, ownCaseId: caseId };
}

export function actorOf(principal: Principal): CaseActor {
  return { userId: principal.userId, username: principal.username, roles: principal.roles, agencyId: principal.agencyId, departmentId: principal.departmentId };
}
