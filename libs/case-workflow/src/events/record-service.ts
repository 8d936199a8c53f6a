import { labelOf, POSTAL_SERVICE_TERMS, SERVICE_METHOD_TERMS } from '@desk/vocabulary';
import { choice, files, text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';

const methodIs =
  (...methods: string[]) =>
  (payload: Record<string, unknown>) =>
    methods.includes(String(payload.method));
/** Direct and delegated service are proved by the 送达回证 the applicant signs (国办公开办函〔2016〕235号第四条). */
const signedFor = methodIs('direct', 'delegated');

const fields = {
  method: choice({
    label: '送达方式',
    choices: SERVICE_METHOD_TERMS,
    help: '国办公开办函〔2016〕235号第一条。日期：直接送达、委托送达填申请人签收之日；邮寄送达填交邮之日（第四条）',
  }),
  postalService: choice({
    label: '邮寄方式',
    choices: POSTAL_SERVICE_TERMS,
    optional: true,
    requiredWhen: { when: methodIs('post'), because: '邮寄送达的' },
    help: '应当通过邮政企业寄送，不得通过不具有国家公文寄递资格的其他快递企业，不得到付（国办公开办函〔2016〕235号第二条、第三条）',
  }),
  trackingNumber: text({
    label: '邮件号',
    min: 4,
    max: 60,
    optional: true,
    requiredWhen: { when: methodIs('post'), because: '邮寄送达的' },
    help: '邮寄送达以交邮之日为送达日期，记录邮件号',
  }),
  place: text({ label: '送达地点', max: 200, optional: true, requiredWhen: { when: signedFor, because: '直接送达或委托送达的' } }),
  recipient: text({
    label: '签收人或受送达人',
    max: 200,
    optional: true,
    requiredWhen: { when: signedFor, because: '直接送达或委托送达的' },
    help: '申请人本人签收的写申请人姓名；他人代收的写代收人姓名及与申请人的关系',
  }),
  server: text({ label: '送达人', max: 200, optional: true, requiredWhen: { when: signedFor, because: '直接送达或委托送达的' }, help: '送达人姓名，两人以上用顿号分隔' }),
  delegatedTo: text({
    label: '受委托机关',
    max: 200,
    optional: true,
    requiredWhen: { when: methodIs('delegated'), because: '委托送达的' },
    help: '代为送达的行政机关（国办公开办函〔2016〕235号第一条）',
  }),
  attachmentIds: files({ label: '送达凭证', maxItems: 5, optional: true, help: '签收后的送达回证、交邮凭证或投递查询记录的扫描件，先上传为本案附件' }),
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

/** The document served, as the service finds it on record (the issued reply): named in the log and on the 送达回证. */
export interface ServedDocument {
  letterId: string;
  title: string;
  number: string;
}

/** 送达 (国办公开办函〔2016〕235号): how and when the reply reached the applicant, with what proves it. */
export type RecordServiceEvent = MachineEvent<'RECORD_SERVICE', typeof fields, { document?: ServedDocument | null; electronicService?: ElectronicServiceProof }>;

export const recordService = declareEvent<RecordServiceEvent>({
  type: 'RECORD_SERVICE',
  label: '送达',
  description: '记录答复书的送达方式、日期和签收或交邮情况',
  article: '国办公开办函〔2016〕235号',
  origin: 'staff',
  // The system records electronic service when an applicant who chose electronic delivery first downloads the reply.
  roles: ['intake', 'handler', 'system'],
  fields,
  check: (payload) => {
    const problems: string[] = [];
    if (!methodIs('post')(payload) && (payload.postalService || payload.trackingNumber)) problems.push('邮寄方式和邮件号只适用于邮寄送达');
    if (!methodIs('delegated')(payload) && payload.delegatedTo) problems.push('受委托机关只适用于委托送达');
    return problems;
  },
  // 送达: the day that counts under 235号第四条 — signed for, or handed to the post.
  record: (_context, event) => ({ replyServedAt: event.at }),
  publicStep: ({ payload }) => ({
    title: '答复书已送达',
    detail: payload.method === 'electronic' && payload.electronicService ? '您在网上下载了答复书（电子送达）' : labelOf(SERVICE_METHOD_TERMS, String(payload.method)),
    article: '国办公开办函〔2016〕235号',
  }),
});
