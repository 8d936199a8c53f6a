import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { notFound } from '../common/domain-error';
import { isUuid } from '../common/text';
import { PublicTrackingService } from '../public/public-tracking.service';

export class PublicRedactedCopyDto {
  @ApiProperty({ description: '部分公开文本编号' }) id!: string;
  @ApiProperty({ description: '文件名' }) filename!: string;
  @ApiProperty({ description: 'SHA-256' }) sha256!: string;
  @ApiProperty({ description: '下载地址（须附查询码）' }) path!: string;
}

/**
 * What an applicant may download of a partial disclosure (Art. 37, 40): the redacted copies that went with the issued
 * reply, when the applicant chose to obtain the information online (网上获取). The same case number, 查询码 and
 * throttles as tracking. Only redaction_copies is read: an original can never be reached from here.
 */
@Injectable()
export class PublicRedactedCopiesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tracking: PublicTrackingService,
  ) {}

  /** The copies the applicant may have: those disclosed with an issued reply, where the applicant chose online delivery. */
  async disclosed(caseId: string) {
    const rows: { id: string; filename: string; sha256: string; size_bytes: number }[] = await this.dataSource.query(
      `SELECT k.id, a.filename, k.sha256, k.size_bytes
         FROM redaction_copies k
         JOIN redaction_documents d ON d.id = k.document_id
         JOIN attachments a ON a.id = d.original_attachment_id
         JOIN letters l ON l.id = k.reply_letter_id AND l.status = 'issued'
         JOIN cases c ON c.id = d.case_id
        WHERE d.case_id = $1 AND c.delivery_form = 'online'
        ORDER BY k.produced_at`,
      [caseId],
    );
    return rows.map((row) => ({ id: row.id, sha256: row.sha256, sizeBytes: Number(row.size_bytes), filename: `${row.filename.replace(/\.pdf$/i, '')}（部分公开）.pdf` }));
  }

  /** One disclosed copy's bytes (the portal's signed link); anything else, and any original, is not found. */
  async content(caseId: string, copyId: string): Promise<{ body: Buffer; contentType: string; filename: string } | null> {
    const copy = isUuid(copyId) ? (await this.disclosed(caseId)).find((entry) => entry.id === copyId) : undefined;
    if (!copy) return null;
    const [row]: { content: Buffer }[] = await this.dataSource.query(`SELECT content FROM redaction_copies WHERE id = $1`, [copyId]);
    return { body: row.content, contentType: 'application/pdf', filename: copy.filename };
  }

  async list(caseNumber: string, queryCode: string | undefined, address: string): Promise<PublicRedactedCopyDto[]> {
    const caseId = (await this.tracking.authorised(caseNumber, queryCode, address)).id;
    return (await this.disclosed(caseId)).map((copy) => ({ id: copy.id, filename: copy.filename, sha256: copy.sha256, path: `/api/public/applications/${encodeURIComponent(caseNumber)}/redacted-copies/${copy.id}` }));
  }

  async download(caseNumber: string, queryCode: string | undefined, address: string, copyId: string) {
    const caseId = (await this.tracking.authorised(caseNumber, queryCode, address)).id;
    const copy = (await this.disclosed(caseId)).find((entry) => entry.id === copyId);
    if (!copy || !isUuid(copyId)) throw notFound('没有这份文件');
    const [row]: { content: Buffer }[] = await this.dataSource.query(`SELECT content FROM redaction_copies WHERE id = $1`, [copyId]);
    return { body: row.content, contentType: 'application/pdf', filename: copy.filename, sha256: copy.sha256 };
  }
}
