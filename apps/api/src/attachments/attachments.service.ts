import { createHash } from 'node:crypto';
import { ATTACHMENT_KIND_TERMS, labelOf } from '@desk/vocabulary';
import { Injectable } from '@nestjs/common';
import { isUuid } from '../common/text';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { invalid, notFound } from '../common/domain-error';
import { CaseViewService } from '../cases/case-view.service';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface UploadedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** Evidence files of a case (search records, answers, receipts), stored with their SHA-256. */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseViewService,
  ) {}

  async upload(principal: Principal, caseId: string, file: UploadedFile | undefined) {
    // Access first: a case outside the user's scope answers 404 (403 for a department that only assists) whatever is sent.
    await this.cases.assertAccess(principal, caseId, 'act');
    if (!file || !file.size) throw invalid('请选择要上传的文件');
    return this.store(this.dataSource.manager, caseId, file, principal.userId);
  }

  /** Keep a file on a case, in the caller's transaction (desk intake stores the scanned pages with the new case). */
  async store(manager: EntityManager, caseId: string, file: UploadedFile, userId: string | null) {
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    // multer reads the name as latin1; browsers send UTF-8.
    const filename = Buffer.from(file.originalname, 'latin1').toString('utf8').slice(0, 200);
    const [row]: { id: string; created_at: Date }[] = await manager.query(
      `INSERT INTO attachments (case_id, filename, mime_type, size_bytes, sha256, content, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, created_at`,
      [caseId, filename, file.mimetype || 'application/octet-stream', file.size, sha256, file.buffer, userId],
    );
    return { id: row.id, filename, mimeType: file.mimetype, sizeBytes: file.size, sha256, uploadedAt: row.created_at };
  }

  /**
   * The case's files; what the applicant sent online says so (and what it is: identity copy, 授权委托书, supplement), and
   * what a platform sent names the platform's client (`importedFrom`).
   */
  async list(principal: Principal, caseId: string) {
    await this.cases.assertAccess(principal, caseId);
    const rows: {
      id: string;
      filename: string;
      mimeType: string;
      sizeBytes: number;
      sha256: string;
      uploadedBy: string | null;
      uploadedAt: Date;
      kind: string | null;
      fromApplicant: boolean;
      importedFrom: string | null;
    }[] = await this.dataSource.query(
      `SELECT a.id, a.filename, a.mime_type AS "mimeType", a.size_bytes AS "sizeBytes", a.sha256, u.username AS "uploadedBy", a.created_at AS "uploadedAt",
              a.kind, a.from_applicant AS "fromApplicant", cl.name AS "importedFrom"
         FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by LEFT JOIN api_clients cl ON cl.id = a.imported_by_client_id
        WHERE a.case_id = $1 ORDER BY a.created_at`,
      [caseId],
    );
    return rows.map((row) => ({ ...row, kindLabel: row.kind ? labelOf(ATTACHMENT_KIND_TERMS, row.kind) : '本机关材料', uploadedBy: row.fromApplicant ? '申请人（网上提交）' : row.uploadedBy }));
  }

  async download(principal: Principal, id: string, address: string): Promise<{ filename: string; mimeType: string; content: Buffer }> {
    const [row]: { case_id: string; filename: string; mime_type: string; content: Buffer }[] = isUuid(id)
      ? await this.dataSource.query(`SELECT case_id, filename, mime_type, content FROM attachments WHERE id = $1`, [id])
      : [];
    if (!row) throw notFound(`没有编号为 ${id} 的附件`);
    await this.cases.recordAccess(principal, row.case_id, { action: 'download_attachment', detail: `${id} ${row.filename}`, address });
    return { filename: row.filename, mimeType: row.mime_type, content: row.content };
  }
}
