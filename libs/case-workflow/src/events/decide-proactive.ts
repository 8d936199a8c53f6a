import { text, yesNo } from './fields';
import { declareEvent, type MachineEvent } from './declaration';
import { publishTheInformation } from './intents';

const publishing = (payload: Record<string, unknown>) => payload.publish === true;
/** For the form: the entry's own fields belong to 是 only; shown while nothing is chosen. */
const whenPublishing = (payload: Record<string, unknown>) => (payload.publish === undefined ? undefined : publishing(payload));

const fields = {
  publish: yesNo({ label: '是否转为主动公开', help: '多个申请人申请相同信息、可以公开的，可以纳入主动公开范围（第四十四条）' }),
  reason: text({ label: '理由', max: 2000, multiline: true }),
  title: text({ label: '公开标题', min: 2, max: 200, optional: true, relevantWhen: whenPublishing, requiredWhen: { when: publishing, because: '转为主动公开的' } }),
  summary: text({ label: '摘要', min: 2, max: 2000, multiline: true, optional: true, relevantWhen: whenPublishing, requiredWhen: { when: publishing, because: '转为主动公开的' } }),
  content: text({
    label: '公开的内容',
    max: 50_000,
    multiline: true,
    optional: true,
    relevantWhen: whenPublishing,
    requiredWhen: { when: (payload) => publishing(payload) && !payload.link, because: '转为主动公开且未填写链接的' },
  }),
  link: text({ label: '已公开信息的链接', max: 500, optional: true, relevantWhen: whenPublishing, pattern: { test: /^https?:\/\/\S+$/, message: '应为 http(s) 开头的网址' } }),
  indexNumber: text({ label: '索引号', max: 60, optional: true, relevantWhen: whenPublishing, help: '不填则自动编号' }),
};

/** Art. 44: publish proactively or not, with the reason. */
export type DecideProactiveEvent = MachineEvent<'DECIDE_PROACTIVE', typeof fields>;

export const decideProactive = declareEvent<DecideProactiveEvent>({
  type: 'DECIDE_PROACTIVE',
  label: '转主动公开决定',
  description: '答复予以公开或部分公开后，决定是否将该信息转为主动公开',
  article: '第四十四条',
  origin: 'staff',
  roles: ['handler', 'head'],
  fields,
  effects: (_context, event) => (event.publish ? [publishTheInformation()] : []),
});
