import { Injectable } from '@nestjs/common';
import {
  actionRefusal,
  maySee,
  platformMaySee,
  relationTo,
  seesWholeAgency,
  type CaseRelation,
  type CaseViewer,
  type PlatformViewer,
} from '@desk/case-workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { forbidden, notFound } from '../common/domain-error';
import { isUuid } from '../common/text';
import { CaseEntity } from '../database/entities';

/** What a route asks of a case: to see it, to act on it (steps, fill-ins, attachments), or to reveal personal data. */
export type CaseAction = 'see' | 'act' | 'reveal';

/** What the access rule reads of an event log: REQUEST_ASSISTANCE names the department asked (payload.departmentId). */
export interface AssistanceLogEntry {
  type: string;
  payload: unknown;
}

export interface VisibleCase {
  row: CaseEntity;
  relation: CaseRelation;
}

/**
 * The case-access rule of libs/case-workflow/src/case-access.ts with the facts from the database: one place decides, for
 * every route, who may see a case, act on it and reveal its applicant's numbers, and the SQL scopes of every list
 * (queues, disputes, proactive candidates, report drill-downs, the applicant's history) follow the same rule.
 */
@Injectable()
export class CaseAccess {
  constructor(private readonly dataSource: DataSource) {}

  /** The case if the user may do `action` on it: 404 when it is not visible (as an unknown case), 403 when only seen. */
  async require(
    viewer: CaseViewer,
    id: string,
    action: CaseAction,
    manager: EntityManager = this.dataSource.manager,
    loaded?: CaseEntity | null,
    log?: readonly AssistanceLogEntry[],
  ): Promise<VisibleCase> {
    // `loaded`: the caller has read the case already (null: it found none); `log`: and its event log, which names the
    // departments asked to assist.
    const row = loaded !== undefined ? loaded : isUuid(id) ? await manager.getRepository(CaseEntity).findOne({ where: { id } }) : null;
    const relation = row ? (log ? this.relationFromLog(viewer, row, log) : await this.relation(viewer, row, manager)) : 'none';
    // A case outside the user's scope answers like an unknown one: its existence is not disclosed.
    if (!row || !maySee(relation)) throw notFound(`没有编号为 ${id} 的案件`);
    const refusal = action === 'see' ? null : actionRefusal(relation, action);
    if (refusal) throw forbidden(refusal);
    return { row, relation };
  }

  /**
   * The case a platform imported under its own reference, when the platform may see it (platformMaySee): an unknown
   * reference and a case it may not see answer alike (404), so another platform's cases are not disclosed.
   */
  async requireForPlatform(viewer: PlatformViewer, externalRef: string, manager: EntityManager = this.dataSource.manager): Promise<{ id: string; agencyId: string }> {
    const [row]: { id: string; agency_id: string; source: string }[] = await manager.query(
      `SELECT c.id, c.agency_id, p.source FROM platform_imports p JOIN cases c ON c.id = p.case_id WHERE p.source = $1 AND p.external_ref = $2`,
      [viewer.source, externalRef],
    );
    if (!row || !platformMaySee(viewer, { agencyId: row.agency_id, importedFrom: row.source })) throw notFound(`没有平台申请编号为 ${externalRef} 的申请`);
    return { id: row.id, agencyId: row.agency_id };
  }

  async relation(viewer: CaseViewer, row: Pick<CaseEntity, 'id' | 'agencyId' | 'departmentId'>, manager: EntityManager = this.dataSource.manager): Promise<CaseRelation> {
    const needsAssistance = !seesWholeAgency(viewer) && viewer.departmentId !== null && row.departmentId !== viewer.departmentId;
    const assistingDepartmentIds = needsAssistance ? await this.assistingDepartmentIds(row.id, manager) : [];
    return relationTo(viewer, { caseId: row.id, agencyId: row.agencyId, departmentId: row.departmentId, assistingDepartmentIds });
  }

  /** The relation from the case's event log in hand: the same rule, without asking the database which departments assist. */
  relationFromLog(viewer: CaseViewer, row: Pick<CaseEntity, 'id' | 'agencyId' | 'departmentId'>, log: readonly AssistanceLogEntry[]): CaseRelation {
    const asked = log.filter((event) => event.type === 'REQUEST_ASSISTANCE').map((event) => (event.payload as { departmentId?: unknown }).departmentId);
    const assistingDepartmentIds = [...new Set(asked.filter((id): id is string => typeof id === 'string'))];
    return relationTo(viewer, { caseId: row.id, agencyId: row.agencyId, departmentId: row.departmentId, assistingDepartmentIds });
  }

  /** 协办: the departments a case asked to assist (REQUEST_ASSISTANCE events; ix_case_events_assistance). */
  private async assistingDepartmentIds(caseId: string, manager: EntityManager): Promise<string[]> {
    const rows: { department_id: string }[] = await manager.query(
      `SELECT DISTINCT payload->>'departmentId' AS department_id FROM case_events WHERE case_id = $1 AND type = 'REQUEST_ASSISTANCE'`,
      [caseId],
    );
    return rows.map((row) => row.department_id);
  }

  /**
   * The cases of `alias` (a `cases` row) this user may see, as SQL conditions OR-ed by the caller: one condition for the
   * whole agency, or two halves for a handler — its department's cases, and the other cases its department was asked
   * to assist with — each of which an index answers in queue order (BENCHMARKS.md). No condition: nothing is visible.
   * `param` binds a value and returns its placeholder.
   */
  scopeConditions(viewer: CaseViewer, alias: string, param: (value: unknown) => string): string[] {
    const agency = viewer.agencyId === null ? 'true' : `${alias}.agency_id = ${param(viewer.agencyId)}`;
    if (seesWholeAgency(viewer)) return [agency];
    if (!viewer.departmentId) return [];
    const department = param(viewer.departmentId);
    return [
      `${agency} AND ${alias}.department_id = ${department}`,
      `${agency} AND ${alias}.department_id IS DISTINCT FROM ${department} AND ${alias}.id IN (SELECT e.case_id FROM case_events e WHERE e.type = 'REQUEST_ASSISTANCE' AND e.payload->>'departmentId' = ${department}::text)`,
    ];
  }

  /** The same scope as one condition (for short lists where the two halves need not be read separately). */
  scopeCondition(viewer: CaseViewer, alias: string, param: (value: unknown) => string): string {
    const conditions = this.scopeConditions(viewer, alias, param);
    return conditions.length ? `(${conditions.map((condition) => `(${condition})`).join(' OR ')})` : 'false';
  }
}
