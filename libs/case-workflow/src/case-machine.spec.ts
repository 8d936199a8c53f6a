import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseEvent, CaseEventType } from './events';
import { CASE_EVENT_TYPES } from './events';
import { caseWorkflowMermaid } from './diagram';
import { Outcome } from './outcomes';
import { parseEventBody } from './events';
import {
  applyEvent,
  availableEventTypes,
  isConcluded,
  mayActorSend,
  persist,
  refusalProblems,
  restore,
  startCase,
  stateName,
  type CaseSnapshot,
} from './workflow';

// One valid event of each type, with payloads that satisfy every payload guard.
const SAMPLE: Record<CaseEventType, CaseEvent> = {
  SUBMIT_ONLINE: { type: 'SUBMIT_ONLINE', at: '2025-09-26' },
  REGISTER: { type: 'REGISTER', at: '2025-09-26', channel: 'in_person' },
  CONFIRM_RECEIPT: { type: 'CONFIRM_RECEIPT', at: '2025-09-29' },
  ASSIGN: { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' },
  REQUEST_ASSISTANCE: { type: 'REQUEST_ASSISTANCE', at: '2025-10-09', requestId: 'A1', department: '房屋管理科', departmentId: 'D1', question: '请提供2019年出售台账', dueDate: '2025-10-15' },
  ANSWER_ASSISTANCE: { type: 'ANSWER_ASSISTANCE', at: '2025-10-14', requestId: 'A1', answer: '经查台账中无此记录' },
  REQUEST_SUPPLEMENT: { type: 'REQUEST_SUPPLEMENT', at: '2025-09-30', items: ['请说明所需信息的文号'], periodWorkingDays: 15 },
  RECEIVE_SUPPLEMENT: { type: 'RECEIVE_SUPPLEMENT', at: '2025-10-13' },
  SUPPLEMENT_LAPSED: { type: 'SUPPLEMENT_LAPSED', at: '2025-10-31', supplementDueDate: '2025-10-30' },
  START_CONSULTATION: { type: 'START_CONSULTATION', at: '2025-10-13', kind: 'third_party', party: '某某置业有限公司' },
  END_CONSULTATION: { type: 'END_CONSULTATION', at: '2025-10-20' },
  REQUEST_EXTENSION: { type: 'REQUEST_EXTENSION', at: '2025-10-20', workingDays: 10, reason: '需调取历年档案' },
  EXTEND: { type: 'EXTEND', at: '2025-10-20', workingDays: 20, reason: '需要调取多年档案', dueDate: '2025-10-28' },
  SEND_FEE_NOTICE: { type: 'SEND_FEE_NOTICE', at: '2025-10-14', method: 'per_page', pages: 250, amountYuan: 4700, basis: '国办函〔2020〕109号', standard: '按量计收', explanation: '70×10 + 100×20 + 50×40 = 4700 元' },
  RECORD_FEE_PAYMENT: { type: 'RECORD_FEE_PAYMENT', at: '2025-10-16', receiptNumber: 'No.0012345' },
  FEE_LAPSED: { type: 'FEE_LAPSED', at: '2025-11-12', feeDueDate: '2025-11-11' },
  REQUEST_REASONS: { type: 'REQUEST_REASONS', at: '2025-10-10', questions: '请说明本月提出60件申请的理由' },
  RECORD_REASONS: { type: 'RECORD_REASONS', at: '2025-10-17', finding: 'reasonable', answer: '诉讼取证需要' },
  SET_LATER_REPLY_DATE: { type: 'SET_LATER_REPLY_DATE', at: '2025-10-20', replyBy: '2025-12-31', reason: '申请人说明系诉讼需要，理由合理' },
  RECORD_SEARCH: { type: 'RECORD_SEARCH', at: '2025-10-14', scope: '档案室、OA系统', terms: '2019 旧改 补偿', result: '未检索到' },
  DECIDE: { type: 'DECIDE', at: '2025-10-21', outcome: Outcome.Disclosed, provided: '提供纸质复印件3页' },
  APPROVE: { type: 'APPROVE', at: '2025-10-22' },
  RETURN: { type: 'RETURN', at: '2025-10-22', comment: '法律依据引用有误' },
  ISSUE_REPLY: { type: 'ISSUE_REPLY', at: '2025-10-23', documentNumber: '沪某房信复〔2025〕1号' },
  RECORD_SERVICE: { type: 'RECORD_SERVICE', at: '2025-10-24', method: 'post', postalService: 'ems', trackingNumber: 'EMS1234567890' },
  DECIDE_PROACTIVE: { type: 'DECIDE_PROACTIVE', at: '2025-10-24', publish: false, reason: '仅涉及申请人本人' },
  WITHDRAW: { type: 'WITHDRAW', at: '2025-10-10', reason: '申请人书面撤回' },
  REOPEN: { type: 'REOPEN', at: '2025-12-01', reason: '复议决定责令重新答复', reference: '沪府复字〔2025〕第1号' },
};

function drive(types: CaseEventType[], overrides: Partial<Record<CaseEventType, CaseEvent>> = {}): CaseSnapshot {
  const [first, ...rest] = types;
  let result = startCase(overrides[first] ?? SAMPLE[first]);
  for (const type of rest) {
    if (!result.ok) break;
    result = applyEvent(result.snapshot, overrides[type] ?? SAMPLE[type]);
  }
  if (!result.ok) throw new Error(`path ${types.join(' → ')} refused: ${result.problems.join('; ')}`);
  return result.snapshot;
}

const toHandling: CaseEventType[] = ['REGISTER', 'ASSIGN'];
const toLegalReview: CaseEventType[] = [...toHandling, 'DECIDE'];
const toReplied: CaseEventType[] = [...toLegalReview, 'APPROVE', 'APPROVE', 'ISSUE_REPLY'];

const PATHS: Record<string, CaseEventType[]> = {
  received: ['SUBMIT_ONLINE'],
  registered: ['REGISTER'],
  awaitingSupplement: ['REGISTER', 'REQUEST_SUPPLEMENT'],
  'handling.active': toHandling,
  'handling.consulting': [...toHandling, 'START_CONSULTATION'],
  'handling.awaitingFee': [...toHandling, 'SEND_FEE_NOTICE'],
  'decided.legalReview': toLegalReview,
  'decided.headApproval': [...toLegalReview, 'APPROVE'],
  'decided.signed': [...toLegalReview, 'APPROVE', 'APPROVE'],
  replied: toReplied,
  closed: [...toReplied, 'DECIDE_PROACTIVE'],
  withdrawn: ['REGISTER', 'WITHDRAW'],
  abandoned: ['REGISTER', 'REQUEST_SUPPLEMENT', 'SUPPLEMENT_LAPSED'],
  reopened: [...toReplied, 'DECIDE_PROACTIVE', 'REOPEN'],
};

// The whole transition table, written out by hand: what each state allows (with valid payloads). Everything else is refused.
const ALLOWED: Record<string, CaseEventType[]> = {
  received: ['CONFIRM_RECEIPT', 'WITHDRAW'],
  registered: ['ASSIGN', 'REQUEST_SUPPLEMENT', 'WITHDRAW'],
  awaitingSupplement: ['RECEIVE_SUPPLEMENT', 'SUPPLEMENT_LAPSED', 'WITHDRAW'],
  'handling.active': [
    'ASSIGN', 'REQUEST_ASSISTANCE', 'REQUEST_SUPPLEMENT', 'START_CONSULTATION', 'REQUEST_EXTENSION', 'EXTEND', 'SEND_FEE_NOTICE',
    'REQUEST_REASONS', 'RECORD_SEARCH', 'DECIDE', 'WITHDRAW',
  ],
  'handling.consulting': ['ASSIGN', 'REQUEST_ASSISTANCE', 'END_CONSULTATION', 'REQUEST_EXTENSION', 'EXTEND', 'REQUEST_REASONS', 'RECORD_SEARCH', 'WITHDRAW'],
  'handling.awaitingFee': [
    'ASSIGN', 'REQUEST_ASSISTANCE', 'REQUEST_EXTENSION', 'EXTEND', 'RECORD_FEE_PAYMENT', 'FEE_LAPSED', 'REQUEST_REASONS', 'RECORD_SEARCH', 'WITHDRAW',
  ],
  'decided.legalReview': ['EXTEND', 'APPROVE', 'RETURN', 'WITHDRAW'],
  'decided.headApproval': ['EXTEND', 'APPROVE', 'RETURN', 'WITHDRAW'],
  'decided.signed': ['EXTEND', 'ISSUE_REPLY', 'WITHDRAW'],
  replied: ['RECORD_SERVICE', 'DECIDE_PROACTIVE', 'REOPEN'],
  closed: ['RECORD_SERVICE', 'REOPEN'],
  withdrawn: [],
  abandoned: ['REOPEN'],
  reopened: ['ASSIGN', 'WITHDRAW'],
};

// Where each allowed event leads.
const TARGET: Record<string, Partial<Record<CaseEventType, string>>> = {
  received: { CONFIRM_RECEIPT: 'registered', WITHDRAW: 'withdrawn' },
  registered: { ASSIGN: 'handling.active', REQUEST_SUPPLEMENT: 'awaitingSupplement', WITHDRAW: 'withdrawn' },
  awaitingSupplement: { RECEIVE_SUPPLEMENT: 'registered', SUPPLEMENT_LAPSED: 'abandoned', WITHDRAW: 'withdrawn' },
  'handling.active': {
    ASSIGN: 'handling.active',
    REQUEST_ASSISTANCE: 'handling.active',
    REQUEST_SUPPLEMENT: 'awaitingSupplement',
    START_CONSULTATION: 'handling.consulting',
    REQUEST_EXTENSION: 'handling.active',
    EXTEND: 'handling.active',
    SEND_FEE_NOTICE: 'handling.awaitingFee',
    REQUEST_REASONS: 'handling.active',
    RECORD_SEARCH: 'handling.active',
    DECIDE: 'decided.legalReview',
    WITHDRAW: 'withdrawn',
  },
  'handling.consulting': {
    ASSIGN: 'handling.consulting',
    REQUEST_ASSISTANCE: 'handling.consulting',
    END_CONSULTATION: 'handling.active',
    REQUEST_EXTENSION: 'handling.consulting',
    EXTEND: 'handling.consulting',
    REQUEST_REASONS: 'handling.consulting',
    RECORD_SEARCH: 'handling.consulting',
    WITHDRAW: 'withdrawn',
  },
  'handling.awaitingFee': {
    ASSIGN: 'handling.awaitingFee',
    REQUEST_ASSISTANCE: 'handling.awaitingFee',
    RECORD_FEE_PAYMENT: 'handling.active',
    FEE_LAPSED: 'abandoned',
    REQUEST_EXTENSION: 'handling.awaitingFee',
    EXTEND: 'handling.awaitingFee',
    REQUEST_REASONS: 'handling.awaitingFee',
    RECORD_SEARCH: 'handling.awaitingFee',
    WITHDRAW: 'withdrawn',
  },
  'decided.legalReview': { EXTEND: 'decided.legalReview', APPROVE: 'decided.headApproval', RETURN: 'handling.active', WITHDRAW: 'withdrawn' },
  'decided.headApproval': { EXTEND: 'decided.headApproval', APPROVE: 'decided.signed', RETURN: 'handling.active', WITHDRAW: 'withdrawn' },
  'decided.signed': { EXTEND: 'decided.signed', ISSUE_REPLY: 'replied', WITHDRAW: 'withdrawn' },
  replied: { RECORD_SERVICE: 'replied', DECIDE_PROACTIVE: 'closed', REOPEN: 'reopened' },
  closed: { RECORD_SERVICE: 'closed', REOPEN: 'reopened' },
  abandoned: { REOPEN: 'reopened' },
  reopened: { ASSIGN: 'handling.active', WITHDRAW: 'withdrawn' },
};

describe('case workflow: every state × every event', () => {
  const stateNames = Object.keys(PATHS);
  const eventTypes = CASE_EVENT_TYPES;

  it('the table covers every state the paths reach', () => {
    for (const name of stateNames) expect(stateName(drive(PATHS[name]))).toBe(name);
  });

  for (const name of stateNames) {
    for (const type of eventTypes) {
      const allowed = ALLOWED[name].includes(type);
      it(`${name} ${allowed ? 'allows' : 'refuses'} ${type}`, () => {
        const snapshot = drive(PATHS[name]);
        const result = applyEvent(snapshot, SAMPLE[type]);
        expect(result.ok).toBe(allowed);
        if (result.ok) {
          expect(result.state).toBe(TARGET[name][type]);
        } else {
          expect(result.problems.length).toBeGreaterThan(0);
          expect(stateName(snapshot)).toBe(name);
        }
      });
    }
  }

  it('availableEvents is the allowed set less the creation events', () => {
    for (const name of stateNames) {
      expect(availableEventTypes(drive(PATHS[name])).sort()).toEqual([...ALLOWED[name]].sort());
    }
  });

  it('only SUBMIT_ONLINE and REGISTER create a case', () => {
    for (const type of eventTypes) {
      expect(startCase(SAMPLE[type]).ok).toBe(type === 'SUBMIT_ONLINE' || type === 'REGISTER');
    }
  });
});

describe('guards: the statutory prerequisites', () => {
  it('RECEIVE_SUPPLEMENT returns to handling when a handler was already assigned', () => {
    const snapshot = drive([...toHandling, 'REQUEST_SUPPLEMENT', 'RECEIVE_SUPPLEMENT']);
    expect(stateName(snapshot)).toBe('handling.active');
    expect(snapshot.context.supplementReceivedAt).toBe('2025-10-13');
  });

  it('Art. 30: the 补正 notice is given only once', () => {
    const snapshot = drive(['REGISTER', 'REQUEST_SUPPLEMENT', 'RECEIVE_SUPPLEMENT', 'ASSIGN']);
    expect(availableEventTypes(snapshot)).not.toContain('REQUEST_SUPPLEMENT');
    const result = applyEvent(snapshot, SAMPLE.REQUEST_SUPPLEMENT);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]).toMatch(/一次性告知/);
  });

  it('Art. 30: deemed abandoned only after the supplement period has run out', () => {
    const snapshot = drive(['REGISTER', 'REQUEST_SUPPLEMENT']);
    const early = applyEvent(snapshot, { type: 'SUPPLEMENT_LAPSED', at: '2025-10-30', supplementDueDate: '2025-10-30' });
    expect(early.ok).toBe(false);
    expect(!early.ok && early.problems[0]).toMatch(/尚未逾期/);
    const late = applyEvent(snapshot, { type: 'SUPPLEMENT_LAPSED', at: '2025-10-31', supplementDueDate: '2025-10-30' });
    expect(late.ok && late.snapshot.context.outcome).toBe(Outcome.OtherNoSupplement);
    expect(late.ok && late.snapshot.context.concludedAt).toBe('2025-10-31');
  });

  describe('Art. 33 ¶2: one extension of at most 20 working days, approved before the due date', () => {
    const handling = () => drive(toHandling);
    it('refuses more than 20 working days', () => {
      const result = applyEvent(handling(), { ...SAMPLE.EXTEND, workingDays: 21 } as CaseEvent);
      expect(!result.ok && result.problems.join()).toMatch(/1 至 20 个工作日/);
    });
    it('refuses an approval after the due date, naming both dates', () => {
      const result = applyEvent(handling(), { ...SAMPLE.EXTEND, at: '2025-10-29', dueDate: '2025-10-28' } as CaseEvent);
      expect(!result.ok && result.problems.join()).toMatch(/2025-10-28.*2025-10-29/);
    });
    it('allows an approval on the due date itself', () => {
      expect(applyEvent(handling(), { ...SAMPLE.EXTEND, at: '2025-10-28', dueDate: '2025-10-28' } as CaseEvent).ok).toBe(true);
    });
    it('refuses a second extension and stops offering it', () => {
      const extended = drive([...toHandling, 'EXTEND']);
      expect(extended.context.extendedWorkingDays).toBe(20);
      expect(availableEventTypes(extended)).not.toContain('EXTEND');
      const again = applyEvent(extended, { ...SAMPLE.EXTEND, workingDays: 5 } as CaseEvent);
      expect(!again.ok && again.problems.join()).toMatch(/只能一次/);
    });
    it('a reopened case gets a new extension allowance', () => {
      const reopened = drive([...toHandling, 'EXTEND', 'DECIDE', 'APPROVE', 'APPROVE', 'ISSUE_REPLY', 'DECIDE_PROACTIVE', 'REOPEN', 'ASSIGN']);
      expect(availableEventTypes(reopened)).toContain('EXTEND');
    });
  });

  describe('DECIDE: each outcome with its prerequisites (rules.md §4)', () => {
    const decide = (snapshot: CaseSnapshot, fields: Partial<Extract<CaseEvent, { type: 'DECIDE' }>>) =>
      applyEvent(snapshot, { type: 'DECIDE', at: '2025-10-21', outcome: Outcome.Disclosed, ...fields } as CaseEvent);

    it('unavailable.not_held needs a search record (SPC guiding case 101)', () => {
      const without = decide(drive(toHandling), { outcome: Outcome.UnavailableNotHeld, reasons: '经检索未找到' });
      expect(!without.ok && without.problems.join()).toMatch(/缺少检索记录/);
      const withSearch = decide(drive([...toHandling, 'RECORD_SEARCH']), { outcome: Outcome.UnavailableNotHeld, reasons: '经检索未找到' });
      expect(withSearch.ok).toBe(true);
    });

    it('unavailable.unclear_after_supplement needs the 补正 notice and the supplement', () => {
      const without = decide(drive(toHandling), { outcome: Outcome.UnavailableUnclearAfterSupplement, reasons: '仍不明确' });
      expect(!without.ok && without.problems.join()).toMatch(/补正告知/);
      const requestedOnly = drive(['REGISTER', 'ASSIGN', 'REQUEST_SUPPLEMENT']);
      expect(stateName(requestedOnly)).toBe('awaitingSupplement');
      const supplemented = drive(['REGISTER', 'ASSIGN', 'REQUEST_SUPPLEMENT', 'RECEIVE_SUPPLEMENT']);
      expect(decide(supplemented, { outcome: Outcome.UnavailableUnclearAfterSupplement, reasons: '仍不明确' }).ok).toBe(true);
    });

    it('withheld.third_party needs a third-party consultation or the reason none was needed', () => {
      const without = decide(drive(toHandling), { outcome: Outcome.WithheldThirdParty, reasons: '涉及商业秘密' });
      expect(!without.ok && without.problems.join()).toMatch(/征求第三方意见/);
      const consulted = drive([...toHandling, 'START_CONSULTATION', 'END_CONSULTATION']);
      expect(decide(consulted, { outcome: Outcome.WithheldThirdParty, reasons: '第三方不同意公开' }).ok).toBe(true);
      const agencyOnly = drive([...toHandling, 'START_CONSULTATION', 'END_CONSULTATION'], {
        START_CONSULTATION: { type: 'START_CONSULTATION', at: '2025-10-13', kind: 'agency', party: '区规划资源局' },
      });
      expect(decide(agencyOnly, { outcome: Outcome.WithheldThirdParty, reasons: '涉及商业秘密' }).ok).toBe(false);
      expect(
        decide(drive(toHandling), {
          outcome: Outcome.WithheldThirdParty,
          reasons: '涉及个人隐私',
          consultationNotNeededReason: '第三方已于在先案件中明确表示不同意公开',
        }).ok,
      ).toBe(true);
    });

    // What the payload itself must carry is the declaration's to check at the HTTP edge (400), before the machine (409).
    const decideBody = (fields: Record<string, unknown>) => parseEventBody({ type: 'DECIDE', ...fields }, '2025-10-21');
    const problemsOf = (parsed: ReturnType<typeof parseEventBody>) => (parsed.ok ? [] : parsed.problems);

    it('reasons are required for everything but disclosed, and what is provided for disclosed and partial (400, by label)', () => {
      expect(problemsOf(decideBody({ outcome: Outcome.WithheldProcessInfo }))).toEqual(['除“予以公开”“予以更正”外，须填写理由']);
      expect(decideBody({ outcome: Outcome.WithheldProcessInfo, reasons: '属于讨论记录' }).ok).toBe(true);
      expect(problemsOf(decideBody({ outcome: Outcome.Disclosed }))).toEqual(['予以公开或部分公开的，须填写提供的信息及方式']);
      expect(problemsOf(decideBody({ outcome: Outcome.Partial, reasons: '部分涉及个人隐私' }))).toEqual([
        '予以公开或部分公开的，须填写提供的信息及方式',
        '部分公开的，须填写不予公开部分的依据',
      ]);
    });

    it('not_processed.duplicate names the earlier case (400)', () => {
      expect(problemsOf(decideBody({ outcome: Outcome.NotProcessedDuplicate, reasons: '重复申请' }))).toEqual(['重复申请的，须填写在先申请的案件编号']);
      expect(decideBody({ outcome: Outcome.NotProcessedDuplicate, reasons: '重复申请', duplicateOf: '沪住建依申〔2025〕第00001号' }).ok).toBe(true);
    });

    it('Art. 36(4) and 36(5) are two outcomes: not held after a search, or another agency responsible (one ground each)', () => {
      // The grounds are told apart in the payload (400): not held with a responsible agency mixes them.
      const mixed = decideBody({ outcome: Outcome.UnavailableNotHeld, reasons: '经检索未找到', responsibleAgency: { name: '区房屋征收事务所' } });
      expect(problemsOf(mixed).join()).toMatch(/不同的答复，不能同时援引.*办理结果应选“不属于本机关负责公开”/);
      const unnamed = decideBody({ outcome: Outcome.UnavailableNotResponsible, reasons: '该信息由征收部门制作' });
      expect(problemsOf(unnamed)).toEqual(['不属于本机关负责公开、又未说明无法确定负责机关的理由的，须填写负责公开（或更正）该信息的机关']);
      const named = { outcome: Outcome.UnavailableNotResponsible, reasons: '该信息由征收部门制作', responsibleAgency: { name: '区房屋征收事务所', contact: '021-22222222' } };
      expect(decideBody(named).ok).toBe(true);
      expect(decide(drive(toHandling), named).ok).toBe(true);
      const undetermined = { outcome: Outcome.UnavailableNotResponsible, reasons: '该信息不属于本机关职责', responsibleAgencyUndetermined: '该事项的主管机关尚未确定' };
      expect(decideBody(undetermined).ok).toBe(true);
      expect(decide(drive(toHandling), undetermined).ok).toBe(true);
      // Not held still needs the search on record (409).
      const unsearched = decide(drive(toHandling), { outcome: Outcome.UnavailableNotHeld, reasons: '经检索未找到' });
      expect(!unsearched.ok && unsearched.problems.join()).toMatch(/缺少检索记录/);
    });

    it('Art. 37: the withheld part of a partial disclosure names its own basis among Art. 14, 15, 16', () => {
      const partial = { outcome: Outcome.Partial, reasons: '涉及内部讨论', provided: '会议纪要可公开部分' } as const;
      expect(problemsOf(decideBody(partial))).toEqual(['部分公开的，须填写不予公开部分的依据']);
      expect(decideBody({ ...partial, withheldBasis: Outcome.WithheldProcessInfo }).ok).toBe(true);
      expect(decide(drive(toHandling), { ...partial, withheldBasis: Outcome.WithheldProcessInfo }).ok).toBe(true);
      // Art. 36(7) is a referral to another procedure, not a ground to withhold: not among the choices.
      const referral = problemsOf(decideBody({ ...partial, withheldBasis: Outcome.WithheldAdminQuery }));
      expect(referral).toHaveLength(1);
      expect(referral[0]).toMatch(/^不予公开部分的依据 应为以下之一：属于国家秘密（第十四条）、/);
      expect(referral[0]).not.toMatch(/行政查询/);
      // The third-party basis carries its own prerequisite on record: the consultation (Art. 32, 409).
      const thirdParty = decide(drive(toHandling), { ...partial, withheldBasis: Outcome.WithheldThirdParty });
      expect(!thirdParty.ok && thirdParty.problems.join()).toMatch(/征求第三方意见/);
      expect(problemsOf(decideBody({ outcome: Outcome.WithheldProcessInfo, reasons: '讨论记录', withheldBasis: Outcome.WithheldProcessInfo }))).toEqual([
        '不予公开部分的依据只适用于部分公开（第三十七条）',
      ]);
    });

    it('Art. 36(6): a duplicate only of the same applicant’s earlier request that was already answered', () => {
      const duplicate = { outcome: Outcome.NotProcessedDuplicate, reasons: '重复申请', duplicateOf: '沪某房依申〔2025〕第00001号' } as const;
      const earlier = { caseNumber: '沪某房依申〔2025〕第00001号', sameApplicant: true, answeredAt: '2025-10-10' };
      expect(decide(drive(toHandling), { ...duplicate, earlierRequest: earlier }).ok).toBe(true);
      const unanswered = decide(drive(toHandling), { ...duplicate, earlierRequest: { ...earlier, answeredAt: null } });
      expect(!unanswered.ok && unanswered.problems.join()).toMatch(/尚未对在先申请 沪某房依申〔2025〕第00001号 作出答复/);
      const answeredLater = decide(drive(toHandling), { ...duplicate, earlierRequest: { ...earlier, answeredAt: '2025-10-22' } });
      expect(answeredLater.ok).toBe(false);
      const someoneElse = decide(drive(toHandling), { ...duplicate, earlierRequest: { ...earlier, sameApplicant: false } });
      expect(!someoneElse.ok && someoneElse.problems.join()).toMatch(/不是同一申请人提出的/);
    });

    it('the lapse outcomes cannot be decided, only recorded by their events; the choices are named in words', () => {
      const problems = problemsOf(decideBody({ outcome: Outcome.OtherNoSupplement, reasons: 'x' }));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^办理结果 应为以下之一：予以公开、部分公开、不予公开：属于国家秘密、/);
      expect(problems[0]).not.toMatch(/逾期不补正|逾期未缴费|[a-z_]{4,}/);
      expect(decideBody({ outcome: Outcome.OtherFeeUnpaid, reasons: 'x' }).ok).toBe(false);
    });

    it('a decision cannot be taken while a consultation is open', () => {
      const result = decide(drive([...toHandling, 'START_CONSULTATION']), { outcome: Outcome.Disclosed, provided: 'x' });
      expect(!result.ok && result.problems[0]).toMatch(/征求意见中/);
    });
  });

  describe('fees (国办函〔2020〕109号)', () => {
    it('one fee notice; unpaid in time → deemed abandoned with other.fee_unpaid', () => {
      const waiting = drive([...toHandling, 'SEND_FEE_NOTICE']);
      const early = applyEvent(waiting, { type: 'FEE_LAPSED', at: '2025-11-11', feeDueDate: '2025-11-11' });
      expect(!early.ok && early.problems[0]).toMatch(/尚未逾期/);
      const lapsed = applyEvent(waiting, SAMPLE.FEE_LAPSED);
      expect(lapsed.ok && lapsed.state).toBe('abandoned');
      expect(lapsed.ok && lapsed.snapshot.context.outcome).toBe(Outcome.OtherFeeUnpaid);
    });
    it('after payment no second notice is offered', () => {
      const paid = drive([...toHandling, 'SEND_FEE_NOTICE', 'RECORD_FEE_PAYMENT']);
      expect(stateName(paid)).toBe('handling.active');
      expect(availableEventTypes(paid)).not.toContain('SEND_FEE_NOTICE');
      expect(!applyEvent(paid, SAMPLE.SEND_FEE_NOTICE).ok).toBe(true);
    });
  });

  describe('Art. 35: large or repeated requests', () => {
    const found = (finding: string) =>
      drive([...toHandling, 'REQUEST_REASONS', 'RECORD_REASONS'], {
        RECORD_REASONS: { type: 'RECORD_REASONS', at: '2025-10-17', finding, answer: '' } as CaseEvent,
      });

    it('a later reply date needs reasons asked for and found reasonable; it lies after the day it is set, once', () => {
      const handling = drive(toHandling);
      expect(availableEventTypes(handling)).not.toContain('SET_LATER_REPLY_DATE');
      const early = applyEvent(handling, SAMPLE.SET_LATER_REPLY_DATE);
      expect(!early.ok && early.problems.join()).toMatch(/认定理由合理/);
      expect(applyEvent(found('unreasonable'), SAMPLE.SET_LATER_REPLY_DATE).ok).toBe(false);
      const reasonable = found('reasonable');
      expect(availableEventTypes(reasonable)).toContain('SET_LATER_REPLY_DATE');
      const same = applyEvent(reasonable, { ...SAMPLE.SET_LATER_REPLY_DATE, replyBy: '2025-10-20' } as CaseEvent);
      expect(!same.ok && same.problems.join()).toMatch(/应晚于/);
      const set = applyEvent(reasonable, SAMPLE.SET_LATER_REPLY_DATE);
      expect(set.ok && set.snapshot.context.laterReplyDate).toBe('2025-12-31');
      expect(set.ok && availableEventTypes(set.snapshot)).not.toContain('SET_LATER_REPLY_DATE');
    });

    it('not_processed.excessive needs the request for reasons and a finding of none or unreasonable', () => {
      const decide = (snapshot: CaseSnapshot) =>
        applyEvent(snapshot, { type: 'DECIDE', at: '2025-10-21', outcome: Outcome.NotProcessedExcessive, reasons: '无正当理由大量反复申请' });
      const none = decide(drive(toHandling));
      expect(!none.ok && none.problems.join()).toMatch(/须先要求申请人说明理由/);
      const asked = decide(drive([...toHandling, 'REQUEST_REASONS']));
      expect(!asked.ok && asked.problems.join()).toMatch(/须先认定申请人未说明理由或理由不合理/);
      expect(decide(found('reasonable')).ok).toBe(false);
      expect(decide(found('unreasonable')).ok).toBe(true);
      expect(decide(found('no_answer')).ok).toBe(true);
    });

    it('reasons are asked for once and found once', () => {
      const asked = drive([...toHandling, 'REQUEST_REASONS']);
      expect(availableEventTypes(asked)).not.toContain('REQUEST_REASONS');
      expect(availableEventTypes(asked)).toContain('RECORD_REASONS');
      expect(availableEventTypes(found('reasonable'))).not.toContain('RECORD_REASONS');
      expect(applyEvent(drive(toHandling), SAMPLE.RECORD_REASONS).ok).toBe(false);
    });
  });

  describe('assignment and 协办', () => {
    it('a reassignment to another handler names its reason', () => {
      const handling = drive(toHandling);
      const bare = applyEvent(handling, { type: 'ASSIGN', at: '2025-10-09', handler: 'handler2' });
      expect(!bare.ok && bare.problems[0]).toMatch(/改派须写明理由/);
      const reasoned = applyEvent(handling, { type: 'ASSIGN', at: '2025-10-09', handler: 'handler2', reason: '职能调整' });
      expect(reasoned.ok && reasoned.snapshot.context.handler).toBe('handler2');
    });

    it('an assistance request is answered once, by its id; answers may arrive during review', () => {
      const asked = drive([...toHandling, 'REQUEST_ASSISTANCE']);
      expect(availableEventTypes(asked)).toContain('ANSWER_ASSISTANCE');
      const wrong = applyEvent(asked, { ...SAMPLE.ANSWER_ASSISTANCE, requestId: 'A9' } as CaseEvent);
      expect(!wrong.ok && wrong.problems[0]).toBe('没有这个协办请求');
      const inReview = drive([...toHandling, 'REQUEST_ASSISTANCE', 'DECIDE']);
      const answered = applyEvent(inReview, SAMPLE.ANSWER_ASSISTANCE);
      expect(answered.ok && answered.snapshot.context.assistRequests).toEqual([{ requestId: 'A1', department: '房屋管理科', answeredAt: '2025-10-14' }]);
      expect(answered.ok && applyEvent(answered.snapshot, SAMPLE.ANSWER_ASSISTANCE).ok).toBe(false);
    });
  });

  it('Art. 33 ¶2: the handler requests an extension once; the head’s approval clears the request', () => {
    const requested = drive([...toHandling, 'REQUEST_EXTENSION']);
    expect(availableEventTypes(requested)).not.toContain('REQUEST_EXTENSION');
    expect(availableEventTypes(requested)).toContain('EXTEND');
    const approved = applyEvent(requested, SAMPLE.EXTEND);
    expect(approved.ok && approved.snapshot.context).toMatchObject({ extendedWorkingDays: 20, extensionRequestedAt: null });
    expect(approved.ok && availableEventTypes(approved.snapshot)).not.toContain('REQUEST_EXTENSION');
  });

  it('Art. 32: disclosing over a third party’s objection needs the public-interest reasons', () => {
    const objected = drive([...toHandling, 'START_CONSULTATION', 'END_CONSULTATION'], {
      END_CONSULTATION: { type: 'END_CONSULTATION', at: '2025-10-20', answer: 'objection', summary: '涉及商业秘密' },
    });
    const bare = applyEvent(objected, { type: 'DECIDE', at: '2025-10-21', outcome: Outcome.Disclosed, provided: '全文' });
    expect(!bare.ok && bare.problems.join()).toMatch(/不公开可能对公共利益造成重大影响的理由/);
    const overridden = applyEvent(objected, {
      type: 'DECIDE',
      at: '2025-10-21',
      outcome: Outcome.Disclosed,
      provided: '全文',
      publicInterestOverride: '涉及公共安全，不公开可能对公共利益造成重大影响',
    });
    expect(overridden.ok).toBe(true);
    const consented = drive([...toHandling, 'START_CONSULTATION', 'END_CONSULTATION'], {
      END_CONSULTATION: { type: 'END_CONSULTATION', at: '2025-10-20', answer: 'consent' },
    });
    expect(applyEvent(consented, { type: 'DECIDE', at: '2025-10-21', outcome: Outcome.Disclosed, provided: '全文' }).ok).toBe(true);
  });

  describe('a period that has run out stays run out (rules.md §3)', () => {
    // The service supplies the due date in force from the clock; here the case is due 2025-10-24.
    it('a consultation sent after the due date is refused; on the due date it is allowed', () => {
      const late = applyEvent(drive(toHandling), { ...SAMPLE.START_CONSULTATION, at: '2025-10-27', dueDate: '2025-10-24' } as CaseEvent);
      expect(!late.ok && late.problems.join()).toMatch(/答复期限已于 2025-10-24 届满，2025-10-27 征求第三方意见不能再使期限顺延或暂停.*第三十三条第三款/);
      expect(applyEvent(drive(toHandling), { ...SAMPLE.START_CONSULTATION, at: '2025-10-24', dueDate: '2025-10-24' } as CaseEvent).ok).toBe(true);
    });

    it('a fee notice after the reply period is refused (国办函〔2020〕109号)', () => {
      const late = applyEvent(drive(toHandling), { ...SAMPLE.SEND_FEE_NOTICE, at: '2025-10-27', dueDate: '2025-10-24' } as CaseEvent);
      expect(!late.ok && late.problems.join()).toMatch(/收费通知应在答复期限内发出/);
      expect(applyEvent(drive(toHandling), { ...SAMPLE.SEND_FEE_NOTICE, at: '2025-10-24', dueDate: '2025-10-24' } as CaseEvent).ok).toBe(true);
    });

    it('an Art. 35 later date decided after the due date, or not later than it, is refused', () => {
      const reasonable = drive([...toHandling, 'REQUEST_REASONS', 'RECORD_REASONS']);
      const late = applyEvent(reasonable, { ...SAMPLE.SET_LATER_REPLY_DATE, at: '2025-10-27', dueDate: '2025-10-24' } as CaseEvent);
      expect(!late.ok && late.problems.join()).toMatch(/延迟答复的期限应在答复期限内确定/);
      const earlier = applyEvent(reasonable, { ...SAMPLE.SET_LATER_REPLY_DATE, replyBy: '2025-10-23', dueDate: '2025-10-24' } as CaseEvent);
      expect(!earlier.ok && earlier.problems.join()).toMatch(/应晚于依第三十三条计算的答复期限（2025-10-24）/);
      expect(applyEvent(reasonable, { ...SAMPLE.SET_LATER_REPLY_DATE, dueDate: '2025-10-24' } as CaseEvent).ok).toBe(true);
    });
  });

  it('Art. 32: the head’s signature sends the 公开决定告知书; the reply waits for the third party’s relief period', () => {
    const overridden = drive([...toHandling, 'START_CONSULTATION', 'END_CONSULTATION', 'DECIDE', 'APPROVE', 'APPROVE'], {
      END_CONSULTATION: { type: 'END_CONSULTATION', at: '2025-10-20', answer: 'objection', summary: '涉及商业秘密' },
      DECIDE: { type: 'DECIDE', at: '2025-10-21', outcome: Outcome.Disclosed, provided: '全文', publicInterestOverride: '关系众多居民切身利益' },
    });
    expect(stateName(overridden)).toBe('decided.signed');
    expect(overridden.context.thirdPartyNoticeAt).toBe('2025-10-22');
    const sameDay = applyEvent(overridden, { type: 'ISSUE_REPLY', at: '2025-10-23', documentNumber: '沪某房信复〔2025〕2号', thirdPartyReliefEnds: '2025-11-12' });
    expect(!sameDay.ok && sameDay.problems.join()).toMatch(/已于2025年10月22日向第三方发出公开决定告知书，须待第三方寻求救济的期限（至2025年11月12日）届满后/);
    expect(applyEvent(overridden, { type: 'ISSUE_REPLY', at: '2025-11-12', documentNumber: '沪某房信复〔2025〕2号', thirdPartyReliefEnds: '2025-11-12' }).ok).toBe(false);
    expect(applyEvent(overridden, { type: 'ISSUE_REPLY', at: '2025-11-13', documentNumber: '沪某房信复〔2025〕2号', thirdPartyReliefEnds: '2025-11-12' }).ok).toBe(true);
    // An ordinary reply is not held back.
    expect(drive(toReplied).context.thirdPartyNoticeAt).toBeNull();
  });

  it('Art. 41: a correction request takes correction outcomes only, and an OGI application none of them', () => {
    const correction = drive(['REGISTER', 'ASSIGN'], {
      REGISTER: { type: 'REGISTER', at: '2025-09-26', channel: 'in_person', requestType: 'correction' },
    });
    expect(correction.context.requestType).toBe('correction');
    const wrong = applyEvent(correction, { type: 'DECIDE', at: '2025-10-21', outcome: Outcome.Disclosed, provided: 'x' });
    expect(!wrong.ok && wrong.problems[0]).toMatch(/更正申请（第四十一条）的办理结果/);
    expect(applyEvent(correction, { type: 'DECIDE', at: '2025-10-21', outcome: 'correction.corrected' }).ok).toBe(true);
    // Forwarding names the agency that may correct: a field of the payload (400 at the edge).
    const forwarded = parseEventBody({ type: 'DECIDE', outcome: 'correction.forwarded', reasons: '不属于本机关职能' }, '2025-10-21');
    expect(!forwarded.ok && forwarded.problems).toEqual(['转送有权更正的机关的，须填写负责公开（或更正）该信息的机关']);
    expect(applyEvent(drive(toHandling), { type: 'DECIDE', at: '2025-10-21', outcome: 'correction.corrected' }).ok).toBe(false);
  });

  it('RETURN clears the draft decision and counts the round', () => {
    const snapshot = drive([...toLegalReview, 'RETURN']);
    expect(stateName(snapshot)).toBe('handling.active');
    expect(snapshot.context.outcome).toBeNull();
    expect(snapshot.context.returnCount).toBe(1);
  });

  it('a reply that is not disclosed or partial closes without a proactive decision (Art. 44)', () => {
    const snapshot = drive([...toHandling, 'DECIDE', 'APPROVE', 'APPROVE', 'ISSUE_REPLY'], {
      DECIDE: { type: 'DECIDE', at: '2025-10-21', outcome: Outcome.WithheldProcessInfo, reasons: '过程性信息' },
    });
    expect(stateName(snapshot)).toBe('closed');
    expect(snapshot.context.concludedAt).toBe('2025-10-23');
    expect(isConcluded('closed')).toBe(true);
  });

  it('WITHDRAW concludes with other.other', () => {
    const snapshot = drive([...toHandling, 'START_CONSULTATION', 'WITHDRAW']);
    expect(snapshot.context.outcome).toBe(Outcome.OtherOther);
    expect(snapshot.context.openConsultation).toBeNull();
  });

  it('the online receipt date is the confirmation date (Art. 31(3))', () => {
    const snapshot = drive(['SUBMIT_ONLINE', 'CONFIRM_RECEIPT']);
    expect(snapshot.context.receivedAt).toBe('2025-09-29');
    expect(snapshot.context.channel).toBe('online');
  });

  it('a platform import the platform did not confirm waits for the office like an online application, keeping its channel', () => {
    const snapshot = drive(['SUBMIT_ONLINE', 'CONFIRM_RECEIPT'], { SUBMIT_ONLINE: { type: 'SUBMIT_ONLINE', at: '2025-09-26', channel: 'platform_import' } });
    expect(snapshot.context.receivedAt).toBe('2025-09-29');
    expect(snapshot.context.channel).toBe('platform_import');
  });

  it('a refused event explains what is possible now', () => {
    expect(refusalProblems(drive(['SUBMIT_ONLINE']), SAMPLE.DECIDE)[0]).toBe('案件当前状态为“已提交，待确认收到”，不能拟办答复；现在可以办理：确认收到、撤回申请');
    expect(refusalProblems(drive(PATHS.withdrawn), SAMPLE.REOPEN)[0]).toMatch(/已不能再办理/);
  });
});

describe('persistence', () => {
  it('a snapshot survives JSON and continues where it stopped', () => {
    const snapshot = drive([...toHandling, 'START_CONSULTATION']);
    const stored = JSON.parse(JSON.stringify(persist(snapshot)));
    const restored = restore(stored);
    expect(stateName(restored)).toBe('handling.consulting');
    const next = applyEvent(restored, SAMPLE.END_CONSULTATION);
    expect(next.ok && next.state).toBe('handling.active');
    expect(next.ok && next.snapshot.context.consultations).toHaveLength(1);
  });

  it('refuses a snapshot of another machine version', () => {
    const stored = { ...persist(drive(['REGISTER'])), machineVersion: 999 };
    expect(() => restore(stored)).toThrow(/data migration/);
  });
});

describe('roles', () => {
  it('legal approves the legality review and the head signs', () => {
    expect(mayActorSend(['legal'], 'decided.legalReview', 'APPROVE')).toBe(true);
    expect(mayActorSend(['head'], 'decided.legalReview', 'APPROVE')).toBe(false);
    expect(mayActorSend(['head'], 'decided.headApproval', 'APPROVE')).toBe(true);
    expect(mayActorSend(['legal'], 'decided.headApproval', 'APPROVE')).toBe(false);
  });
  it('only the head extends; intake and handler withdraw', () => {
    expect(mayActorSend(['handler'], 'handling.active', 'EXTEND')).toBe(false);
    expect(mayActorSend(['head'], 'handling.active', 'EXTEND')).toBe(true);
    expect(mayActorSend(['intake'], 'handling.active', 'WITHDRAW')).toBe(true);
    expect(mayActorSend(['legal'], 'handling.active', 'WITHDRAW')).toBe(false);
  });
  it('admin is not implied: an admin-only user sends nothing', () => {
    for (const type of CASE_EVENT_TYPES) expect(mayActorSend(['admin'], 'handling.active', type)).toBe(false);
  });
});

describe('workflow diagram', () => {
  it('the README shows the diagram generated from the machine (npm run diagram rewrites it)', () => {
    const readmePath = join(__dirname, '../../../README.md');
    const diagram = caseWorkflowMermaid();
    const block = `<!-- workflow-diagram:start -->\n\`\`\`mermaid\n${diagram}\n\`\`\`\n<!-- workflow-diagram:end -->`;
    const readme = readFileSync(readmePath, 'utf8');
    const pattern = /<!-- workflow-diagram:start -->[\s\S]*<!-- workflow-diagram:end -->/;
    if (process.env.UPDATE_DIAGRAM === '1') {
      writeFileSync(readmePath, readme.replace(pattern, block));
      return;
    }
    expect(readme.match(pattern)?.[0]).toBe(block);
    expect(diagram).toContain('handling_active --> decided : DECIDE [decisionPrerequisitesMet]');
  });
});
