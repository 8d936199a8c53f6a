import { text, user } from './fields';
import { declareEvent, type MachineEvent } from './declaration';

const fields = {
  handler: user({ label: '承办人', role: 'handler', help: '承办人所在部门为主办部门' }),
  reason: text({ label: '改派理由', max: 500, optional: true, help: '已分办的案件改由他人承办时填写' }),
};

/** 分办: the lead department's handler (主办); a reassignment names its reason. */
export type AssignEvent = MachineEvent<'ASSIGN', typeof fields>;

export const assign = declareEvent<AssignEvent>({
  type: 'ASSIGN',
  label: '分办',
  description: '确定承办人和主办部门；改派须写明理由',
  origin: 'staff',
  roles: ['intake', 'handler', 'head'],
  fields,
  refusals: (context, event) =>
    context.handler && context.handler !== event.handler && !event.reason?.trim() ? [`案件已由 ${context.handler} 承办，改派须写明理由`] : [],
  record: (_context, event) => ({ handler: event.handler }),
});
