import { Injectable } from '@nestjs/common';
import { likelyDuplicates } from '@desk/case-workflow';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { AgenciesService } from '../agencies/agencies.service';
import { conflict } from '../common/domain-error';
import type { AgencyEntity } from '../database/entities';
import { CaseAccess } from './case-access.service';

export interface ProactiveEntryView {
  id: string;
  indexNumber: string;
  title: string;
  summary: string;
  content: string | null;
  link: string | null;
  publishedAt: string;
  agency: string;
}

/** 依申请公开转主动公开 (Art. 44): the recorded decision, the public list, the candidates. */
@Injectable()
export class ProactiveService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly agencies: AgenciesService,
    private readonly access: CaseAccess,
  ) {}

  /** Art. 44: a decision to publish writes the entry in the step's transaction; the entry carries no applicant data. */
  async publish(manager: EntityManager, caseId: string, agency: AgencyEntity, at: string, payload: Record<string, unknown>): Promise<void> {
    const indexNumber = String(payload.indexNumber);
    try {
      await manager.query(
        `INSERT INTO proactive_entries (agency_id, case_id, index_number, title, summary, content, link, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [agency.id, caseId, indexNumber, payload.title, payload.summary, payload.content ?? null, payload.link ?? null, at],
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw conflict(`索引号 ${indexNumber} 已被使用`);
      throw error;
    }
  }

  async publicList(agencyCode?: string): Promise<ProactiveEntryView[]> {
    return this.dataSource.query(
      `SELECT p.id, p.index_number AS "indexNumber", p.title, p.summary, p.content, p.link, to_char(p.published_at, 'YYYY-MM-DD') AS "publishedAt", a.name AS agency
         FROM proactive_entries p JOIN agencies a ON a.id = p.agency_id
        WHERE ($1::text IS NULL OR a.code = $1) ORDER BY p.published_at DESC, p.created_at DESC LIMIT 500`,
      [agencyCode ?? null],
    );
  }

  /**
   * Candidates (rules.md §6): requests for the same information by two or more applicants. Groups the agency's requests
   * of the last two years by similar text across different applicants; cases already published are marked.
   */
  async candidates(principal: Principal): Promise<{ caseIds: string[]; caseNumbers: string[]; applicants: number; description: string; published: boolean }[]> {
    // Among the cases the user may see: a handler's candidates are its department's (and those it assists with).
    const params: unknown[] = [principal.agencyId];
    const visible = this.access.scopeCondition(principal, 'c', (value) => `$${params.push(value)}`);
    const rows: { id: string; caseNumber: string; description: string; applicant: string; published: boolean }[] = await this.dataSource.query(
      `SELECT c.id, c.case_number AS "caseNumber", c.description, c.applicant_id_blind_index AS applicant,
              EXISTS (SELECT 1 FROM proactive_entries p WHERE p.case_id = c.id) AS published
         FROM cases c WHERE c.agency_id = $1 AND ${visible} AND c.received_at >= (CURRENT_DATE - interval '2 years') AND c.request_type = 'disclosure'
        ORDER BY c.received_at DESC LIMIT 2000`,
      params,
    );
    const seen = new Set<string>();
    const groups = [];
    for (const row of rows) {
      if (seen.has(row.id)) continue;
      const similar = likelyDuplicates(row.description, rows.filter((other) => other.id !== row.id && !seen.has(other.id)), 0.6);
      const members = [row, ...similar.map((match) => rows.find((other) => other.id === match.id)!)];
      const applicants = new Set(members.map((member) => member.applicant)).size;
      if (applicants < 2) continue;
      members.forEach((member) => seen.add(member.id));
      groups.push({
        caseIds: members.map((member) => member.id),
        caseNumbers: members.map((member) => member.caseNumber),
        applicants,
        description: row.description,
        published: members.some((member) => member.published),
      });
    }
    return groups;
  }
}
