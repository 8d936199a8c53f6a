import { RISK_TERMS } from '@desk/vocabulary';
import { choice, groupList, text } from './fields';
import type { CaseContext } from '../case-context';
import { declareEvent, type MachineEvent, type StepWhere } from './declaration';
import { noteInLog, noticeToTheThirdParty, reviewTheReply } from './intents';

const fields = {
  comment: text({ label: '审核意见', max: 2000, multiline: true, optional: true }),
  acknowledgedRisks: groupList({
    label: '对败诉风险提示的确认',
    optional: true,
    maxItems: 30,
    help: '答复书审查中的每一项风险提示（警示）须逐项写明审核意见，未确认的提示使审核不能通过',
    fields: {
      code: choice({ label: '风险提示', choices: RISK_TERMS }),
      comment: text({ label: '审核意见', max: 2000 }),
    },
  }),
};

export type ApproveEvent = MachineEvent<'APPROVE', typeof fields>;

/** The head signs (签发) a disclosure decided over a third party's objection (Art. 32). */
function signsOverObjection(context: CaseContext, where: StepWhere): boolean {
  return where.reviewStep === 'head' && context.disclosureOverObjection === true;
}

export const approve = declareEvent<ApproveEvent>({
  type: 'APPROVE',
  label: '审核通过',
  description: '法制审核通过答复书（合法性审查），或负责人签发答复书',
  origin: 'staff',
  roles: ['legal', 'head'],
  // The review steps belong to one role each: 合法性审查 to legal, 签发 to the head; a user holding both approves each.
  stepRoles: { 'decided.legalReview': ['legal'], 'decided.headApproval': ['head'] },
  fields,
  // Art. 32: the head's signature of a disclosure over the third party's objection sends the 公开决定告知书, and the third
  // party's relief period runs from it (the clock reads it from the log entry).
  record: (context, event, where) => (signsOverObjection(context, where) ? { thirdPartyNoticeAt: event.at } : {}),
  effects: (context, _event, where) => [
    reviewTheReply('approve', where.reviewStep ?? 'legal'),
    ...(signsOverObjection(context, where) ? [noteInLog({ disclosureDecisionNotice: true }), noticeToTheThirdParty()] : []),
  ],
});
