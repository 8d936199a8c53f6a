import { Inject, Injectable } from '@nestjs/common';
import { isConcluded, publicStateLabel } from '@desk/case-workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG } from '../common/tokens';
import type { AppConfig } from '../config/app-config';
import { issuedToApplicant } from '../letters/letters.service';
import type { PlatformCaseDto } from './dto/platform.dto';

interface PlatformCaseRow {
  case_number: string;
  state: string;
  submitted_on: string;
  received_at: string | null;
  due_date: string | null;
  due_provisional: boolean;
  concluded_at: string | null;
  agency_code: string;
  agency_name: string;
  source: string;
  external_ref: string;
  sequence: number;
  letters: { id: string; title: string; number: string | null; issuedAt: string }[];
}

/** The path a platform fetches a letter of its case at (IntegrationController). */
export function platformLetterPath(externalRef: string, letterId: string): string {
  return `/api/integration/applications/${encodeURIComponent(externalRef)}/letters/${letterId}?format=pdf`;
}

/**
 * What a platform sees of a case it imported — the same as its applicant sees on the tracking page (state in words,
 * dates, the letters issued to the applicant), never the identity number, phone, address or the 查询码 — read in the
 * caller's transaction, so a callback written with a step carries the case as that step leaves it.
 */
@Injectable()
export class PlatformCaseView {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async of(caseId: string, manager: EntityManager = this.dataSource.manager): Promise<PlatformCaseDto> {
    const [row]: PlatformCaseRow[] = await manager.query(
      `SELECT c.case_number, c.state, to_char(c.submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS submitted_on,
              to_char(c.received_at, 'YYYY-MM-DD') AS received_at, to_char(c.due_date, 'YYYY-MM-DD') AS due_date, c.due_provisional,
              to_char(c.concluded_at, 'YYYY-MM-DD') AS concluded_at, a.code AS agency_code, a.name AS agency_name, p.source, p.external_ref,
              (SELECT coalesce(max(e.sequence), 0) FROM case_events e WHERE e.case_id = c.id) AS sequence,
              (SELECT coalesce(json_agg(json_build_object('id', l.id, 'title', l.data->>'title', 'number', l.number,
                                                          'issuedAt', to_char(l.issued_at, 'YYYY-MM-DD')) ORDER BY l.seq), '[]')
                 FROM letters l WHERE l.case_id = c.id AND ${issuedToApplicant('l')}) AS letters
         FROM cases c JOIN agencies a ON a.id = c.agency_id JOIN platform_imports p ON p.case_id = c.id
        WHERE c.id = $1`,
      [caseId],
    );
    if (!row) throw new Error(`case ${caseId} was not imported from a platform`);
    const base = this.config.PUBLIC_BASE_URL?.replace(/\/+$/, '') ?? '';
    return {
      caseNumber: row.case_number,
      source: row.source,
      externalRef: row.external_ref,
      agency: { code: row.agency_code, name: row.agency_name },
      state: publicStateLabel(row.state),
      concluded: isConcluded(row.state),
      submittedOn: row.submitted_on,
      receivedAt: row.received_at,
      dueDate: row.concluded_at ? null : row.due_date,
      dueDateProvisional: row.due_provisional,
      concludedAt: row.concluded_at,
      letters: row.letters.map((letter) => ({ ...letter, url: base + platformLetterPath(row.external_ref, letter.id) })),
      sequence: Number(row.sequence),
    };
  }
}
