import { addCalendarDays, type IsoDate, type WorkingDayCalendar } from '@desk/calendar';

/**
 * The agency's own deadline as respondent (rules.md §7):
 * - review: the written answer with evidence within 10 working days of receiving the copy of the application, 5 under the
 *   simplified procedure (行政复议法 2023 Art. 48, 54; Art. 88 makes them working days);
 * - litigation: evidence and defence within 15 days of receiving the complaint (行政诉讼法 Art. 67); a last day on a
 *   holiday moves to the first day after it (民事诉讼法 Art. 85 via 行政诉讼法 Art. 101).
 */
export function respondentDeadline(
  calendar: WorkingDayCalendar,
  kind: 'review' | 'litigation',
  servedAt: IsoDate,
  simplified: boolean,
): { date: IsoDate; provisional: boolean; basis: string } {
  if (kind === 'review') {
    const result = calendar.addWorkingDays(servedAt, simplified ? 5 : 10);
    return { ...result, basis: simplified ? '行政复议法第五十四条（5个工作日）' : '行政复议法第四十八条（10个工作日）' };
  }
  const result = calendar.nextWorkingDayOnOrAfter(addCalendarDays(servedAt, 15));
  return { ...result, basis: '行政诉讼法第六十七条（15日）' };
}
