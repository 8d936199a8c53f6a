export {
  addCalendarDays,
  assertIsoDate,
  compareIsoDates,
  dayNumberToIsoDate,
  dayOfWeek,
  isIsoDate,
  isoDateToChinese,
  isoDateToDayNumber,
  todayInShanghai,
  yearOf,
  type IsoDate,
} from './dates';
export { OFFICIAL_CALENDAR, type CalendarYearData } from './calendar-data';
export {
  fixedStatutoryHoliday,
  validateCalendarData,
  WorkingDayCalendar,
  type WorkingDateResult,
  type WorkingDayCountResult,
  type WorkingDayStatus,
} from './working-day-calendar';
export * from './case-clock';
export { formatHolidayNotice, parseHolidayNotice, type NoticeDay, type ParsedNotice } from './holiday-notice';
