import { labelOf, POSTAL_SERVICE_TERMS, SERVICE_METHOD_TERMS } from '@desk/vocabulary';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { Injectable } from '@nestjs/common';
import { Zip, ZipPassThrough } from 'fflate';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { RedactionRepository } from '../redaction/redaction.repository';
import { CaseViewService } from '../cases/case-view.service';
import { documentPdf } from '../letters/letter-layout';
import { DisputesService } from './disputes.service';

// The order a court reads the agency's evidence (法释〔2011〕17号 Art. 5: the agency proves its procedure, time limits and
// reasons): the application and its receipt, 补正, consultations, the search, extension and fees, the reply and its service,
// and the whole record of the case.
const GROUPS: Record<string, { rank: number; proves: string }> = {
  receipt: { rank: 1, proves: '收到申请及收到日期（条例第三十一条）' },
  supplement_notice: { rank: 2, proves: '一次性告知补正及补正期限（第三十条）' },
  third_party_consultation: { rank: 3, proves: '征求第三方意见（第三十二条）' },
  consultation_notice: { rank: 3, proves: '告知申请人征求意见期间不计入答复期限（第三十三条第三款）' },
  agency_consultation: { rank: 3, proves: '征求其他机关意见（第三十四条）' },
  attachment: { rank: 4, proves: '检索及调查情况（最高人民法院指导案例101号）' },
  extension_notice: { rank: 5, proves: '延长答复期限经负责人同意并告知（第三十三条第二款）' },
  delay_notice: { rank: 5, proves: '确定延迟答复期限（第三十五条）' },
  reasons_request: { rank: 5, proves: '要求说明理由（第三十五条）' },
  fee_notice: { rank: 5, proves: '收费依据、标准和金额（国办函〔2020〕109号）' },
  reply: { rank: 6, proves: '答复内容、理由、法律依据及救济途径（第三十六条至第三十九条）' },
  correction_reply: { rank: 6, proves: '更正申请的处理（第四十一条）' },
  disclosure_decision_notice: { rank: 6, proves: '书面告知第三方决定公开的内容和理由及救济途径（第三十二条）' },
  supplement_lapse_notice: { rank: 6, proves: '逾期未补正视为放弃申请、不再处理的告知（第三十条）' },
  fee_lapse_notice: { rank: 6, proves: '逾期未缴费视为放弃申请、不再处理的告知（国办函〔2020〕109号）' },
};

interface Entry {
  rank: number;
  order: number;
  name: string;
  description: string;
  date: string;
  proves: string;
  /** Read when the entry is written, so only one file of the bundle is in memory at a time. */
  content: () => Promise<Uint8Array>;
}

/** The bundle's name and a way to write it: the index first, then each file, read and written one after another. */
export interface EvidenceBundle {
  filename: string;
  writeTo(output: Writable): Promise<void>;
}

// Written in slices with a turn of the event loop between them: a bundle of many megabytes never holds up other requests.
const SLICE_BYTES = 256 * 1024;

const safe = (text: string) => text.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80);

/** The evidence bundle of a dispute: one ZIP with a PDF index, in the order a court reads it. */
@Injectable()
export class EvidenceBundleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly disputes: DisputesService,
    private readonly cases: CaseViewService,
    private readonly calendars: CalendarService,
    private readonly redactions: RedactionRepository,
  ) {}

  /**
   * The files are stored, not deflated: PDFs and scans are compressed already, and deflating tens of megabytes in the
   * request's event loop stalled every other request (the bundle was built whole in memory with zipSync first).
   */
  async bundle(principal: Principal, disputeId: string, address: string): Promise<EvidenceBundle> {
    const dispute = await this.disputes.byId(principal, disputeId);
    await this.cases.recordAccess(principal, dispute.caseId, { action: 'export_evidence_bundle', detail: disputeId, address });
    const view = await this.cases.view(principal, dispute.caseId, null); // recorded above as the export
    const today = this.calendars.today();
    const entries: Entry[] = [];

    const application = [
      `案件编号：${view.caseNumber}`,
      `申请人：${view.applicant.name}（${view.applicant.idType} ${view.applicant.idNumber}）`,
      `收到渠道：${view.channel}`,
      `提交时间：${view.submittedAt}`,
      `收到申请之日：${view.receivedAt ?? '—'}`,
      `申请内容：${view.description}`,
      `获取信息的方式：${view.deliveryForm}`,
    ];
    entries.push({ rank: 1, order: 0, name: '申请登记表.pdf', description: '政府信息公开申请登记表', date: view.receivedAt ?? today, proves: '申请的内容和收到日期', content: () => documentPdf('政府信息公开申请登记表', application, today) });

    const letters: { id: string; seq: string; kind: string; title: string; number: string; issued_at: string }[] = await this.dataSource.query(
      `SELECT id, seq::text, kind, data->>'title' AS title, number, to_char(issued_at, 'YYYY-MM-DD') AS issued_at
         FROM letters WHERE case_id = $1 AND status = 'issued' ORDER BY seq`,
      [dispute.caseId],
    );
    const services = view.events.filter((event) => event.type === 'RECORD_SERVICE');
    for (const letter of letters) {
      const group = GROUPS[letter.kind] ?? { rank: 6, proves: '' };
      const service =
        letter.kind === 'reply' || letter.kind === 'correction_reply'
          ? services
              .map(
                (event) =>
                  `；送达：${labelOf(SERVICE_METHOD_TERMS, String(event.method))}${event.postalService ? `，${labelOf(POSTAL_SERVICE_TERMS, String(event.postalService))}` : ''} ${event.at}` +
                  `${event.trackingNumber ? ` 邮件号 ${String(event.trackingNumber)}` : ''}${event.recipient ? ` 签收人 ${String(event.recipient)}` : ''}`,
              )
              .join('')
          : '';
      entries.push({
        rank: group.rank,
        order: Number(letter.seq),
        name: `${safe(letter.title)}_${safe(letter.number)}.pdf`,
        description: `${letter.title}（${letter.number}）${service}`,
        date: letter.issued_at,
        proves: group.proves,
        content: () => this.bytes(`SELECT content_pdf AS content FROM letters WHERE id = $1`, letter.id),
      });
    }
    // The original of a document disclosed in part is not in the bundle the other party sees: it is kept on record and
    // produced to the court alone on request (法释〔2011〕17号第六条). Its redacted copy and the redaction log are.
    const attachments: { id: string; filename: string; created: string; sha256: string }[] = await this.dataSource.query(
      `SELECT id, filename, to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS created, sha256 FROM attachments a
        WHERE case_id = $1 AND NOT EXISTS (SELECT 1 FROM redaction_documents d WHERE d.original_attachment_id = a.id) ORDER BY created_at`,
      [dispute.caseId],
    );
    attachments.forEach((attachment, index) =>
      entries.push({
        rank: GROUPS.attachment.rank,
        order: index,
        name: safe(attachment.filename),
        description: `附件：${attachment.filename}（SHA-256 ${attachment.sha256.slice(0, 16)}…）`,
        date: attachment.created,
        proves: GROUPS.attachment.proves,
        content: () => this.bytes(`SELECT content FROM attachments WHERE id = $1`, attachment.id),
      }),
    );
    const redactions = await this.redactions.documentsOf(dispute.caseId);
    redactions.forEach((document, index) => {
      const copy = document.copy;
      const lines = [
        `文件：${document.filename}（原件 SHA-256 ${document.originalSha256}；原件留存在案，可依法释〔2011〕17号第六条向人民法院单独提交）`,
        `部分公开文本：${copy ? `SHA-256 ${copy.sha256}，${copy.producedBy} 于 ${copy.producedAt.slice(0, 10)} 生成${copy.disclosed ? '，已随答复书提供' : ''}` : '尚未生成'}`,
        '',
        '遮盖区域（页码；位置：左、上、宽、高，单位为点；理由；说明；标记人、时间；撤销人、时间）：',
        ...document.log.map(
          (region, position) =>
            `${position + 1}. 第${region.page}页；${region.x}、${region.y}、${region.width}、${region.height}；${region.reasonLabel}；${region.note ?? '—'}；${region.createdBy} ${region.createdAt.slice(0, 19).replace('T', ' ')}` +
            (region.removedAt ? `；已由 ${region.removedBy} 于 ${region.removedAt.slice(0, 19).replace('T', ' ')} 撤销` : ''),
        ),
      ];
      entries.push({
        rank: GROUPS.attachment.rank,
        order: 1000 + index * 2,
        name: `区分处理记录_${safe(document.filename)}.pdf`,
        description: `区分处理记录：${document.filename}（遮盖区域 ${document.regions.length} 处及其理由、标记人和时间）`,
        date: copy?.producedAt.slice(0, 10) ?? today,
        proves: '部分公开的区分处理及每处不予公开的理由（第三十七条）',
        content: () => documentPdf(`区分处理记录（${view.caseNumber}）`, lines, today),
      });
      if (copy) {
        entries.push({
          rank: GROUPS.attachment.rank,
          order: 1001 + index * 2,
          name: `部分公开文本_${safe(document.filename)}`,
          description: `部分公开文本：${document.filename}（SHA-256 ${copy.sha256.slice(0, 16)}…）`,
          date: copy.producedAt.slice(0, 10),
          proves: '向申请人提供的部分公开文本',
          content: () => this.bytes(`SELECT content FROM redaction_copies WHERE id = $1`, copy.id),
        });
      }
    });
    const log = view.events.map((event) => {
      const { sequence, type, at, by, recordedAt: _recordedAt, ...payload } = event;
      return `${String(sequence).padStart(3, '0')}  ${at}  ${type}  ${by}  ${JSON.stringify(payload)}`;
    });
    entries.push({ rank: 7, order: 0, name: '办理过程记录.pdf', description: '案件办理过程记录（事件日志，含每一步的日期和经办人）', date: today, proves: '办理程序及各项期限', content: () => documentPdf(`办理过程记录（${view.caseNumber}）`, log, today) });

    entries.sort((a, b) => a.rank - b.rank || a.order - b.order);
    const index: string[] = [
      `案件：${view.caseNumber}`,
      `争议：${dispute.kind === 'review' ? '行政复议' : '行政诉讼'}　${dispute.body}　${dispute.reference ?? ''}　申请/起诉日期 ${dispute.filedAt}`,
      `答复/答辩期限：${dispute.answerDueDate ?? '—'}`,
      '',
    ];
    const files: { name: string; content: () => Promise<Uint8Array> }[] = [{ name: '00-证据目录.pdf', content: () => documentPdf('证据目录', index, today) }];
    entries.forEach((entry, position) => {
      const number = String(position + 1).padStart(2, '0');
      files.push({ name: `${number}-${entry.name}`, content: entry.content });
      index.push(`${number}　${entry.description}　（${entry.date}）　证明：${entry.proves}`);
    });
    return { filename: `${view.caseNumber}-证据材料.zip`, writeTo: (output) => writeZip(files, output) };
  }

  private async bytes(sql: string, id: string): Promise<Uint8Array> {
    const [row]: { content: Buffer }[] = await this.dataSource.query(sql, [id]);
    return row.content;
  }
}

/** A stored (uncompressed) ZIP written to `output` file by file, slice by slice, waiting whenever the socket is full. */
async function writeZip(files: readonly { name: string; content: () => Promise<Uint8Array> }[], output: Writable): Promise<void> {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else chunks.push(chunk);
  });
  const flush = async () => {
    if (failure) throw failure;
    for (const chunk of chunks.splice(0)) {
      if (output.destroyed) throw new Error('the client went away before the evidence bundle was complete');
      if (!output.write(chunk)) await once(output, 'drain');
    }
  };
  for (const file of files) {
    const content = await file.content();
    const entry = new ZipPassThrough(file.name);
    zip.add(entry);
    if (content.length === 0) entry.push(content, true);
    for (let offset = 0; offset < content.length; offset += SLICE_BYTES) {
      entry.push(content.subarray(offset, offset + SLICE_BYTES), offset + SLICE_BYTES >= content.length);
      await flush();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  zip.end();
  await flush();
  output.end();
}
