import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { IsoDate } from '@desk/calendar';
import type { Principal } from '../auth/principal';

/** What a staff member did with applicants' personal data (names, addresses, identity and phone numbers). */
export type PersonalDataAction =
  | 'list_cases'
  | 'view_case'
  | 'reveal_identity'
  | 'view_letter'
  | 'download_attachment'
  | 'export_evidence_bundle';

export interface PersonalDataAccess {
  action: PersonalDataAction;
  caseIds: readonly string[];
  /** The reason given (reveal), the format (letters), the file (attachments). */
  detail?: string;
  address: string;
}

export interface PersonalDataAccessQuery {
  /** The case number, or any part of it. */
  caseNumber?: string;
  username?: string;
  action?: string;
  from?: IsoDate;
  to?: IsoDate;
  page: number;
  pageSize: number;
}

/**
 * The INSERT of one access record, its values bound by `param` (which returns a value's placeholder): the statement
 * `record` sends, and the part of a step's single statement that records the case view the step answers with — there
 * `onlyIf`, a condition true only when the step itself was written, so a step refused at its write records no view.
 */
export function accessRecordInsert(principal: Principal, access: PersonalDataAccess, param: (value: unknown) => string, onlyIf?: string): string {
  return `INSERT INTO personal_data_access (agency_id, user_id, username, action, case_ids, detail, address)
          SELECT ${param(principal.agencyId)}::uuid, ${param(principal.userId)}::uuid, ${param(principal.username)}::text, ${param(access.action)}::text,
                 ${param([...access.caseIds])}::uuid[], ${param(access.detail ?? null)}::text, ${param(access.address)}::text${onlyIf ? ` WHERE ${onlyIf}` : ''}`;
}

/**
 * The audit log of personal-data access (个人信息保护法 Art. 51, 54: access records), append-only in the database.
 * Written before the data leaves: if the record cannot be written, the data is not shown (fail closed).
 */
@Injectable()
export class PersonalDataAuditService {
  constructor(private readonly dataSource: DataSource) {}

  async record(principal: Principal, access: PersonalDataAccess, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const params: unknown[] = [];
    await manager.query(accessRecordInsert(principal, access, (value) => `$${params.push(value)}`), params);
  }

  /** GET /api/audit/personal-data (admin): newest first, this agency only. */
  async search(principal: Principal, query: PersonalDataAccessQuery) {
    const where = ['a.agency_id = $1'];
    const params: unknown[] = [principal.agencyId];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    // An array overlap, which the GIN index on case_ids answers.
    if (query.caseNumber) {
      const like = `%${query.caseNumber.replace(/[%_\\]/g, (char) => `\\${char}`)}%`;
      where.push(`a.case_ids && ARRAY(SELECT c.id FROM cases c WHERE c.case_number ILIKE ${param(like)} AND c.agency_id = $1)`);
    }
    if (query.username) where.push(`a.username = ${param(query.username)}`);
    if (query.action) where.push(`a.action = ${param(query.action)}`);
    // Calendar dates in Asia/Shanghai, inclusive.
    if (query.from) where.push(`a.at >= (${param(query.from)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
    if (query.to) where.push(`a.at < ((${param(query.to)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
    const [{ total }]: { total: number }[] = await this.dataSource.query(`SELECT count(*)::int AS total FROM personal_data_access a WHERE ${where.join(' AND ')}`, params);
    const items = await this.dataSource.query(
      `SELECT a.id::text, a.at, a.username, a.action, a.detail, a.address,
              COALESCE((SELECT array_agg(c.case_number ORDER BY c.case_number) FROM cases c WHERE c.id = ANY(a.case_ids)), '{}') AS "caseNumbers"
         FROM personal_data_access a WHERE ${where.join(' AND ')}
        ORDER BY a.at DESC, a.id DESC LIMIT ${param(query.pageSize)} OFFSET ${param((query.page - 1) * query.pageSize)}`,
      params,
    );
    return { items, total, page: query.page, pageSize: query.pageSize };
  }
}
