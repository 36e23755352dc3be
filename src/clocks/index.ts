export {
  DEFAULT_SCHOOL_DAY,
  schoolClosuresText,
  schoolDayConfigSchema,
  schoolDaysText,
  schoolPeriodsFrom,
  type SchoolDayConfig,
  type SchoolPeriod,
} from './school-day';
export { bankHolidaysText, ENGLAND_BANK_HOLIDAYS_2026_2027 } from './bank-holidays';
export {
  addSchoolDays,
  addWorkingDays,
  referralChaseAt,
  referralDecisionDueAt,
  subjectAccessDueBy,
  taskTimes,
  transferDueBy,
  type StatutoryCalendar,
} from './statutory-clocks';
