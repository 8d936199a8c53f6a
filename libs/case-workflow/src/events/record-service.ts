import { labelOf, SERVICE_METHOD_TERMS } from '@desk/vocabulary';
import { choice, text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';

const fields = {
  method: choice({ label: '送达方式', choices: SERVICE_METHOD_TERMS, help: '国办公开办函〔2016〕235号' }),
  trackingNumber: text({
    label: '邮件号',
    min: 4,
    max: 60,
    optional: true,
    requiredWhen: { when: (payload) => payload.method === 'post', because: '邮寄送达的' },
    help: '邮寄送达以交邮之日为送达日期，记录邮件号',
  }),
  recipient: text({ label: '签收人或受送达人', max: 200, optional: true }),
};

/**
 * The proof of electronic service the system records on the applicant's first download of the reply, when the
 * applicant chose to obtain it electronically: when (date and time), what, and how it was opened.
 */
export interface ElectronicServiceProof {
  downloadedAt: string;
  letterId: string;
  documentNumber: string | null;
  title: string;
  how: string;
}

/** 送达 (国办公开办函〔2016〕235号): how and when the reply reached the applicant. */
export type RecordServiceEvent = MachineEvent<'RECORD_SERVICE', typeof fields, { electronicService?: ElectronicServiceProof }>;

export const recordService = declareEvent<RecordServiceEvent>({
  type: 'RECORD_SERVICE',
  label: '送达',
  description: '记录答复书的送达方式、日期和签收情况',
  article: '国办公开办函〔2016〕235号',
  origin: 'staff',
  // The system records electronic service when an applicant who chose electronic delivery first downloads the reply.
  roles: ['intake', 'handler', 'system'],
  fields,
  // 送达: the date the reply reached the applicant (or was handed to the post).
  record: (_context, event) => ({ replyServedAt: event.at }),
  publicStep: ({ payload }) => ({
    title: '答复书已送达',
    detail: payload.method === 'electronic' && payload.electronicService ? '您在网上下载了答复书（电子送达）' : labelOf(SERVICE_METHOD_TERMS, String(payload.method)),
    article: '国办公开办函〔2016〕235号',
  }),
});
