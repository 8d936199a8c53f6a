import { Injectable } from '@nestjs/common';
import { isoDateToChinese } from '@desk/calendar';
import { labelOf, SERVICE_METHOD_TERMS } from '@desk/vocabulary';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { conflict } from '../common/domain-error';
import { CalendarService } from '../calendar/calendar.service';
import { formDocx, formPdf, type FormDocument } from '../documents/form-document';
import { CaseViewService } from './case-view.service';

export type CertifiedMethod = 'direct' | 'delegated';

/** The methods a 送达回证 is signed for (国办公开办函〔2016〕235号第一条); postal service proves itself by the 邮件号. */
export const CERTIFIED_METHOD_TERMS = SERVICE_METHOD_TERMS.filter((term): term is Extract<(typeof SERVICE_METHOD_TERMS)[number], { code: CertifiedMethod }> => term.code === 'direct' || term.code === 'delegated');

const CONTENT_TYPES = { pdf: 'application/pdf', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' } as const;

// ■ and □ are in GB 2312 and in the letters' font (☑ is not).
const box = (checked: boolean) => (checked ? '■' : '□');
const BLANK_DATE = '　　　　年　　月　　日';

/**
 * 送达回证: the service certificate of direct and delegated service (国办公开办函〔2016〕235号第一条、第四条). Printed
 * from the case before the reply is taken out — the document served and its 文号, the addressee, the place, the method
 * — with lines for the recipient's and the server's signatures and the date signed for; once RECORD_SERVICE records the
 * service, the certificate prints what was recorded (the signed paper is its proof, uploaded with the event).
 */
@Injectable()
export class ServiceCertificateService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseViewService,
    private readonly calendars: CalendarService,
  ) {}

  async certificate(principal: Principal, caseId: string, options: { method?: CertifiedMethod; format: 'pdf' | 'docx' }, address: string) {
    await this.cases.recordAccess(principal, caseId, { action: 'view_letter', detail: `送达回证 ${options.format}`, address });
    const [row]: { case_number: string; applicant_name: string; applicant_address: string | null; agency: string }[] = await this.dataSource.query(
      `SELECT c.case_number, c.applicant_name, c.applicant_address, a.name AS agency FROM cases c JOIN agencies a ON a.id = c.agency_id WHERE c.id = $1`,
      [caseId],
    );
    const [reply]: { title: string; number: string; issued_at: string }[] = await this.dataSource.query(
      `SELECT data->>'title' AS title, number, to_char(issued_at, 'YYYY-MM-DD') AS issued_at FROM letters
        WHERE case_id = $1 AND kind IN ('reply', 'correction_reply') AND status = 'issued' ORDER BY seq DESC LIMIT 1`,
      [caseId],
    );
    if (!reply) throw conflict('本案尚未出具答复书，没有可送达的文书');
    const [served]: { at: string; payload: Record<string, string> }[] = await this.dataSource.query(
      `SELECT to_char(at, 'YYYY-MM-DD') AS at, payload FROM case_events
        WHERE case_id = $1 AND type = 'RECORD_SERVICE' AND payload->>'method' IN ('direct', 'delegated') ORDER BY sequence DESC LIMIT 1`,
      [caseId],
    );
    const method: CertifiedMethod = (served?.payload.method as CertifiedMethod | undefined) ?? options.method ?? 'direct';
    const recorded = served ? served.payload : null;
    const form: FormDocument = {
      title: `${row.agency}\n送达回证`,
      rows: [
        { label: '送达文书名称及文号', value: `《${reply.title}》（${reply.number}）` },
        { label: '案件编号', value: row.case_number },
        { label: '受送达人', value: row.applicant_name },
        { label: '送达地点', value: recorded?.place ?? row.applicant_address ?? '', lines: 2 },
        {
          label: '送达方式',
          value:
            `${box(method === 'direct')}${labelOf(SERVICE_METHOD_TERMS, 'direct')}　${box(method === 'delegated')}${labelOf(SERVICE_METHOD_TERMS, 'delegated')}` +
            (method === 'delegated' ? `（受委托机关：${recorded?.delegatedTo ?? '　　　　　　　　'}）` : ''),
        },
        { label: '受送达人签收', value: `${recorded?.recipient ? `签收人：${recorded.recipient}\n` : ''}（签名或盖章）\n签收日期：${served ? isoDateToChinese(served.at) : BLANK_DATE}`, lines: 4 },
        { label: '代收人及代收理由', value: '', lines: 2 },
        { label: '送达人', value: `${recorded?.server ? `${recorded.server}\n` : ''}（签名）`, lines: 3 },
        { label: '备注', value: '', lines: 2 },
      ],
      after: [
        '说明：依照《国务院办公厅政府信息与政务公开办公室关于政府信息公开处理决定送达问题的解释》（国办公开办函〔2016〕235号）第四条，直接送达、委托其他行政机关代为送达的，以受送达人签收之日为送达日期。受送达人拒绝签收的，由送达人在备注栏注明情况并签名。',
        `${row.agency}（印章）`,
        `打印日期：${isoDateToChinese(this.calendars.today())}`,
      ],
    };
    const body = options.format === 'pdf' ? await formPdf(form, this.calendars.today()) : await formDocx(form);
    return { body, contentType: CONTENT_TYPES[options.format], filename: `送达回证（${reply.number}）.${options.format}`, sha256: null };
  }
}
