import { declareEvent, type MachineEvent } from './declaration';
import { issueTheReply } from './intents';

const fields = {};

/** `documentNumber` (文号) comes from the agency's sequence, assigned by the service. */
export type IssueReplyEvent = MachineEvent<'ISSUE_REPLY', typeof fields, { documentNumber: string }>;

export const issueReply = declareEvent<IssueReplyEvent>({
  type: 'ISSUE_REPLY',
  label: '出具答复',
  description: '编发文号，出具已签发的答复书；案件于出具之日办结',
  article: '第三十三条',
  origin: 'staff',
  roles: ['intake', 'handler', 'head'],
  fields,
  confirm: '答复书出具后即编号、定稿，不能再修改。确定出具吗？',
  // The case concludes on the day the reply is issued (rules.md §8: the result counts in that year).
  record: (_context, event) => ({ concludedAt: event.at }),
  effects: () => [issueTheReply()],
});
