import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { OUTCOME_INFO, type WithholdingBasis } from '@desk/case-workflow';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { CaseViewService } from '../cases/case-view.service';
import { conflict, invalid, notFound } from '../common/domain-error';
import { isUuid } from '../common/text';
import type { AddRegionDto, RedactionDocumentDto } from './redaction.dto';
import { pagePreviewPng, pdfPageSizes, redactedPdf } from './redacted-pdf';
import { EDITABLE, RedactionRepository, withholdingLabel, type DocumentRow } from './redaction.repository';


/**
 * 区分处理 (Art. 37): the handler marks regions on a PDF to disclose, each with its legal reason (Art. 14–16), and the desk
 * produces the copy with the regions burned in. The original stays on record as the case's attachment and is never
 * served on a public route; the regions (kept when removed: the redaction log) are part of the case and of the
 * evidence bundle.
 */
@Injectable()
export class RedactionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseViewService,
    private readonly repository: RedactionRepository,
  ) {}

  async create(principal: Principal, caseId: string, attachmentId: string): Promise<RedactionDocumentDto> {
    await this.cases.assertAccess(principal, caseId, 'act');
    const [attachment]: { id: string; content: Buffer; state: string }[] = await this.dataSource.query(
      `SELECT a.id, a.content, c.state FROM attachments a JOIN cases c ON c.id = a.case_id WHERE a.id = $1 AND a.case_id = $2`,
      [attachmentId, caseId],
    );
    if (!attachment) throw invalid('拟公开的文件 本案没有这个附件，请先上传');
    if (!EDITABLE(attachment.state)) throw conflict('案件不在办理中，不能再作区分处理');
    const pages = await pdfPageSizes(attachment.content);
    if (!pages) throw invalid('拟公开的文件 应为可以打开的 PDF 文件（未加密）');
    const [existing]: { id: string }[] = await this.dataSource.query(`SELECT id FROM redaction_documents WHERE original_attachment_id = $1`, [attachmentId]);
    if (existing) throw conflict('这个文件已经在作区分处理');
    const [row]: { id: string }[] = await this.dataSource.query(
      `INSERT INTO redaction_documents (case_id, original_attachment_id, pages, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
      [caseId, attachmentId, JSON.stringify(pages), principal.userId],
    );
    return this.view(principal, row.id);
  }

  async forCase(principal: Principal, caseId: string): Promise<RedactionDocumentDto[]> {
    await this.cases.assertAccess(principal, caseId);
    return this.repository.documentsOf(caseId);
  }


  async view(principal: Principal, id: string): Promise<RedactionDocumentDto> {
    const document = await this.document(id);
    await this.cases.assertAccess(principal, document.case_id);
    return this.repository.describe(id);
  }

  async preview(principal: Principal, id: string, page: number): Promise<Buffer> {
    const document = await this.document(id);
    await this.cases.assertAccess(principal, document.case_id);
    if (page > document.pages.length) throw notFound(`文件只有 ${document.pages.length} 页`);
    return pagePreviewPng(await this.original(document), page);
  }

  async addRegion(principal: Principal, id: string, region: AddRegionDto): Promise<RedactionDocumentDto> {
    return this.change(principal, id, async (manager, document) => {
      const page = document.pages[region.page - 1];
      if (!page) throw invalid(`页码 文件只有 ${document.pages.length} 页`);
      if (region.x + region.width > page.width + 0.01 || region.y + region.height > page.height + 0.01) {
        throw invalid(`遮盖区域超出了第 ${region.page} 页（页面宽 ${page.width}、高 ${page.height} 点）`);
      }
      await manager.query(
        `INSERT INTO redaction_regions (document_id, page, x, y, width, height, reason, note, created_by, created_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [id, region.page, region.x, region.y, region.width, region.height, region.reason, region.note ?? null, principal.userId, principal.username],
      );
    });
  }

  async removeRegion(principal: Principal, id: string, regionId: string): Promise<RedactionDocumentDto> {
    return this.change(principal, id, async (manager) => {
      const removed: unknown[] = isUuid(regionId)
        ? await manager.query(
            `UPDATE redaction_regions SET removed_by = $3, removed_by_name = $4, removed_at = now() WHERE id = $2 AND document_id = $1 AND removed_at IS NULL RETURNING id`,
            [id, regionId, principal.userId, principal.username],
          )
        : [];
      if (!removed.length) throw notFound('没有这个遮盖区域');
    });
  }

  /** Produce the redacted copy from the regions now marked; kept with the revision it was made from. */
  async produce(principal: Principal, id: string): Promise<RedactionDocumentDto> {
    const document = await this.document(id);
    await this.cases.assertAccess(principal, document.case_id, 'act');
    await this.dataSource.transaction(async (manager) => {
      const [locked]: DocumentRow[] = await manager.query(`SELECT * FROM redaction_documents WHERE id = $1 FOR UPDATE`, [id]);
      const regions = await this.repository.regions(id, manager, false);
      if (!regions.length) throw conflict('还没有标记不予公开的区域');
      const [{ state }] = await manager.query(`SELECT state FROM cases WHERE id = $1`, [locked.case_id]);
      if (!EDITABLE(state)) throw conflict('案件不在办理中，不能再生成部分公开文本');
      const boxes = regions.map((region) => ({
        page: region.page,
        x: Number(region.x),
        y: Number(region.y),
        width: Number(region.width),
        height: Number(region.height),
        label: `不予公开：${withholdingLabel(region.reason)}`,
        shortLabel: OUTCOME_INFO[region.reason as WithholdingBasis]?.legalBasis ?? '不予公开',
      }));
      const pdf = await redactedPdf(await this.original(document), locked.pages, boxes);
      await manager.query(
        `INSERT INTO redaction_copies (document_id, revision, content, sha256, size_bytes, produced_by, produced_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, locked.revision, pdf, createHash('sha256').update(pdf).digest('hex'), pdf.length, principal.userId, principal.username],
      );
    });
    return this.repository.describe(id);
  }

  /** The latest copy (staff). */
  async copy(principal: Principal, id: string, address: string) {
    const document = await this.document(id);
    await this.cases.recordAccess(principal, document.case_id, { action: 'download_attachment', detail: `部分公开文本 ${id}`, address });
    const [copy]: { content: Buffer; sha256: string }[] = await this.dataSource.query(
      `SELECT content, sha256 FROM redaction_copies WHERE document_id = $1 ORDER BY produced_at DESC, revision DESC LIMIT 1`,
      [id],
    );
    if (!copy) throw notFound('还没有生成部分公开文本');
    return { body: copy.content, contentType: 'application/pdf', filename: `${document.filename.replace(/\.pdf$/i, '')}（部分公开）.pdf`, sha256: copy.sha256 };
  }

  private async change(principal: Principal, id: string, work: (manager: EntityManager, document: DocumentRow) => Promise<void>): Promise<RedactionDocumentDto> {
    const document = await this.document(id);
    await this.cases.assertAccess(principal, document.case_id, 'act');
    await this.dataSource.transaction(async (manager) => {
      // One change at a time per document: the revision counts them.
      const [locked]: DocumentRow[] = await manager.query(`SELECT * FROM redaction_documents WHERE id = $1 FOR UPDATE`, [id]);
      const [{ state }] = await manager.query(`SELECT state FROM cases WHERE id = $1`, [locked.case_id]);
      if (!EDITABLE(state)) throw conflict('案件不在办理中，遮盖标记不能再改动');
      await work(manager, locked);
      await manager.query(`UPDATE redaction_documents SET revision = revision + 1 WHERE id = $1`, [id]);
    });
    return this.repository.describe(id);
  }

  private async document(id: string): Promise<DocumentRow> {
    const [row]: DocumentRow[] = isUuid(id)
      ? await this.dataSource.query(
          `SELECT d.*, a.filename, a.sha256, c.state FROM redaction_documents d JOIN attachments a ON a.id = d.original_attachment_id JOIN cases c ON c.id = d.case_id WHERE d.id = $1`,
          [id],
        )
      : [];
    if (!row) throw notFound(`没有编号为 ${id} 的区分处理文件`);
    return row;
  }

  private async original(document: DocumentRow): Promise<Buffer> {
    const [row]: { content: Buffer }[] = await this.dataSource.query(`SELECT content FROM attachments WHERE id = $1`, [document.original_attachment_id]);
    return row.content;
  }

}

