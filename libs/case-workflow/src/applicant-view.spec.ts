import { applicantNextStep, applicantTimeline, clockStartOf } from './applicant-view';
import { STAFF_EVENT_TYPES } from './events';

const clock = { dueDate: '2025-10-30', provisional: false, supplementDueDate: null, consultationLimitDate: null, feeDueDate: null, laterReplyDate: null, extendedWorkingDays: 0 };

describe('what the applicant reads', () => {
  it('the timeline tells the steps that concern the application in plain words, and leaves the office’s own steps out', () => {
    const timeline = applicantTimeline([
      { type: 'SUBMIT_ONLINE', at: '2025-09-25', payload: {}, actorName: 'applicant' },
      { type: 'CONFIRM_RECEIPT', at: '2025-09-26', payload: {}, actorName: 'intake' },
      { type: 'ASSIGN', at: '2025-09-26', payload: { handler: 'handler' }, actorName: 'intake' },
      { type: 'REQUEST_SUPPLEMENT', at: '2025-09-29', payload: { items: ['所需信息的文号', '所涉地块'], periodWorkingDays: 15 }, actorName: 'handler' },
      { type: 'RECEIVE_SUPPLEMENT', at: '2025-10-09', payload: { content: '文号为…' }, actorName: 'applicant' },
      { type: 'RECORD_SEARCH', at: '2025-10-10', payload: { scope: '公文系统' }, actorName: 'handler' },
      { type: 'EXTEND', at: '2025-10-28', payload: { workingDays: 10, reason: '需要调取档案', comment: '同意延期' }, actorName: 'head' },
      { type: 'DECIDE', at: '2025-10-29', payload: { outcome: 'disclosed' }, actorName: 'handler' },
      { type: 'ISSUE_REPLY', at: '2025-11-05', payload: {}, actorName: 'intake' },
    ]);
    expect(timeline.map((entry) => entry.title)).toEqual([
      '您在网上提交了申请',
      '本机关与您确认收到申请',
      '本机关请您补正申请',
      '本机关收到您在网上提交的补正',
      '答复期限延长',
      '本机关作出答复',
    ]);
    expect(timeline[2].detail).toBe('需要补正的事项：1. 所需信息的文号；2. 所涉地块；补正期限 15 个工作日');
    expect(timeline[3]).toMatchObject({ date: '2025-10-09', detail: '答复期限自收到补正之日起重新计算', article: '第三十条' });
    // The head's 审批意见 stays in the file; the applicant reads the reason told to the applicant.
    expect(timeline[4].detail).toContain('需要调取档案');
    expect(JSON.stringify(timeline)).not.toContain('同意延期');
    // No code word reaches the applicant.
    expect(JSON.stringify(timeline)).not.toMatch(/[A-Z]{3,}|disclosed|handler/);
  });

  it('a step tells the date it set, from the clock after it (the last day of a 补正, the due date after an extension)', () => {
    const events = [
      { type: 'REGISTER', at: '2025-09-26', payload: { channel: 'in_person' }, actorName: 'intake' },
      { type: 'REQUEST_SUPPLEMENT', at: '2025-09-29', payload: { items: ['文号'], periodWorkingDays: 15 }, actorName: 'intake' },
      { type: 'EXTEND', at: '2025-10-28', payload: { workingDays: 10, reason: '需要调取档案' }, actorName: 'head' },
    ];
    const clocks = [
      { dueDate: '2025-10-30', supplementDueDate: null },
      { dueDate: null, supplementDueDate: '2025-10-27' },
      { dueDate: '2025-11-24', supplementDueDate: null },
    ];
    const timeline = applicantTimeline(events, (index) => clocks[index]);
    expect(timeline.map((entry) => entry.detail)).toEqual([
      '这一天是收到申请之日，答复期限从次日起计算，至 2025年10月30日；接收回执已出具',
      '需要补正的事项：1. 文号；补正期限 15 个工作日，至 2025年10月27日',
      '经政府信息公开工作机构负责人同意，答复期限延长 10 个工作日，至 2025年11月24日；理由：需要调取档案；延期答复告知书已出具',
    ]);
  });

  it('every step an applicant is told is named in words without code words', () => {
    for (const type of STAFF_EVENT_TYPES) {
      for (const entry of applicantTimeline([{ type, at: '2025-10-09', payload: { items: ['x'], periodWorkingDays: 15, workingDays: 5, kind: 'third_party', method: 'electronic', electronicService: {}, amountYuan: 100, replyBy: '2025-12-01' }, actorName: 'intake' }])) {
        expect(`${entry.title}${entry.detail ?? ''}`).not.toMatch(/[a-z_]{4,}|[A-Z_]{4,}/);
      }
    }
  });

  it('says what happens next and by when, with the reason and its article apart', () => {
    expect(applicantNextStep('handling.active', clock)).toMatchObject({ text: '本机关正在办理您的申请，将在 2025年10月30日 前答复您。', by: '2025-10-30', article: '第三十三条' });
    expect(applicantNextStep('awaitingSupplement', { ...clock, dueDate: null, supplementDueDate: '2025-10-20' })).toMatchObject({
      text: expect.stringContaining('请在 2025年10月20日 前补正申请'),
      why: expect.stringContaining('重新计算'),
      article: '第三十条',
    });
    expect(applicantNextStep('handling.active', { ...clock, provisional: true }).text).toContain('暂定');
    // After a 补正 the clock counts from the supplement (Art. 30).
    expect(applicantNextStep('handling.active', clock, 'supplement')).toMatchObject({ why: expect.stringMatching(/^答复期限为收到补正之日起 20 个工作日/), article: '第三十条、第三十三条' });
    expect(clockStartOf([{ type: 'CONFIRM_RECEIPT' }, { type: 'REQUEST_SUPPLEMENT' }, { type: 'RECEIVE_SUPPLEMENT' }, { type: 'EXTEND' }])).toBe('supplement');
    expect(clockStartOf([{ type: 'REGISTER' }])).toBe('receipt');
    expect(applicantNextStep('received', { ...clock, dueDate: null }).by).toBeNull();
    expect(applicantNextStep('closed', clock).text).toContain('已作出答复');
    expect(applicantNextStep('withdrawn', clock).text).toContain('撤回');
  });
});
