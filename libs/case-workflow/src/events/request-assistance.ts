import { isIsoDate, isoDateToChinese } from '@desk/calendar';
import { date, department, text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';

const fields = {
  department: department({ label: '协办部门', help: '请本机关其他部门提供意见或材料' }),
  question: text({ label: '请协办的事项', max: 2000, multiline: true }),
  dueDate: date({ label: '协办答复期限' }),
};

/** 协办: another department is asked for input by a date of its own. The service adds the request's id and department. */
export type RequestAssistanceEvent = MachineEvent<'REQUEST_ASSISTANCE', typeof fields, { requestId: string; departmentId: string }>;

export const requestAssistance = declareEvent<RequestAssistanceEvent>({
  type: 'REQUEST_ASSISTANCE',
  label: '请求协办',
  description: '请本机关其他部门在期限内提供意见或材料',
  origin: 'staff',
  roles: ['handler'],
  fields,
  check: (payload, at) => (String(payload.dueDate) < at ? [`协办答复期限（${inWords(String(payload.dueDate))}）不能早于请求之日（${inWords(at)}）`] : []),
  record: (context, event) => ({
    assistRequests: [...context.assistRequests, { requestId: event.requestId, department: event.department, answeredAt: null }],
  }),
});

const inWords = (date: string) => (isIsoDate(date) ? isoDateToChinese(date) : date);
