import { Injectable } from '@nestjs/common';
import { WITHHOLDING_BASES } from '@desk/case-workflow';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { AttachmentsService, type UploadedFile } from '../attachments/attachments.service';
import { CaseViewService } from '../cases/case-view.service';
import { DomainError, invalid, notFound } from '../common/domain-error';
import { isUuid } from '../common/text';
import type { AddRegionDto, RedactionDocumentDto, RedactionRegionDto } from '../redaction/redaction.dto';
import { EDITABLE, withholdingLabel } from '../redaction/redaction.repository';
import { RedactionService } from '../redaction/redaction.service';

/** The four numbers of a region as the form asks for them: percentages of the page's width and height, from its top-left corner. */
const EDGES = [
  { name: 'left', label: '左', of: 'width' },
  { name: 'top', label: '上', of: 'height' },
  { name: 'width', label: '宽', of: 'width' },
  { name: 'height', label: '高', of: 'height' },
] as const;

type Posted = Record<string, unknown>;

/** What the form held when it was refused: shown again as typed, with the problem beside the field. */
export interface RegionFormState {
  values: Record<string, string>;
  errors: { name: string | null; message: string }[];
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const percentOf = (part: number, whole: number) => round2((part / whole) * 100);

/**
 * The console's side of 区分处理 (Art. 37): the start page (upload the PDF to disclose, or choose one of the case's
 * PDFs), and the marking page (each page's preview; regions drawn with the mouse or typed as percentages; each with its
 * reason under Art. 14–16; the list and the log; the copy produced). The rules and the burning-in are RedactionService's.
 */
@Injectable()
export class RedactionPages {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseViewService,
    private readonly attachments: AttachmentsService,
    private readonly redactions: RedactionService,
  ) {}

  /** Whether the case page offers this user to start or continue marking: a handler who may act on a case still being handled. */
  async mayRedact(principal: Principal, caseId: string, state: string): Promise<boolean> {
    if (!principal.roles.includes('handler') || !EDITABLE(state)) return false;
    try {
      await this.cases.assertAccess(principal, caseId, 'act');
      return true;
    } catch (error) {
      if (error instanceof DomainError) return false;
      throw error;
    }
  }

  /** The case page's section: each document, its regions and log in words, and its copy. */
  async forCasePage(principal: Principal, caseId: string, state: string, documents: readonly RedactionDocumentDto[]) {
    const names = await this.displayNames(principal.agencyId, documents);
    return {
      mayRedact: await this.mayRedact(principal, caseId, state),
      documents: documents.map((document) => this.describe(document, names)),
    };
  }

  /** The start page: the case's PDFs not yet being redacted, and the documents already started. */
  async start(principal: Principal, caseId: string) {
    await this.cases.assertAccess(principal, caseId, 'act');
    const [{ case_number: caseNumber, state }]: { case_number: string; state: string }[] = await this.dataSource.query(`SELECT case_number, state FROM cases WHERE id = $1`, [caseId]);
    const files = await this.attachments.list(principal, caseId);
    const documents = await this.redactions.forCase(principal, caseId);
    const started = new Set(documents.map((document) => document.originalAttachmentId));
    return {
      caseId,
      caseNumber,
      editable: EDITABLE(state),
      pdfs: files.filter((file) => !started.has(file.id) && (file.mimeType === 'application/pdf' || /\.pdf$/i.test(file.filename))).map((file) => ({ id: file.id, filename: file.filename })),
      documents: documents.map((document) => ({ id: document.id, filename: document.filename, pages: document.pages.length, regions: document.regions.length })),
    };
  }

  /** A new redaction from an uploaded PDF (kept as the case's attachment: the original on record) or a chosen attachment. */
  async create(principal: Principal, caseId: string, posted: Posted, file: UploadedFile | undefined): Promise<string> {
    await this.cases.assertAccess(principal, caseId, 'act');
    let attachmentId = typeof posted.attachmentId === 'string' ? posted.attachmentId : '';
    if (file) {
      // Refused before it is stored: a file that is not a PDF would only clutter the case's attachments.
      if (file.buffer.subarray(0, 5).toString('latin1') !== '%PDF-') throw invalid('拟公开的文件 应为 PDF 文件');
      attachmentId = (await this.attachments.upload(principal, caseId, file)).id;
    }
    if (!isUuid(attachmentId)) throw invalid('拟公开的文件 请上传 PDF 文件，或选择本案已有的 PDF 附件');
    return (await this.redactions.create(principal, caseId, attachmentId)).id;
  }

  /** The marking page's data; `form` carries a refused region's values and problems. */
  async page(principal: Principal, id: string, form: RegionFormState | null = null) {
    const document = await this.redactions.view(principal, id);
    const [{ case_number: caseNumber }]: { case_number: string }[] = await this.dataSource.query(`SELECT case_number FROM cases WHERE id = $1`, [document.caseId]);
    const mayMark = await this.mayRedact(principal, document.caseId, document.editable ? 'handling' : 'concluded');
    const names = await this.displayNames(principal.agencyId, [document]);
    const described = this.describe(document, names);
    const values = form?.values ?? {};
    return {
      caseId: document.caseId,
      caseNumber,
      mayMark,
      document: described,
      pages: document.pages.map((page) => ({
        number: page.number,
        width: page.width,
        height: page.height,
        preview: `/staff/redactions/${document.id}/pages/${page.number}/preview`,
        regions: described.regions.filter((region) => region.page === page.number),
      })),
      errors: form?.errors ?? [],
      fieldErrors: Object.fromEntries((form?.errors ?? []).filter((error) => error.name).map((error) => [error.name, error.message])),
      pageChoices: document.pages.map((page) => ({ value: String(page.number), label: `第 ${page.number} 页`, selected: values.page === String(page.number) })),
      reasons: WITHHOLDING_BASES.map((code) => ({ value: code, label: withholdingLabel(code), selected: values.reason === code })),
      values,
    };
  }

  /** A region from the form: percentages → PDF points, rounded outwards so the box covers at least what was drawn. */
  async addRegion(principal: Principal, id: string, posted: Posted): Promise<RegionFormState | null> {
    const values = Object.fromEntries(['page', 'left', 'top', 'width', 'height', 'reason', 'note'].map((name) => [name, typeof posted[name] === 'string' ? (posted[name] as string).trim() : '']));
    const errors: RegionFormState['errors'] = [];
    const document = await this.redactions.view(principal, id);
    // Access before the form's merits: a department that only assists is refused whatever it sent.
    await this.cases.assertAccess(principal, document.caseId, 'act');
    const page = document.pages.find((candidate) => String(candidate.number) === values.page);
    if (!page) errors.push({ name: 'page', message: `页码 请选择第 1 至第 ${document.pages.length} 页之一` });
    const numbers: Record<string, number> = {};
    for (const edge of EDGES) {
      const text = values[edge.name];
      const value = Number(text);
      if (!/^\d+(\.\d+)?$/.test(text) || value > 100) errors.push({ name: edge.name, message: `${edge.label} 应为 0 到 100 之间的数字（页面${edge.of === 'width' ? '宽度' : '高度'}的百分比）` });
      else numbers[edge.name] = value;
    }
    if (numbers.width === 0) errors.push({ name: 'width', message: '宽 不能为 0' });
    if (numbers.height === 0) errors.push({ name: 'height', message: '高 不能为 0' });
    if (!(WITHHOLDING_BASES as readonly string[]).includes(values.reason)) errors.push({ name: 'reason', message: '不予公开的理由 请选择第十四条、第十五条或第十六条规定的情形之一' });
    if (values.note.length > 200) errors.push({ name: 'note', message: '说明 不能超过 200 个字' });
    if (errors.length || !page) return { values, errors };
    const points = (percent: number, whole: number, direction: 'down' | 'up') => {
      const exact = (percent / 100) * whole;
      return Math.min(whole, Math.max(0, direction === 'down' ? Math.floor(exact * 100) / 100 : Math.ceil(exact * 100) / 100));
    };
    const x = points(numbers.left, page.width, 'down');
    const y = points(numbers.top, page.height, 'down');
    const right = points(Math.min(100, numbers.left + numbers.width), page.width, 'up');
    const bottom = points(Math.min(100, numbers.top + numbers.height), page.height, 'up');
    const region: AddRegionDto = {
      page: page.number,
      x,
      y,
      width: Math.max(1, round2(right - x)),
      height: Math.max(1, round2(bottom - y)),
      reason: values.reason as AddRegionDto['reason'],
      ...(values.note ? { note: values.note } : {}),
    };
    try {
      await this.redactions.addRegion(principal, id, region);
      return null;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid') return { values, errors: [{ name: null, message: error.message }] };
      throw error;
    }
  }

  async removeRegion(principal: Principal, id: string, regionId: string): Promise<void> {
    await this.redactions.removeRegion(principal, id, regionId);
  }

  async produce(principal: Principal, id: string): Promise<void> {
    await this.redactions.produce(principal, id);
  }

  async preview(principal: Principal, id: string, page: number): Promise<Buffer> {
    if (!Number.isInteger(page) || page < 1) throw notFound('没有这一页');
    return this.redactions.preview(principal, id, page);
  }

  /** A document in words: regions numbered as on the page, positions as percentages, people by their names. */
  private describe(document: RedactionDocumentDto, names: ReadonlyMap<string, string>) {
    const region = (entry: RedactionRegionDto, index: number) => {
      const page = document.pages[entry.page - 1];
      const box = { left: percentOf(entry.x, page.width), top: percentOf(entry.y, page.height), width: percentOf(entry.width, page.width), height: percentOf(entry.height, page.height) };
      return {
        ...entry,
        number: index + 1,
        box,
        position: `左 ${box.left}%、上 ${box.top}%、宽 ${box.width}%、高 ${box.height}%`,
        createdByName: names.get(entry.createdBy) ?? entry.createdBy,
        removedByName: entry.removedBy ? (names.get(entry.removedBy) ?? entry.removedBy) : null,
      };
    };
    const regions = document.regions.map(region);
    const numbers = new Map(regions.map((entry) => [entry.id, entry.number]));
    return {
      id: document.id,
      filename: document.filename,
      pageCount: document.pages.length,
      originalSha256: document.originalSha256,
      editable: document.editable,
      regions,
      log: document.log.map((entry, index) => ({ ...region(entry, index), number: numbers.get(entry.id) ?? null })),
      copy: document.copy ? { ...document.copy, sha256short: document.copy.sha256.slice(0, 16), producedByName: names.get(document.copy.producedBy) ?? document.copy.producedBy, href: `/staff/redactions/${document.id}/copy.pdf` } : null,
      // The reply may go out only with a copy made from the marks as they stand (RedactionRepository.summaryForDecision).
      copyNeeded: regions.length > 0 && (!document.copy || !document.copy.current),
    };
  }

  /** Usernames in the log as the office knows them: by display name. */
  private async displayNames(agencyId: string, documents: readonly RedactionDocumentDto[]): Promise<Map<string, string>> {
    const usernames = [
      ...new Set(documents.flatMap((document) => [...document.log.flatMap((entry) => [entry.createdBy, ...(entry.removedBy ? [entry.removedBy] : [])]), ...(document.copy ? [document.copy.producedBy] : [])])),
    ];
    if (!usernames.length) return new Map();
    const rows: { username: string; display_name: string }[] = await this.dataSource.query(`SELECT username, display_name FROM users WHERE agency_id = $1 AND username = ANY($2)`, [agencyId, usernames]);
    return new Map(rows.map((row) => [row.username, row.display_name]));
  }
}
