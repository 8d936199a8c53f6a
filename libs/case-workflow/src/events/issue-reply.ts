import { isoDateToChinese } from '@desk/calendar';
import { declareEvent, type MachineEvent } from './declaration';
import { issueTheReply, tellTheApplicant } from './intents';

const fields = {};

/** `documentNumber` (文号) comes from the agency's sequence, assigned by the service. */
/** `thirdPartyReliefEnds`: the last day of the third party's relief period after a 公开决定告知书, from the clock. */
export type IssueReplyEvent = MachineEvent<'ISSUE_REPLY', typeof fields, { documentNumber: string; thirdPartyReliefEnds?: string | null }>;

export const issueReply = declareEvent<IssueReplyEvent>({
  type: 'ISSUE_REPLY',
  label: '出具答复',
  description: '编发文号，出具已签发的答复书；案件于出具之日办结',
  article: '第三十三条',
  origin: 'staff',
  roles: ['intake', 'handler', 'head'],
  fields,
  confirm: '答复书出具后即编号、定稿，不能再修改。确定出具吗？',
  /**
   * Art. 32: after the 公开决定告知书 the third party has a period to seek relief (法释〔2011〕17号 Art. 11: a court may
   * stop the disclosure) before the information goes to the applicant, so the reply issues only after that period.
   */
  refusals: (context, event) => {
    if (!context.thirdPartyNoticeAt) return [];
    if (!event.thirdPartyReliefEnds) return ['尚未确定第三方寻求救济的期限（第三十二条）'];
    if (event.at <= event.thirdPartyReliefEnds) {
      return [
        `已于${isoDateToChinese(context.thirdPartyNoticeAt)}向第三方发出公开决定告知书，须待第三方寻求救济的期限（至${isoDateToChinese(event.thirdPartyReliefEnds)}）届满后，` +
          `方可向申请人出具答复（第三十二条；法释〔2011〕17号第十一条）`,
      ];
    }
    return [];
  },
  // The case concludes on the day the reply is issued (rules.md §8: the result counts in that year).
  record: (_context, event) => ({ concludedAt: event.at }),
  effects: () => [issueTheReply(), tellTheApplicant('reply_issued')],
  publicStep: () => ({ title: '本机关作出答复', detail: '答复书已出具，可在本页下载', article: '第三十六条至第三十九条' }),
});
