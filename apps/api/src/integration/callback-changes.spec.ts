import { callbackEventsBetween, type SeenCase } from './callback-changes';

const registered: SeenCase = { state: '已受理，正在办理', concluded: false, dueDate: '2025-10-30', dueDateProvisional: false, letters: [{ id: 'receipt' }] };

describe('which callback events a step causes', () => {
  it('a step the applicant does not see causes none', () => {
    expect(callbackEventsBetween(registered, { ...registered, letters: [{ id: 'receipt' }] })).toEqual([]);
  });

  it('the office confirms receipt: the state, the receipt letter and the due date', () => {
    const received: SeenCase = { state: '已提交，等待政府信息公开工作机构确认收到', concluded: false, dueDate: null, dueDateProvisional: false, letters: [] };
    expect(callbackEventsBetween(received, registered)).toEqual(['state_changed', 'letter_issued', 'due_date_changed']);
  });

  it('an extension: a letter and a later due date, the state in words unchanged', () => {
    expect(callbackEventsBetween(registered, { ...registered, dueDate: '2025-11-27', letters: [{ id: 'receipt' }, { id: 'extension' }] })).toEqual([
      'letter_issued',
      'due_date_changed',
    ]);
  });

  it('a due date that becomes certain (the calendar published) is a change', () => {
    expect(callbackEventsBetween({ ...registered, dueDateProvisional: true }, registered)).toEqual(['due_date_changed']);
  });

  it('the reply: concluded, the due date cleared (no due-date event), the reply letter', () => {
    const replied: SeenCase = { state: '已答复', concluded: true, dueDate: null, dueDateProvisional: false, letters: [{ id: 'receipt' }, { id: 'reply' }] };
    expect(callbackEventsBetween(registered, replied)).toEqual(['state_changed', 'letter_issued', 'concluded']);
  });
});
