import { Injectable } from '@nestjs/common';
import { isIsoDate, isoDateToChinese } from '@desk/calendar';
import { DISPUTE_INSTANCE_TERMS, DISPUTE_KIND_TERMS, DISPUTE_RESULT_TERMS, labelOf } from '@desk/vocabulary';
import { AgenciesService } from '../agencies/agencies.service';
import type { Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { CaseViewService } from '../cases/case-view.service';
import { respondentDeadline } from '../disputes/dispute-deadlines';
import { DisputeResultDto, NewDisputeDto } from '../disputes/disputes.controller';
import { DisputesService, type DisputeView, type NewDispute, type DisputeResult } from '../disputes/disputes.service';
import { dtoProblems, formFields, isFormRefusal, placeRefusal, postedText, postedYesNo, refusalStatus, type FieldSpec, type Problem } from './console-forms';

export type DisputeStatus = 'open' | 'decided' | 'all';

const STATUS_VIEWS: readonly { value: DisputeStatus; label: string }[] = [
  { value: 'open', label: '未审结' },
  { value: 'decided', label: '已审结' },
  { value: 'all', label: '全部' },
];

const yesNo = (value: boolean) => (value ? '是' : '否');
const day = (value: string | null | undefined) => (value && isIsoDate(value) ? isoDateToChinese(value) : '—');

/** The labels the API gives the fields of POST /api/cases/{id}/disputes (NewDisputeDto), used by the form and its messages. */
const NEW_DISPUTE_LABELS = {
  kind: '类别',
  afterReview: '复议后起诉',
  instance: '审级',
  parentId: '前一审级',
  filedAt: '申请或起诉日期',
  servedAt: '收到副本之日',
  simplified: '简易程序',
  body: '复议机关或人民法院',
  reference: '案号',
} as const;

const RESULT_LABELS = { result: '结果', decidedAt: '决定或判决日期', ordersNewReply: '责令重新答复', reference: '决定书或判决书文号' } as const;

type FormOutcome<T> = { kind: 'refused'; status: number; values: Record<string, unknown>; problems: Problem[] } | { kind: 'check'; values: Record<string, unknown>; summary: { label: string; value: string }[]; warnings: string[] } | { kind: 'done'; value: T };

/** 行政复议 and 行政诉讼 (issue 16 item 8): the list with the agency's answer deadlines, each dispute, and its forms. */
@Injectable()
export class DisputesPages {
  constructor(
    private readonly disputes: DisputesService,
    private readonly cases: CaseViewService,
    private readonly calendars: CalendarService,
    private readonly agencies: AgenciesService,
  ) {}

  /** The agency's own deadline in words: review in working days, litigation in calendar days. */
  private deadline(dispute: DisputeView) {
    if (!dispute.answerDueDate || dispute.result) return { text: '', status: 'none' };
    const today = this.calendars.today();
    if (dispute.kind === 'review') {
      const left = this.calendars.calendar().workingDaysBetween(today, dispute.answerDueDate).count;
      return { text: left > 0 ? `剩余 ${left} 个工作日` : left === 0 ? '今天到期' : `逾期 ${-left} 个工作日`, status: left < 0 ? 'overdue' : left <= 2 ? 'soon' : 'ok' };
    }
    const left = Math.round((Date.parse(dispute.answerDueDate) - Date.parse(today)) / 86_400_000);
    return { text: left > 0 ? `剩余 ${left} 日` : left === 0 ? '今天到期' : `逾期 ${-left} 日`, status: left < 0 ? 'overdue' : left <= 3 ? 'soon' : 'ok' };
  }

  async list(principal: Principal, raw: unknown) {
    const status: DisputeStatus = STATUS_VIEWS.some((view) => view.value === raw) ? (raw as DisputeStatus) : 'open';
    const rows = await this.disputes.list(principal, status);
    return {
      status,
      views: STATUS_VIEWS.map((view) => ({ ...view, current: view.value === status, href: `/staff/disputes?status=${view.value}` })),
      statusLabel: STATUS_VIEWS.find((view) => view.value === status)!.label,
      disputes: rows.map((dispute) => ({ ...dispute, deadline: this.deadline(dispute) })),
    };
  }

  /** Every field the API keeps, in words; the earlier and later instances; what the user may do with it. */
  async detail(principal: Principal, id: string) {
    const dispute = await this.disputes.byId(principal, id);
    const related = await this.disputes.forCase(principal, dispute.caseId);
    const basis = this.deadlineBasis(dispute);
    const later = related.filter((other) => other.parentId === dispute.id);
    const parent = dispute.parentId ? (related.find((other) => other.id === dispute.parentId) ?? null) : null;
    const isLegal = principal.roles.includes('legal');
    return {
      dispute,
      deadline: this.deadline(dispute),
      basis,
      parent,
      later,
      canRecordResult: isLegal && !dispute.result,
      canAppeal: isLegal && dispute.kind === 'litigation' && dispute.instance !== 'retrial',
    };
  }

  private deadlineBasis(dispute: DisputeView): string | null {
    if (!dispute.servedAt) return null;
    return respondentDeadline(this.calendars.calendar(), dispute.kind, dispute.servedAt, dispute.simplified).basis;
  }

  // ---- recording a dispute

  /** The form of POST /api/cases/{id}/disputes, every field, filled with what was posted or sensible defaults. */
  async newDisputeFields(principal: Principal, caseId: string, values: Record<string, unknown>, problems: Problem[]) {
    const earlier = await this.disputes.forCase(principal, caseId);
    const specs: FieldSpec[] = [
      { name: 'kind', label: NEW_DISPUTE_LABELS.kind, widget: 'radios', options: DISPUTE_KIND_TERMS.map((term) => ({ value: term.code, label: term.label })) },
      {
        name: 'afterReview',
        label: NEW_DISPUTE_LABELS.afterReview,
        widget: 'yes_no',
        optional: true,
        requiredWhen: '行政诉讼',
        hint: '经行政复议后又起诉的选“是”，未经复议直接起诉的选“否”（年度报告分别统计）。',
      },
      {
        name: 'instance',
        label: NEW_DISPUTE_LABELS.instance,
        widget: 'radios',
        hint: '行政复议选“一审”。二审、再审须选择前一审级。',
        options: DISPUTE_INSTANCE_TERMS.map((term) => ({ value: term.code, label: term.label })),
      },
      {
        name: 'parentId',
        label: NEW_DISPUTE_LABELS.parentId,
        widget: 'select',
        optional: true,
        requiredWhen: '二审、再审',
        options: earlier.map((other) => ({ value: other.id, label: `${labelOf(DISPUTE_KIND_TERMS, other.kind)}${labelOf(DISPUTE_INSTANCE_TERMS, other.instance)}：${other.body}（${day(other.filedAt)}${other.reference ? `，${other.reference}` : ''}）` })),
      },
      { name: 'filedAt', label: NEW_DISPUTE_LABELS.filedAt, widget: 'date', hint: '申请人提出行政复议申请或提起诉讼之日。' },
      {
        name: 'servedAt',
        label: NEW_DISPUTE_LABELS.servedAt,
        widget: 'date',
        optional: true,
        hint: '本机关收到复议申请书副本或起诉状副本之日，本机关的答复期限由此起算：行政复议10个工作日内提出书面答复（行政复议法第四十八条），简易程序5个工作日（第五十四条）；行政诉讼15日内提交证据和答辩状（行政诉讼法第六十七条）。',
      },
      { name: 'simplified', label: NEW_DISPUTE_LABELS.simplified, widget: 'yes_no', optional: true, requiredWhen: '行政复议', hint: '行政复议机关决定适用简易程序的（行政复议法第五十三条）。' },
      { name: 'body', label: NEW_DISPUTE_LABELS.body, widget: 'text', hint: '受理的行政复议机关或人民法院的全称。', max: 200 },
      { name: 'reference', label: NEW_DISPUTE_LABELS.reference, widget: 'text', optional: true, hint: '如（2026）沪0101行初123号。', max: 200 },
    ];
    return formFields(specs, values, problems);
  }

  async newDisputeDefaults(principal: Principal, parentId: unknown): Promise<Record<string, unknown>> {
    const agency = await this.agencies.byId(principal.agencyId);
    if (typeof parentId === 'string' && parentId) {
      const parent = await this.disputes.byId(principal, parentId);
      return { kind: 'litigation', afterReview: parent.afterReview, instance: parent.instance === 'first' ? 'second' : 'retrial', parentId: parent.id, simplified: false, body: '' };
    }
    return { kind: 'review', instance: 'first', simplified: false, body: agency.settings.reviewBody };
  }

  private readNewDispute(posted: Record<string, unknown>) {
    const values: Record<string, unknown> = {
      kind: postedText(posted, 'kind'),
      afterReview: postedYesNo(posted, 'afterReview'),
      instance: postedText(posted, 'instance') || 'first',
      parentId: postedText(posted, 'parentId'),
      filedAt: postedText(posted, 'filedAt'),
      servedAt: postedText(posted, 'servedAt'),
      simplified: postedYesNo(posted, 'simplified'),
      body: postedText(posted, 'body'),
      reference: postedText(posted, 'reference'),
    };
    const input: Record<string, unknown> = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== '' && value !== undefined));
    const problems = dtoProblems(NewDisputeDto, input);
    // The annual report counts litigation after review apart from direct litigation: the form asks, it does not assume.
    if (values.kind === 'litigation' && values.afterReview === undefined) problems.push({ name: 'afterReview', message: '复议后起诉 请选择“是”或“否”' });
    return { values, input: input as unknown as NewDispute, problems };
  }

  /** check → the answers and the deadline they give, nothing written; commit → recorded. */
  async recordDispute(principal: Principal, caseId: string, posted: Record<string, unknown>, commit: boolean): Promise<FormOutcome<DisputeView>> {
    const { values, input, problems } = this.readNewDispute(posted);
    if (problems.length) return { kind: 'refused', status: 400, values, problems };
    const fields = Object.entries(NEW_DISPUTE_LABELS).map(([name, label]) => ({ name, label }));
    try {
      if (commit) return { kind: 'done', value: await this.disputes.create(principal, caseId, input) };
      await this.disputes.checkNew(principal, caseId, input);
      return { kind: 'check', values, ...(await this.describeNewDispute(principal, input)) };
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      return { kind: 'refused', status: refusalStatus(error), values, problems: placeRefusal(error, fields) };
    }
  }

  private async describeNewDispute(principal: Principal, input: NewDispute) {
    const parent = input.parentId ? await this.disputes.byId(principal, input.parentId) : null;
    const summary: { label: string; value: string }[] = [
      { label: NEW_DISPUTE_LABELS.kind, value: labelOf(DISPUTE_KIND_TERMS, input.kind) },
      ...(input.kind === 'litigation' ? [{ label: NEW_DISPUTE_LABELS.afterReview, value: yesNo(input.afterReview ?? false) }] : []),
      { label: NEW_DISPUTE_LABELS.instance, value: labelOf(DISPUTE_INSTANCE_TERMS, input.instance ?? 'first') },
      ...(parent ? [{ label: NEW_DISPUTE_LABELS.parentId, value: `${labelOf(DISPUTE_KIND_TERMS, parent.kind)}${labelOf(DISPUTE_INSTANCE_TERMS, parent.instance)}：${parent.body}` }] : []),
      { label: NEW_DISPUTE_LABELS.filedAt, value: day(input.filedAt) },
      { label: NEW_DISPUTE_LABELS.servedAt, value: input.servedAt ? day(input.servedAt) : '尚未收到' },
      ...(input.kind === 'review' ? [{ label: NEW_DISPUTE_LABELS.simplified, value: yesNo(input.simplified ?? false) }] : []),
      { label: NEW_DISPUTE_LABELS.body, value: input.body },
      { label: NEW_DISPUTE_LABELS.reference, value: input.reference || '—' },
    ];
    const warnings: string[] = [];
    if (input.servedAt) {
      const deadline = respondentDeadline(this.calendars.calendar(), input.kind, input.servedAt, input.simplified ?? false);
      summary.push({ label: input.kind === 'review' ? '本机关书面答复期限' : '本机关举证和答辩期限', value: `${day(deadline.date)}（${deadline.basis}）${deadline.provisional ? '，暂定' : ''}` });
      if (deadline.date < this.calendars.today()) warnings.push(`按收到副本之日计算，本机关的期限（${day(deadline.date)}）已经过了。`);
    } else {
      warnings.push('尚未填写收到副本之日：本机关的期限要在收到复议申请书副本或起诉状副本后才能计算，记录后不能补填。建议收到副本后再记录，系统才能提醒期限。');
    }
    warnings.push('记录后不能修改或删除，请核对无误后提交。');
    return { summary, warnings };
  }

  // ---- recording a result

  resultFields(values: Record<string, unknown>, problems: Problem[]) {
    return formFields(
      [
        {
          name: 'result',
          label: RESULT_LABELS.result,
          widget: 'radios',
          hint: '按年度报告的分类选择（国办公开办函〔2021〕30号）。',
          options: DISPUTE_RESULT_TERMS.filter((term) => term.code !== 'pending').map((term) => ({ value: term.code, label: term.label, hint: 'hint' in term ? term.hint : undefined })),
        },
        { name: 'decidedAt', label: RESULT_LABELS.decidedAt, widget: 'date' },
        {
          name: 'ordersNewReply',
          label: RESULT_LABELS.ordersNewReply,
          widget: 'yes_no',
          hint: '撤销或确认违法并责令本机关重新答复的选“是”：本案将重新办理，答复期限自决定或判决之日重新起算。',
        },
        { name: 'reference', label: RESULT_LABELS.reference, widget: 'text', optional: true, hint: '复议决定书或判决书的文号。', max: 200 },
      ],
      values,
      problems,
    );
  }

  async recordResult(principal: Principal, id: string, posted: Record<string, unknown>, commit: boolean): Promise<FormOutcome<DisputeView>> {
    const dispute = await this.disputes.byId(principal, id);
    const values: Record<string, unknown> = {
      result: postedText(posted, 'result'),
      decidedAt: postedText(posted, 'decidedAt'),
      ordersNewReply: postedYesNo(posted, 'ordersNewReply'),
      reference: postedText(posted, 'reference'),
    };
    const input = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== '' && value !== undefined)) as unknown as DisputeResult;
    const problems = dtoProblems(DisputeResultDto, input as unknown as Record<string, unknown>);
    if (problems.length) return { kind: 'refused', status: 400, values, problems };
    const fields = Object.entries(RESULT_LABELS).map(([name, label]) => ({ name, label }));
    try {
      // The service's checks before anything is written (a result that orders a new reply reopens the case).
      this.disputes.checkResult(dispute, input);
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      // Already decided concerns the whole dispute, not a field.
      const problems = error.code === 'conflict' ? [{ name: null, message: error.message }] : placeRefusal(error, [...fields, { name: 'ordersNewReply', label: '重新答复' }]);
      return { kind: 'refused', status: refusalStatus(error), values, problems };
    }
    if (!commit) {
      const summary = [
        { label: RESULT_LABELS.result, value: labelOf(DISPUTE_RESULT_TERMS, input.result) },
        { label: RESULT_LABELS.decidedAt, value: day(input.decidedAt) },
        { label: RESULT_LABELS.ordersNewReply, value: yesNo(input.ordersNewReply) },
        { label: RESULT_LABELS.reference, value: input.reference || '—' },
      ];
      const warnings = input.ordersNewReply
        ? [`提交后，案件 ${dispute.caseNumber} 将重新办理：恢复到办理中，答复期限重新起算，承办人会在工作队列中看到它。`, '结果记录后不能修改。']
        : ['结果记录后不能修改。'];
      return { kind: 'check', values, summary, warnings };
    }
    try {
      return { kind: 'done', value: await this.disputes.recordResult(principal, id, input) };
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      return { kind: 'refused', status: refusalStatus(error), values, problems: placeRefusal(error, fields) };
    }
  }

  dispute(principal: Principal, id: string) {
    return this.disputes.byId(principal, id);
  }

  caseNumberOf(principal: Principal, caseId: string) {
    return this.cases.view(principal, caseId, null).then((view) => ({ id: view.id, caseNumber: view.caseNumber }));
  }
}
