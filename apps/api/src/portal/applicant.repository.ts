import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DisclosedFileEntry } from '@desk/letters';
import { DataSource, type EntityManager } from 'typeorm';
import { issuedToApplicant } from '../letters/letters.service';

/** A file the applicant sends online: an identity copy, a 授权委托书, a supplement's material. */
export interface ApplicantFile {
  kind: 'identity_copy' | 'authorisation' | 'supplement';
  filename: string;
  mimeType: string;
  content: Buffer;
}

export interface ApplicantLetter {
  id: string;
  kind: string;
  title: string;
  number: string | null;
  issuedAt: string;
}

export interface NotificationPreferences {
  email: boolean;
  sms: boolean;
}

/** The SQL of the applicant's side (CONVENTIONS 15): files sent and received online, letters to the applicant, opt-ins. */
@Injectable()
export class ApplicantRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Files the applicant sent, stored as the case's attachments with their kind and SHA-256; their ids. */
  async addFiles(manager: EntityManager, caseId: string, files: readonly ApplicantFile[]): Promise<string[]> {
    const ids: string[] = [];
    for (const file of files) {
      const sha256 = createHash('sha256').update(file.content).digest('hex');
      const [row]: { id: string }[] = await manager.query(
        `INSERT INTO attachments (case_id, filename, mime_type, size_bytes, sha256, content, uploaded_by, kind, from_applicant)
         VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, true) RETURNING id`,
        [caseId, file.filename, file.mimeType, file.content.length, sha256, file.content, file.kind],
      );
      ids.push(row.id);
    }
    return ids;
  }

  async savePreferences(manager: EntityManager, caseId: string, preferences: NotificationPreferences): Promise<void> {
    await manager.query(`INSERT INTO applicant_preferences (case_id, notify_email, notify_sms) VALUES ($1, $2, $3)`, [caseId, preferences.email, preferences.sms]);
  }

  async preferences(manager: EntityManager, caseId: string): Promise<NotificationPreferences | null> {
    const [row]: { notify_email: boolean; notify_sms: boolean }[] = await manager.query(`SELECT notify_email, notify_sms FROM applicant_preferences WHERE case_id = $1`, [caseId]);
    return row ? { email: row.notify_email, sms: row.notify_sms } : null;
  }

  /** The letters issued to the applicant, in their order (the third party's and other agencies' are not the applicant's). */
  async letters(caseId: string): Promise<ApplicantLetter[]> {
    return this.dataSource.query(
      `SELECT l.id, l.kind, l.data->>'title' AS title, l.number, to_char(l.issued_at, 'YYYY-MM-DD') AS "issuedAt"
         FROM letters l WHERE l.case_id = $1 AND ${issuedToApplicant('l')} ORDER BY l.seq`,
      [caseId],
    );
  }

  /** One issued letter of the applicant's, or null. */
  async letter(caseId: string, letterId: string): Promise<ApplicantLetter | null> {
    const [row]: ApplicantLetter[] = await this.dataSource.query(
      `SELECT l.id, l.kind, l.data->>'title' AS title, l.number, to_char(l.issued_at, 'YYYY-MM-DD') AS "issuedAt"
         FROM letters l WHERE l.case_id = $1 AND l.id = $2 AND ${issuedToApplicant('l')}`,
      [caseId, letterId],
    );
    return row ?? null;
  }

  /**
   * The files given with the issued replies (Art. 40), as each reply lists them: what the applicant may download. A file
   * named in a draft that was returned, or in a reply not yet issued, is not given.
   */
  async disclosedFiles(caseId: string): Promise<DisclosedFileEntry[]> {
    const rows: { files: DisclosedFileEntry[] | null }[] = await this.dataSource.query(
      `SELECT l.data->'facts'->'disclosedFiles' AS files FROM letters l
        WHERE l.case_id = $1 AND l.kind IN ('reply', 'correction_reply') AND ${issuedToApplicant('l')} ORDER BY l.seq`,
      [caseId],
    );
    const files = rows.flatMap((row) => (Array.isArray(row.files) ? row.files : []));
    return files.filter((file, index) => files.findIndex((other) => other.id === file.id) === index);
  }

  /** The bytes of a case's attachment. */
  async fileContent(caseId: string, id: string): Promise<{ filename: string; mimeType: string; content: Buffer } | null> {
    const [row]: { filename: string; mime_type: string; content: Buffer }[] = await this.dataSource.query(
      `SELECT filename, mime_type, content FROM attachments WHERE case_id = $1 AND id = $2`,
      [caseId, id],
    );
    return row ? { filename: row.filename, mimeType: row.mime_type, content: row.content } : null;
  }

  /** Holds the case's row until the transaction ends: one first download is recorded as service, not two. */
  async lockCase(manager: EntityManager, caseId: string): Promise<void> {
    await manager.query(`SELECT id FROM cases WHERE id = $1 FOR UPDATE`, [caseId]);
  }
}
