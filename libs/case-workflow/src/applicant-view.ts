// What the applicant reads on the tracking page, in plain words: each step of the case that concerns the application
// (the declarations' `publicStep`), and what happens next, by when, and why (the clock, explained without the articles,
// which the page shows on request).
import { isoDateToChinese, type CaseClock, type IsoDate } from '@desk/calendar';
import { declarationOf, isCaseEventType } from './events';

/** One line of the applicant's timeline. */
export interface TimelineEntry {
  date: IsoDate;
  title: string;
  detail: string | null;
  article: string | null;
}

/** A logged event as the timeline reads it. */
export interface TimelineEvent {
  type: string;
  at: IsoDate;
  payload: Record<string, unknown>;
  actorName: string;
}

/**
 * The steps the applicant may know, oldest first; the office's internal steps are left out. `clockAfter(n)` gives the
 * clock on the log up to and including the n-th event (libs/calendar: the one source of dates), so a step can say the
 * date it set (the due date after an extension, the last day of a 补正).
 */
export function applicantTimeline(
  events: readonly TimelineEvent[],
  clockAfter?: (index: number) => { dueDate: IsoDate | null; supplementDueDate: IsoDate | null },
): TimelineEntry[] {
  return events.flatMap((event, index) => {
    if (!isCaseEventType(event.type)) return [];
    const declaration = declarationOf(event.type);
    if (!declaration.publicStep) return [];
    const step = declaration.publicStep({ at: event.at, payload: event.payload, actor: event.actorName, clock: clockAfter?.(index) });
    return step ? [{ date: event.at, title: step.title, detail: step.detail ?? null, article: step.article ?? null }] : [];
  });
}

/** What happens next: the words, the date it is due by (if any), why, and the article behind it (shown on request). */
export interface NextStep {
  text: string;
  by: IsoDate | null;
  why: string;
  article: string;
}

type ClockFacts = Pick<CaseClock, 'dueDate' | 'provisional' | 'supplementDueDate' | 'consultationLimitDate' | 'feeDueDate' | 'laterReplyDate' | 'extendedWorkingDays'>;

const day = (date: IsoDate | null) => (date ? isoDateToChinese(date) : '');

/** What the reply clock counts from now: the receipt (Art. 31), the supplement (Art. 30) or a reopening (a new reply ordered). */
export type ClockStart = 'receipt' | 'supplement' | 'reopen';

/** The last event that started the reply clock, in the applicant's terms. */
export function clockStartOf(events: readonly Pick<TimelineEvent, 'type'>[]): ClockStart {
  const last = [...events].reverse().find((event) => ['REGISTER', 'CONFIRM_RECEIPT', 'RECEIVE_SUPPLEMENT', 'REOPEN'].includes(event.type));
  return last?.type === 'RECEIVE_SUPPLEMENT' ? 'supplement' : last?.type === 'REOPEN' ? 'reopen' : 'receipt';
}

const FROM: Record<ClockStart, string> = { receipt: '收到申请之日', supplement: '收到补正之日', reopen: '重新办理之日' };

/** What the applicant should expect now, from the state of the case and its clock. */
export function applicantNextStep(state: string, clock: ClockFacts, start: ClockStart = 'receipt'): NextStep {
  const due = clock.dueDate ? `${day(clock.dueDate)}${clock.provisional ? '（暂定：下一年度节假日安排尚未公布，日期可能调整）' : ''}` : '';
  const reply: NextStep = {
    text: clock.dueDate ? `本机关正在办理您的申请，将在 ${due} 前答复您。` : '本机关正在办理您的申请。',
    by: clock.dueDate,
    why: clock.laterReplyDate
      ? '本机关已告知您延迟答复的期限。'
      : `答复期限为${FROM[start]}起 20 个工作日${clock.extendedWorkingDays ? `，经负责人同意延长了 ${clock.extendedWorkingDays} 个工作日` : ''}；周末和法定节假日不计算在内。`,
    article: clock.laterReplyDate ? '第三十五条' : start === 'supplement' ? '第三十条、第三十三条' : '第三十三条',
  };
  switch (state) {
    case 'received':
      return {
        text: '本机关将与您确认收到申请。确认之后，您会在本页看到收到申请之日和答复期限。',
        by: null,
        why: '网上提交的申请，以双方确认之日为收到申请之日，答复期限从次日起计算。',
        article: '第三十一条第（三）项',
      };
    case 'awaitingSupplement':
      return {
        text: `请在 ${day(clock.supplementDueDate)} 前补正申请（可以在本页网上补正，也可以按补正告知书所列方式提交）。`,
        by: clock.supplementDueDate,
        why: '申请内容需要补正的，答复期限自本机关收到补正之日起重新计算；无正当理由逾期不补正的，视为放弃申请，本机关不再处理。',
        article: '第三十条',
      };
    case 'handling.consulting':
      return {
        text: `本机关正在征求意见，期间答复期限暂停计算；征求意见最迟到 ${day(clock.consultationLimitDate)}，之后本机关将尽快答复您。`,
        by: clock.consultationLimitDate,
        why: '您申请的信息涉及第三方或其他机关，依法须征求其意见；征求意见所需时间不计入答复期限。',
        article: '第三十二条、第三十三条第三款、第三十四条',
      };
    case 'handling.awaitingFee':
      return {
        text: `请在 ${day(clock.feeDueDate)} 前按收费通知书缴纳信息处理费。`,
        by: clock.feeDueDate,
        why: '逾期未缴纳的，视为放弃申请，本机关不再处理。',
        article: '国办函〔2020〕109号',
      };
    case 'replied':
    case 'closed':
      return {
        text: '本机关已作出答复，请下载答复书（及随答复提供的文件）。',
        by: null,
        why: '对答复不服的，可以按答复书所列途径申请行政复议或者提起行政诉讼。',
        article: '第五十一条',
      };
    case 'withdrawn':
      return { text: '您的申请已撤回，本机关不再办理。如仍需要这些信息，可以重新提出申请。', by: null, why: '申请人可以在答复前撤回申请。', article: '' };
    case 'abandoned':
      return {
        text: '本申请视为放弃，本机关不再处理。',
        by: null,
        why: '逾期未补正或未缴纳信息处理费的，视为放弃申请；对此不服的，可以按不再处理告知书所列途径申请行政复议或者提起行政诉讼。',
        article: '第三十条；国办函〔2020〕109号',
      };
    default:
      return reply;
  }
}
