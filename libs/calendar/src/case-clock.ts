import type { IsoDate } from './dates';
import type { WorkingDayCalendar } from './working-day-calendar';

/** One entry of a case's event log, as the clock reads it. */
export interface ClockEvent {
  type: string;
  at: IsoDate;
  payload: Record<string, unknown>;
}

/** One line of "why is it due on this day?". */
export interface ClockStep {
  date: IsoDate;
  description: string;
  /** Working days this step adds or counts, where it counts any. */
  workingDays: number | null;
  article: string;
}

export interface CaseClock {
  /** The reply due date (答复期限), or null while there is no running reply clock (not yet received, awaiting 补正). */
  dueDate: IsoDate | null;
  /** Working days from `asOf` to the due date; 0 on the due date, negative when overdue. */
  remainingWorkingDays: number | null;
  pausedWorkingDays: number;
  extendedWorkingDays: number;
  /** True when any date counts through a year whose official calendar is not published (rules.md §2). */
  provisional: boolean;
  /** A consultation is open: the reply clock stands still (Art. 33 ¶3). */
  paused: boolean;
  /** The day the supplement period ends (Art. 30), while a 补正 is awaited. */
  supplementDueDate: IsoDate | null;
  /** The day remaining working days are counted from: today, or the day the case concluded. */
  asOf: IsoDate;
  explanation: ClockStep[];
}

export interface ClockSettings {
  /** Art. 33 ¶2: 20 working days. */
  replyWorkingDays: number;
}

export const DEFAULT_CLOCK_SETTINGS: ClockSettings = { replyWorkingDays: 20 };

const CONCLUDING_EVENTS = new Set(['ISSUE_REPLY', 'WITHDRAW', 'SUPPLEMENT_LAPSED']);

/**
 * The reply clock of a case, derived from its event log alone, so it can be replayed, explained and recomputed when the
 * calendar changes. Day 0 (the triggering date) is never counted (rules.md §2).
 */
export function computeCaseClock(
  events: readonly ClockEvent[],
  calendar: WorkingDayCalendar,
  today: IsoDate,
  settings: ClockSettings = DEFAULT_CLOCK_SETTINGS,
): CaseClock {
  const steps: ClockStep[] = [];
  let provisional = false;
  let start: IsoDate | null = null;
  let paused = 0;
  let extended = 0;
  let openPause: { at: IsoDate; kind: string } | null = null;
  let supplementDueDate: IsoDate | null = null;
  let awaitingSupplement = false;
  let concludedAt: IsoDate | null = null;

  const count = (from: IsoDate, to: IsoDate): number => {
    const result = calendar.workingDaysBetween(from, to);
    provisional ||= result.provisional;
    return result.count;
  };
  const add = (from: IsoDate, n: number): IsoDate => {
    const result = calendar.addWorkingDays(from, n);
    provisional ||= result.provisional;
    return result.date;
  };
  const startReplyClock = (at: IsoDate, description: string, article: string) => {
    start = at;
    paused = 0;
    extended = 0;
    openPause = null;
    steps.push({ date: at, description, workingDays: settings.replyWorkingDays, article });
  };

  for (const event of events) {
    switch (event.type) {
      case 'REGISTER':
        startReplyClock(event.at, `收到申请（第 0 日，不计入），自次日起算 ${settings.replyWorkingDays} 个工作日`, '第三十一条、第三十三条第二款');
        break;
      case 'CONFIRM_RECEIPT':
        startReplyClock(event.at, `双方确认收到在线申请（第 0 日），自次日起算 ${settings.replyWorkingDays} 个工作日`, '第三十一条第（三）项、第三十三条第二款');
        break;
      case 'REQUEST_SUPPLEMENT': {
        const period = Number(event.payload.periodWorkingDays);
        awaitingSupplement = true;
        supplementDueDate = add(event.at, period);
        steps.push({
          date: event.at,
          description: `发出补正告知，补正期限 ${period} 个工作日，至 ${supplementDueDate}；答复期限待收到补正后重新起算`,
          workingDays: period,
          article: '第三十条',
        });
        break;
      }
      case 'RECEIVE_SUPPLEMENT':
        awaitingSupplement = false;
        supplementDueDate = null;
        startReplyClock(event.at, `收到补正申请，答复期限自收到补正之日起重新计算 ${settings.replyWorkingDays} 个工作日`, '第三十条、第三十三条');
        break;
      case 'START_CONSULTATION':
        openPause = { at: event.at, kind: String(event.payload.kind) };
        steps.push({
          date: event.at,
          description: `${event.payload.kind === 'agency' ? '征求其他机关意见' : '征求第三方意见'}（${String(event.payload.party ?? '')}），答复期限暂停计算`,
          workingDays: null,
          article: event.payload.kind === 'agency' ? '第三十四条、第三十三条第三款' : '第三十二条、第三十三条第三款',
        });
        break;
      case 'END_CONSULTATION':
        if (openPause) {
          const days = count(openPause.at, event.at);
          paused += days;
          steps.push({ date: event.at, description: `征求意见结束，暂停 ${days} 个工作日不计入答复期限`, workingDays: days, article: '第三十三条第三款' });
          openPause = null;
        }
        break;
      case 'EXTEND':
        extended = Number(event.payload.workingDays);
        steps.push({ date: event.at, description: `经负责人同意延长答复期限 ${extended} 个工作日`, workingDays: extended, article: '第三十三条第二款' });
        break;
      case 'REOPEN':
        concludedAt = null;
        startReplyClock(event.at, `复议决定或判决责令重新答复，重新计算答复期限 ${settings.replyWorkingDays} 个工作日`, '行政复议法第六十四条、行政诉讼法第七十条');
        break;
      default:
        if (CONCLUDING_EVENTS.has(event.type)) concludedAt = event.at;
    }
  }

  const asOf = concludedAt ?? today;
  const pausedNow = openPause !== null && concludedAt === null;
  let ongoingPause = 0;
  if (pausedNow) {
    const pauseStart = (openPause as { at: IsoDate } | null)!.at;
    ongoingPause = asOf > pauseStart ? count(pauseStart, asOf) : 0;
  }
  const clockStart = start as IsoDate | null;
  if (!clockStart || awaitingSupplement) {
    return {
      dueDate: null,
      remainingWorkingDays: null,
      pausedWorkingDays: paused,
      extendedWorkingDays: extended,
      provisional,
      paused: pausedNow,
      supplementDueDate,
      asOf,
      explanation: steps,
    };
  }
  const total = settings.replyWorkingDays + paused + ongoingPause + extended;
  const dueDate = add(clockStart, total);
  const remaining = count(asOf, dueDate);
  steps.push({
    date: dueDate,
    description:
      `答复期限：自 ${clockStart} 起第 ${total} 个工作日（${settings.replyWorkingDays}` +
      (paused + ongoingPause ? ` + 暂停 ${paused + ongoingPause}` : '') +
      (extended ? ` + 延长 ${extended}` : '') +
      `）` +
      (pausedNow ? '；征求意见尚未结束，期限随暂停顺延' : ''),
    workingDays: total,
    article: '第三十三条',
  });
  return {
    dueDate,
    remainingWorkingDays: remaining,
    pausedWorkingDays: paused + ongoingPause,
    extendedWorkingDays: extended,
    provisional,
    paused: pausedNow,
    supplementDueDate,
    asOf,
    explanation: steps,
  };
}
