import { addCalendarDays, isoDateToChinese, type IsoDate } from './dates';

/** A date in the applicant's words (2025年10月27日). */
const cn = (date: IsoDate | null): string => (date ? isoDateToChinese(date) : '');
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
  /** The same step in the applicant's words (the tracking page): no day 0, no article, no office-internal term. */
  plain: string;
}

export interface CaseClock {
  /** The reply due date (答复期限), or null while no reply clock runs (not yet received, awaiting 补正). */
  dueDate: IsoDate | null;
  /** Working days from `asOf` to the due date; 0 on the due date, negative when overdue. */
  remainingWorkingDays: number | null;
  pausedWorkingDays: number;
  extendedWorkingDays: number;
  /** True when any date counts through a year whose official calendar is not published (rules.md §2). */
  provisional: boolean;
  /** The reply clock stands still now: a consultation within its 15 working days (Art. 33 ¶3), or an unpaid fee notice. */
  paused: boolean;
  /** Art. 30: the one 补正 notice is due within 7 working days of receipt; shown until it is sent. */
  supplementNoticeDueDate: IsoDate | null;
  /** The day the supplement period ends (Art. 30), while a 补正 is awaited. */
  supplementDueDate: IsoDate | null;
  /** The last day of the open consultation's 15 working days (Art. 32, 34). */
  consultationLimitDate: IsoDate | null;
  /** The last day to pay an outstanding fee (国办函〔2020〕109号). */
  feeDueDate: IsoDate | null;
  /** Art. 35: the later reply date the agency set, which replaces the computed due date. */
  laterReplyDate: IsoDate | null;
  /**
   * Art. 32: the last day of the period left to a third party, after the 公开决定告知书, to seek relief before the
   * information is disclosed to the applicant (the reply issues on the day after it), or null.
   */
  thirdPartyReliefEnds: IsoDate | null;
  /** The day remaining working days are counted from: today, or the day the case concluded. */
  asOf: IsoDate;
  /**
   * 国办公开办函〔2016〕235号第四条: the day the reply reached the applicant as the periods count it — signed for (direct,
   * delegated) or handed to the post (交邮之日) — from the first service recorded after the reply; null until then.
   */
  replyServedAt: IsoDate | null;
  /** Procedural defects worth a look, e.g. a 补正 notice later than 7 working days. */
  warnings: string[];
  explanation: ClockStep[];
}

export interface ClockSettings {
  /** Art. 33 ¶2: 20 working days. */
  replyWorkingDays: number;
  /** Art. 30: the 补正 notice within 7 working days of receipt. */
  supplementNoticeWorkingDays: number;
  /** Art. 32, 34: 15 working days for a third party or another agency to answer. */
  consultationWorkingDays: number;
  /** 国办函〔2020〕109号: 20 working days to pay. */
  feePaymentWorkingDays: number;
  /** rules.md §3 [verify]: whether the payment period pauses the reply clock; default paused. */
  feePausesReplyClock: boolean;
  /** rules.md §3 [practice]: working days a third party has after the 公开决定告知书 before disclosure (Art. 32). */
  thirdPartyReliefWorkingDays: number;
}

export const DEFAULT_CLOCK_SETTINGS: ClockSettings = {
  replyWorkingDays: 20,
  supplementNoticeWorkingDays: 7,
  consultationWorkingDays: 15,
  feePaymentWorkingDays: 20,
  feePausesReplyClock: true,
  thirdPartyReliefWorkingDays: 15,
};

/**
 * The day a lapsed period (补正, Art. 30; fee, 国办函〔2020〕109号) concludes the case: the first day after its last
 * day. The applicant may still supplement or pay on the last day itself, so the application is deemed abandoned
 * (视为放弃申请) only once that day has passed; a sweep that notices the lapse later still dates it here.
 */
export function lapseDateOf(periodLastDay: IsoDate): IsoDate {
  return addCalendarDays(periodLastDay, 1);
}

const CONCLUDING_EVENTS = new Set(['ISSUE_REPLY', 'WITHDRAW', 'SUPPLEMENT_LAPSED', 'FEE_LAPSED']);

const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a < b ? a : b);

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
  const warnings: string[] = [];
  let provisional = false;
  let start: IsoDate | null = null;
  let receivedAt: IsoDate | null = null;
  let paused = 0;
  let extended = 0;
  let laterReplyDate: IsoDate | null = null;
  let consultation: { at: IsoDate; limit: IsoDate; kind: string } | null = null;
  /** `pauses`: the notice went out within the reply period, so the payment period may pause the clock. */
  let fee: { at: IsoDate; dueDate: IsoDate; pauses: boolean } | null = null;
  let thirdPartyReliefEnds: IsoDate | null = null;
  let supplementRequested = false;
  let supplementDueDate: IsoDate | null = null;
  let awaitingSupplement = false;
  let concludedAt: IsoDate | null = null;
  let replyServedAt: IsoDate | null = null;
  /** The due date in force when the reply was issued: the date its service is measured against. */
  let dueAtConclusion: IsoDate | null = null;

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
  const startReplyClock = (at: IsoDate, description: string, article: string, plain: string) => {
    start = at;
    paused = 0;
    extended = 0;
    laterReplyDate = null;
    consultation = null;
    fee = null;
    thirdPartyReliefEnds = null;
    steps.push({ date: at, description, workingDays: settings.replyWorkingDays, article, plain: `${plain}，答复期限从次日起计算 ${settings.replyWorkingDays} 个工作日` });
  };
  /**
   * The due date in force before this event (rules.md §3: a period that has run out stays run out), or null while no
   * reply clock runs. A pause, an extension or an Art. 35 date that comes after it changes nothing.
   */
  const dueInForce = (): IsoDate | null => {
    if (!start || awaitingSupplement) return null;
    return laterReplyDate ?? add(start, settings.replyWorkingDays + paused + extended);
  };
  const lateEvent = (event: ClockEvent, what: string, article: string): boolean => {
    const due = dueInForce();
    if (due === null || event.at <= due) return false;
    warnings.push(`${what}于 ${event.at} 作出，答复期限 ${due} 已届满，不改变答复期限（${article}）`);
    steps.push({
      date: event.at,
      description: `${what}晚于答复期限 ${due}，不计入、不改变答复期限`,
      workingDays: null,
      article,
      plain: `${what}晚于答复期限 ${cn(due)}，答复期限不因此改变`,
    });
    return true;
  };
  const dayZero = (event: ClockEvent, field: string): IsoDate => (typeof event.payload[field] === 'string' ? (event.payload[field] as IsoDate) : event.at);

  for (const event of events) {
    switch (event.type) {
      case 'REGISTER':
        receivedAt = event.at;
        startReplyClock(event.at, `收到申请（第 0 日，不计入），自次日起算 ${settings.replyWorkingDays} 个工作日`, '第三十一条、第三十三条第二款', '本机关收到您的申请');
        break;
      case 'CONFIRM_RECEIPT':
        receivedAt = event.at;
        startReplyClock(
          event.at,
          `双方确认收到在线申请（第 0 日），自次日起算 ${settings.replyWorkingDays} 个工作日`,
          '第三十一条第（三）项、第三十三条第二款',
          '本机关与您确认收到网上申请，确认之日为收到申请之日',
        );
        break;
      case 'REQUEST_SUPPLEMENT': {
        const period = Number(event.payload.periodWorkingDays);
        const from = dayZero(event, 'noticeReceivedAt');
        supplementRequested = true;
        awaitingSupplement = true;
        supplementDueDate = add(from, period);
        if (receivedAt) {
          const noticeDue = add(receivedAt, settings.supplementNoticeWorkingDays);
          if (event.at > noticeDue) {
            warnings.push(`补正告知于 ${event.at} 发出，晚于收到申请后 ${settings.supplementNoticeWorkingDays} 个工作日（${noticeDue}）（第三十条）`);
          }
        }
        steps.push({
          date: event.at,
          description:
            `发出补正告知，补正期限 ${period} 个工作日，自申请人收到告知之日（${from}）起算，至 ${supplementDueDate}；` +
            '答复期限自收到补正之日起重新计算',
          workingDays: period,
          article: '第三十条',
          plain: `本机关请您补正申请，补正期限 ${period} 个工作日，至 ${cn(supplementDueDate)}；补正期间答复期限不计算，收到补正后重新计算`,
        });
        break;
      }
      case 'RECEIVE_SUPPLEMENT':
        awaitingSupplement = false;
        supplementDueDate = null;
        startReplyClock(
          event.at,
          `收到补正申请，答复期限自收到补正之日起重新计算 ${settings.replyWorkingDays} 个工作日`,
          '第三十条、第三十三条',
          '本机关收到您的补正，答复期限重新计算',
        );
        break;
      case 'START_CONSULTATION': {
        const agency = event.payload.kind === 'agency';
        // rules.md §3: only a consultation sent on or before the due date pauses the clock (Art. 33 ¶3).
        if (lateEvent(event, agency ? '征求其他机关意见' : '征求第三方意见', '第三十三条第三款')) break;
        const limit = add(dayZero(event, 'partyReceivedAt'), settings.consultationWorkingDays);
        consultation = { at: event.at, limit, kind: String(event.payload.kind) };
        steps.push({
          date: event.at,
          description:
            `${agency ? '征求其他机关意见' : '征求第三方意见'}（${String(event.payload.party ?? '')}），答复期限暂停计算；` +
            `对方应于 ${limit} 前答复（${settings.consultationWorkingDays} 个工作日）` +
            (agency ? '，逾期未答复视为同意' : '，逾期未答复的由本机关依法决定'),
          workingDays: settings.consultationWorkingDays,
          article: agency ? '第三十四条、第三十三条第三款' : '第三十二条、第三十三条第三款',
          plain: `本机关征求${agency ? '其他机关' : '第三方'}的意见，征求意见期间（最长至 ${cn(limit)}）不计入答复期限`,
        });
        break;
      }
      case 'END_CONSULTATION': {
        const open = consultation as { at: IsoDate; limit: IsoDate } | null;
        if (!open) break;
        // Art. 33 ¶3: only the consultation's own period stands outside the reply clock.
        const until = minDate(event.at, open.limit);
        const days = count(open.at, until);
        paused += days;
        steps.push({
          date: event.at,
          description:
            `征求意见结束，暂停 ${days} 个工作日不计入答复期限` + (event.at > open.limit ? `（超过征求意见期限 ${open.limit} 的部分照常计算）` : ''),
          workingDays: days,
          article: '第三十三条第三款',
          plain: `征求意见结束，其间 ${days} 个工作日不计入答复期限`,
        });
        consultation = null;
        break;
      }
      case 'EXTEND':
        if (lateEvent(event, '延长答复期限', '第三十三条第二款')) break;
        extended = Number(event.payload.workingDays);
        steps.push({
          date: event.at,
          description: `经负责人同意延长答复期限 ${extended} 个工作日`,
          workingDays: extended,
          article: '第三十三条第二款',
          plain: `答复期限延长 ${extended} 个工作日，至 ${cn(dueInForce())}`,
        });
        break;
      case 'SEND_FEE_NOTICE': {
        const dueDate = add(dayZero(event, 'noticeReceivedAt'), settings.feePaymentWorkingDays);
        // 国办函〔2020〕109号: the notice goes out within the reply period; a late one pauses nothing.
        const late = lateEvent(event, '发出收费通知', '国办函〔2020〕109号');
        fee = { at: event.at, dueDate, pauses: !late };
        if (late) break;
        steps.push({
          date: event.at,
          description:
            `发出收费通知，申请人应于 ${dueDate} 前缴费（${settings.feePaymentWorkingDays} 个工作日）` +
            (settings.feePausesReplyClock ? '；缴费期间答复期限暂停计算' : ''),
          workingDays: settings.feePaymentWorkingDays,
          article: '国办函〔2020〕109号',
          plain: `本机关通知您缴纳信息处理费，请于 ${cn(dueDate)} 前缴纳` + (settings.feePausesReplyClock ? '；缴费期间答复期限不计算' : ''),
        });
        break;
      }
      case 'RECORD_FEE_PAYMENT': {
        const open = fee as { at: IsoDate; pauses: boolean } | null;
        if (!open) break;
        const pausing = settings.feePausesReplyClock && open.pauses;
        const days = pausing ? count(open.at, event.at) : 0;
        paused += days;
        steps.push({
          date: event.at,
          description: pausing ? `申请人缴费，缴费期间 ${days} 个工作日不计入答复期限` : '申请人缴费',
          workingDays: pausing ? days : null,
          article: '国办函〔2020〕109号',
          plain: pausing ? `您已缴费，缴费期间 ${days} 个工作日不计入答复期限` : '您已缴费',
        });
        fee = null;
        break;
      }
      case 'SET_LATER_REPLY_DATE': {
        const due = dueInForce();
        const replyBy = String(event.payload.replyBy);
        // Art. 35: decided within the reply period, and later than the due date it replaces.
        if (lateEvent(event, '确定延迟答复期限', '第三十五条')) break;
        if (due !== null && replyBy <= due) {
          warnings.push(`延迟答复的期限 ${replyBy} 不晚于答复期限 ${due}，不改变答复期限（第三十五条）`);
          break;
        }
        laterReplyDate = replyBy;
        steps.push({
          date: event.at,
          description: `申请人理由合理，确定延迟答复的期限为 ${laterReplyDate}`,
          workingDays: null,
          article: '第三十五条',
          plain: `本机关确定延迟答复，答复期限为 ${cn(laterReplyDate)}`,
        });
        break;
      }
      case 'APPROVE':
        // Art. 32: the head signed a disclosure over the third party's objection and the 公开决定告知书 went out.
        if (event.payload.disclosureDecisionNotice === true) {
          thirdPartyReliefEnds = add(event.at, settings.thirdPartyReliefWorkingDays);
          steps.push({
            date: event.at,
            description:
              `向第三方发出公开决定告知书；第三方可在 ${settings.thirdPartyReliefWorkingDays} 个工作日内（至 ${thirdPartyReliefEnds}）寻求救济，` +
              `期满后方可向申请人公开（出具答复）`,
            workingDays: settings.thirdPartyReliefWorkingDays,
            article: '第三十二条；法释〔2011〕17号第十一条',
            plain: `涉及第三方的信息决定公开，须等第三方寻求救济的期限（至 ${cn(thirdPartyReliefEnds)}）届满后再向您提供`,
          });
        }
        break;
      case 'RECORD_SERVICE': {
        // 235号第四条: the reply counts as given on the day it is signed for, or handed to the post. A reply issued in
        // time but posted after the due date was given late, and the case says so.
        if (replyServedAt || !concludedAt) break;
        replyServedAt = event.at;
        const method = String(event.payload.method ?? '');
        const what = method === 'post' ? '交邮' : method === 'electronic' ? '电子送达' : '签收';
        const late = dueAtConclusion !== null && event.at > dueAtConclusion;
        if (late) warnings.push(`答复书于 ${event.at} ${what}，晚于答复期限 ${dueAtConclusion}（国办公开办函〔2016〕235号第四条：以${what}之日计算）`);
        steps.push({
          date: event.at,
          description: `答复书${what}（${method === 'post' ? '邮寄送达以交邮之日' : '以申请人签收之日'}为期限计算时点）` + (late ? `，晚于答复期限 ${dueAtConclusion}` : ''),
          workingDays: null,
          article: '国办公开办函〔2016〕235号第四条',
          plain: `答复书于 ${cn(event.at)} ${method === 'post' ? '交邮寄出' : method === 'electronic' ? '由您在网上取得' : '送达'}`,
        });
        break;
      }
      case 'REOPEN':
        concludedAt = null;
        replyServedAt = null;
        dueAtConclusion = null;
        startReplyClock(
          event.at,
          `复议决定或判决责令重新答复，重新计算答复期限 ${settings.replyWorkingDays} 个工作日`,
          '行政复议法第六十四条、行政诉讼法第七十条',
          '复议机关或人民法院要求重新答复，本机关重新办理',
        );
        break;
      default:
        if (CONCLUDING_EVENTS.has(event.type)) {
          dueAtConclusion = event.type === 'ISSUE_REPLY' ? dueInForce() : null;
          concludedAt = event.at;
        }
    }
  }

  const asOf = concludedAt ?? today;
  const open = concludedAt === null;
  const openConsultation = open ? (consultation as { at: IsoDate; limit: IsoDate } | null) : null;
  const openFee = open ? (fee as { at: IsoDate; dueDate: IsoDate; pauses: boolean } | null) : null;
  const feePauses = Boolean(openFee && openFee.pauses && settings.feePausesReplyClock);
  let ongoingPause = 0;
  if (openConsultation && asOf > openConsultation.at) ongoingPause += count(openConsultation.at, minDate(asOf, openConsultation.limit));
  if (openFee && feePauses && asOf > openFee.at) ongoingPause += count(openFee.at, asOf);
  const pausedNow = Boolean((openConsultation && asOf <= openConsultation.limit) || feePauses);
  const clockStart = start as IsoDate | null;
  const base = {
    pausedWorkingDays: paused + ongoingPause,
    extendedWorkingDays: extended,
    paused: pausedNow,
    supplementDueDate: open ? supplementDueDate : null,
    consultationLimitDate: openConsultation?.limit ?? null,
    feeDueDate: openFee?.dueDate ?? null,
    laterReplyDate: laterReplyDate as IsoDate | null,
    thirdPartyReliefEnds: open ? (thirdPartyReliefEnds as IsoDate | null) : null,
    asOf,
    replyServedAt: replyServedAt as IsoDate | null,
    warnings,
  };
  if (!clockStart || awaitingSupplement) {
    return { ...base, dueDate: null, remainingWorkingDays: null, supplementNoticeDueDate: null, provisional, explanation: steps };
  }
  const supplementNoticeDueDate =
    open && !supplementRequested && receivedAt ? add(receivedAt, settings.supplementNoticeWorkingDays) : null;
  let dueDate: IsoDate;
  if (base.laterReplyDate) {
    dueDate = base.laterReplyDate;
    steps.push({
      date: dueDate,
      description: `答复期限：第三十五条确定的延迟答复期限 ${dueDate}`,
      workingDays: null,
      article: '第三十五条',
      plain: `答复期限为本机关确定的延迟答复期限 ${cn(dueDate)}`,
    });
  } else {
    const total = settings.replyWorkingDays + paused + ongoingPause + extended;
    dueDate = add(clockStart, total);
    steps.push({
      date: dueDate,
      description:
        `答复期限：自 ${clockStart} 起第 ${total} 个工作日（${settings.replyWorkingDays}` +
        (paused + ongoingPause ? ` + 暂停 ${paused + ongoingPause}` : '') +
        (extended ? ` + 延长 ${extended}` : '') +
        `）` +
        (pausedNow ? '；暂停尚未结束，期限随之顺延' : ''),
      workingDays: total,
      article: '第三十三条',
      plain:
        `答复期限为 ${cn(dueDate)}：从 ${cn(clockStart)} 的次日起数第 ${total} 个工作日（${settings.replyWorkingDays} 个工作日` +
        (paused + ongoingPause ? `，加上不计入的 ${paused + ongoingPause} 个工作日` : '') +
        (extended ? `，加上延长的 ${extended} 个工作日` : '') +
        '；周末和法定节假日不算工作日，调休上班的周末算工作日）' +
        (pausedNow ? '；目前暂停计算，期限会相应顺延' : ''),
    });
  }
  const reliefEnds = base.thirdPartyReliefEnds;
  if (reliefEnds && reliefEnds >= dueDate) {
    warnings.push(`第三方救济期限至 ${reliefEnds}，届满后出具答复将晚于答复期限 ${dueDate}（第三十二条、第三十三条）`);
  }
  const remaining = count(asOf, dueDate);
  return { ...base, dueDate, remainingWorkingDays: remaining, supplementNoticeDueDate, provisional, explanation: steps };
}

export type ClockAlertKind = 'due_soon' | 'overdue' | 'supplement_lapsed' | 'fee_lapsed' | 'consultation_limit_reached';

export interface ClockAlert {
  kind: ClockAlertKind;
  /** The date the alert is about, so one alert per deadline is sent (the outbox deduplicates on it). */
  date: IsoDate;
  message: string;
}

/** What the scheduler should act on for an open case today (rules.md §3: warnings before the due date and when overdue). */
export function clockAlerts(clock: CaseClock, today: IsoDate, dueSoonWorkingDays = 3): ClockAlert[] {
  const alerts: ClockAlert[] = [];
  if (clock.dueDate && clock.remainingWorkingDays !== null && !clock.paused) {
    if (clock.remainingWorkingDays < 0) {
      alerts.push({ kind: 'overdue', date: clock.dueDate, message: `答复期限 ${clock.dueDate} 已过，已逾期 ${-clock.remainingWorkingDays} 个工作日` });
    } else if (clock.remainingWorkingDays <= dueSoonWorkingDays) {
      alerts.push({ kind: 'due_soon', date: clock.dueDate, message: `答复期限 ${clock.dueDate}，还剩 ${clock.remainingWorkingDays} 个工作日` });
    }
  }
  if (clock.supplementDueDate && today > clock.supplementDueDate) {
    alerts.push({ kind: 'supplement_lapsed', date: clock.supplementDueDate, message: `补正期限 ${clock.supplementDueDate} 已届满，申请人未补正（第三十条）` });
  }
  if (clock.feeDueDate && today > clock.feeDueDate) {
    alerts.push({ kind: 'fee_lapsed', date: clock.feeDueDate, message: `缴费期限 ${clock.feeDueDate} 已届满，申请人未缴费` });
  }
  if (clock.consultationLimitDate && today > clock.consultationLimitDate) {
    alerts.push({
      kind: 'consultation_limit_reached',
      date: clock.consultationLimitDate,
      message: `征求意见期限 ${clock.consultationLimitDate} 已届满：答复期限恢复计算，请依法作出决定（第三十二条、第三十四条）`,
    });
  }
  return alerts;
}
