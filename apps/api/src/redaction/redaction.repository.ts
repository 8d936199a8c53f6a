import { Injectable } from '@nestjs/common';
import { OUTCOME_INFO, type WithholdingBasis } from '@desk/case-workflow';
import { labelOf, OUTCOME_TERMS } from '@desk/vocabulary';
import { DataSource, type EntityManager } from 'typeorm';
import { conflict } from '../common/domain-error';
import type { RedactionDocumentDto, RedactionRegionDto } from './redaction.dto';
import type { PageSize } from './redacted-pdf';

/** The reason in words: the ground and its article, as the DECIDE form names a withheld part's basis. */
export function withholdingLabel(code: string): string {
  return `${labelOf(OUTCOME_TERMS, code).replace(/^不予公开：/, '')}（${OUTCOME_INFO[code as WithholdingBasis]?.legalBasis ?? ''}）`;
}

export interface DocumentRow {
  id: string;
  case_id: string;
  original_attachment_id: string;
  pages: PageSize[];
  revision: number;
  filename: string;
  sha256: string;
  state: string;
}

export interface RegionRow {
  id: string;
  page: number;
  x: string;
  y: string;
  width: string;
  height: string;
  reason: string;
  note: string | null;
  created_by_name: string;
  created_at: Date;
  removed_by_name: string | null;
  removed_at: Date | null;
}

/** Regions may change while the case is being handled; after the decision they are what the reply states. */
export const EDITABLE = (state: string) => state.startsWith('handling');

/** What a partial reply says of the withheld parts (the DECIDE step puts it in the letter). */
export interface WithheldRegionSummary {
  filename: string;
  page: number;
  reason: string;
  ground: string;
  note: string | null;
}


/** The redaction aggregate's SQL: documents, their regions (the log) and copies. */
@Injectable()
export class RedactionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The case's documents with their regions and logs (the case view shows them; access is the caller's). */
  async documentsOf(caseId: string, manager: EntityManager = this.dataSource.manager): Promise<RedactionDocumentDto[]> {
    const rows: { id: string }[] = await manager.query(`SELECT id FROM redaction_documents WHERE case_id = $1 ORDER BY created_at`, [caseId]);
    return Promise.all(rows.map((row) => this.describe(row.id, manager)));
  }

  /**
   * DECIDE (部分公开): the withheld regions the reply lists, and a refusal while a document's marks have changed since
   * its copy was produced (the applicant would get a copy that is not what the reply describes).
   */
  async summaryForDecision(manager: EntityManager, caseId: string): Promise<WithheldRegionSummary[]> {
    const documents: (DocumentRow & { copy_revision: number | null })[] = await manager.query(
      `SELECT d.*, a.filename, (SELECT max(revision) FROM redaction_copies k WHERE k.document_id = d.id) AS copy_revision
         FROM redaction_documents d JOIN attachments a ON a.id = d.original_attachment_id WHERE d.case_id = $1 ORDER BY d.created_at`,
      [caseId],
    );
    const summary: WithheldRegionSummary[] = [];
    for (const document of documents) {
      const regions = await this.regions(document.id, manager, false);
      if (!regions.length) continue;
      if (document.copy_revision !== document.revision) throw conflict(`《${document.filename}》的遮盖标记在生成部分公开文本之后有改动（或尚未生成），请先生成部分公开文本`);
      for (const region of regions) summary.push({ filename: document.filename.replace(/\.pdf$/i, ''), page: region.page, reason: region.reason, ground: withholdingLabel(region.reason), note: region.note });
    }
    return summary;
  }

  /** The names of those of `attachmentIds` that are the originals of documents being redacted (never given to the applicant). */
  async originalsAmong(manager: EntityManager, caseId: string, attachmentIds: readonly string[]): Promise<string[]> {
    const rows: { filename: string }[] = await manager.query(
      `SELECT a.filename FROM redaction_documents d JOIN attachments a ON a.id = d.original_attachment_id
        WHERE d.case_id = $1 AND d.original_attachment_id::text = ANY($2) ORDER BY d.created_at`,
      [caseId, attachmentIds],
    );
    return rows.map((row) => row.filename);
  }

  /** ISSUE_REPLY: the current copies go with the reply; they are what the applicant may download. */
  async discloseWithReply(manager: EntityManager, caseId: string, replyLetterId: string): Promise<void> {
    await manager.query(
      `UPDATE redaction_copies k SET reply_letter_id = $2
         FROM redaction_documents d
        WHERE k.document_id = d.id AND d.case_id = $1 AND k.revision = d.revision AND k.reply_letter_id IS NULL
          AND k.produced_at = (SELECT max(produced_at) FROM redaction_copies l WHERE l.document_id = d.id AND l.revision = d.revision)`,
      [caseId, replyLetterId],
    );
  }

  async regions(id: string, manager: EntityManager, withRemoved: boolean): Promise<RegionRow[]> {
    return manager.query(
      `SELECT * FROM redaction_regions WHERE document_id = $1 ${withRemoved ? '' : 'AND removed_at IS NULL'} ORDER BY page, created_at, id`,
      [id],
    );
  }

  async describe(id: string, manager: EntityManager = this.dataSource.manager): Promise<RedactionDocumentDto> {
    const [document]: DocumentRow[] = await manager.query(
      `SELECT d.*, a.filename, a.sha256, c.state FROM redaction_documents d JOIN attachments a ON a.id = d.original_attachment_id JOIN cases c ON c.id = d.case_id WHERE d.id = $1`,
      [id],
    );
    const log = (await this.regions(id, manager, true)).map(regionDto);
    const [copy]: { id: string; revision: number; sha256: string; size_bytes: number; produced_by_name: string; produced_at: Date; reply_letter_id: string | null }[] = await manager.query(
      `SELECT id, revision, sha256, size_bytes, produced_by_name, produced_at, reply_letter_id FROM redaction_copies WHERE document_id = $1 ORDER BY produced_at DESC, revision DESC LIMIT 1`,
      [id],
    );
    return {
      id: document.id,
      caseId: document.case_id,
      originalAttachmentId: document.original_attachment_id,
      filename: document.filename,
      originalSha256: document.sha256,
      revision: document.revision,
      editable: EDITABLE(document.state),
      pages: document.pages.map((page, index) => ({ number: index + 1, width: page.width, height: page.height, previewUrl: `/api/redactions/${id}/pages/${index + 1}/preview` })),
      regions: log.filter((region) => region.removedAt === null),
      log,
      copy: copy
        ? {
            id: copy.id,
            revision: copy.revision,
            current: copy.revision === document.revision,
            sha256: copy.sha256,
            sizeBytes: copy.size_bytes,
            producedBy: copy.produced_by_name,
            producedAt: new Date(copy.produced_at).toISOString(),
            disclosed: copy.reply_letter_id !== null,
            downloadUrl: `/api/redactions/${id}/copy`,
          }
        : null,
    };
  }
}

function regionDto(row: RegionRow): RedactionRegionDto {
  return {
    id: row.id,
    page: row.page,
    x: Number(row.x),
    y: Number(row.y),
    width: Number(row.width),
    height: Number(row.height),
    reason: row.reason,
    reasonLabel: withholdingLabel(row.reason),
    note: row.note,
    createdBy: row.created_by_name,
    createdAt: new Date(row.created_at).toISOString(),
    removedBy: row.removed_by_name,
    removedAt: row.removed_at ? new Date(row.removed_at).toISOString() : null,
  };
}
