import { DISPUTE_INSTANCE_TERMS, DISPUTE_KIND_TERMS, DISPUTE_RESULT_TERMS } from '@desk/vocabulary';
import { ViewBoolean, ViewCode, ViewDate, ViewText, ViewUuid } from '../../common/view-properties';
import type { DisputeView } from '../disputes.service';

const RECORDED_RESULTS = DISPUTE_RESULT_TERMS.filter((term) => term.code !== 'pending');

/** 行政复议 or 行政诉讼 about a case, with the agency's respondent deadline and its result. */
export class DisputeDto implements DisputeView {
  @ViewUuid('争议编号') id!: string;
  @ViewUuid('案件 id') caseId!: string;
  @ViewText('案件编号') caseNumber!: string;
  @ViewCode(DISPUTE_KIND_TERMS, '类别') kind!: DisputeView['kind'];
  @ViewBoolean('复议后起诉') afterReview!: boolean;
  @ViewCode(DISPUTE_INSTANCE_TERMS, '审级') instance!: string;
  @ViewUuid('前一审级的争议编号', { nullable: true }) parentId!: string | null;
  @ViewText('复议机关或人民法院') body!: string;
  @ViewText('案号', { nullable: true }) reference!: string | null;
  @ViewDate('申请或起诉日期') filedAt!: string;
  @ViewDate('本机关收到复议申请书副本或起诉状副本之日', { nullable: true }) servedAt!: string | null;
  @ViewBoolean('行政复议简易程序') simplified!: boolean;
  @ViewDate('本机关答复或举证的期限（自收到副本之日起算）', { nullable: true }) answerDueDate!: string | null;
  @ViewCode(RECORDED_RESULTS, '结果；尚未审结为 null', { nullable: true }) result!: string | null;
  @ViewDate('决定或判决日期', { nullable: true }) decidedAt!: string | null;
  @ViewBoolean('责令重新答复（已据此重新办理案件）') ordersNewReply!: boolean;
  @ViewText('决定书或判决书文号', { nullable: true }) resultReference!: string | null;
}
