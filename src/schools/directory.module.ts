import type { Connection } from 'mongoose';
import { PupilDirectory, PupilRepository } from '../pupils';
import { StaffDirectory, StaffRepository } from '../staff';
import { SchoolListsRepository } from './school-lists.repository';
import { SchoolLists } from './school-lists.service';
import { SchoolRepository } from './school.repository';

/**
 * The school's directory: its settings, its lists (categories, agencies), its pupils and staff as
 * imported from the MIS. Every other module reads these; they read nothing else.
 */
export function createDirectoryModule(connection: Connection) {
  return {
    schools: new SchoolRepository(connection),
    lists: new SchoolLists(new SchoolListsRepository(connection)),
    pupils: new PupilDirectory(new PupilRepository(connection)),
    staff: new StaffDirectory(new StaffRepository(connection)),
  };
}
