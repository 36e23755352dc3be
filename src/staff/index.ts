export type { Actor, StaffMember, StaffRole } from './staff.types';
export { STAFF_ROLES, isSafeguardingTeam } from './staff.types';
export { StaffRepository } from './staff.repository';
export { StaffDirectory, type StaffStore } from './staff.service';
