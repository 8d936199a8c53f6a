import { isoDateToChinese } from '@desk/calendar';
import { reference, text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';

const fields = {
  // The console offers the open requests addressed to the user's department, each in words (issue 16): never an id to type.
  requestId: reference({ label: '协办请求', widget: 'assistance_request', help: '本部门收到、尚待答复的协办请求' }),
  answer: text({ label: '协办意见', max: 5000, multiline: true }),
};

export type AnswerAssistanceEvent = MachineEvent<'ANSWER_ASSISTANCE', typeof fields>;

export const answerAssistance = declareEvent<AnswerAssistanceEvent>({
  type: 'ANSWER_ASSISTANCE',
  label: '答复协办',
  description: '协办部门答复本部门收到的协办请求',
  origin: 'staff',
  // The assisting department's handler; the service checks it is the department asked.
  roles: ['handler'],
  fields,
  unavailable: (context) => (context.assistRequests.some((entry) => !entry.answeredAt) ? [] : ['没有待答复的协办请求']),
  refusals: (context, event) => {
    const request = context.assistRequests.find((entry) => entry.requestId === event.requestId);
    if (!request) return ['没有这个协办请求'];
    if (request.answeredAt) return [`该协办请求已于${isoDateToChinese(request.answeredAt)}答复`];
    return [];
  },
  record: (context, event) => ({
    assistRequests: context.assistRequests.map((entry) => (entry.requestId === event.requestId ? { ...entry, answeredAt: event.at } : entry)),
  }),
});
