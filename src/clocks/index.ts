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
