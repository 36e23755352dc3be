import type { AlertRecipient } from '../../alerts';
import type { Incident } from '../../incidents';
import type { Pupil } from '../../pupils';
import type { Agency, Category } from '../../schools';
import type { SchoolScope } from '../../shared/school-scope';
import type { StaffMember } from '../../staff';

/** The directory reads the form needs, as narrow interfaces. */
export interface ReportDirectory {
  pupils: {
    searchPupils(scope: SchoolScope, query: string, limit?: number): Promise<Pupil[]>;
    findPupils(scope: SchoolScope, pupilIds: readonly string[]): Promise<Pupil[]>;
  };
  staff: {
    listSafeguardingTeam(scope: SchoolScope): Promise<StaffMember[]>;
    listActiveStaff(scope: SchoolScope, limit?: number): Promise<StaffMember[]>;
    findStaff(scope: SchoolScope, aadObjectIds: readonly string[]): Promise<StaffMember[]>;
  };
  lists: {
    listCategories(scope: SchoolScope): Promise<Category[]>;
    listAgencies(scope: SchoolScope): Promise<Agency[]>;
  };
  alerts: {
    /** Whom alerts/ alerts about a record, and why (it alone chooses). */
    recipientsFor(incident: Incident): Promise<AlertRecipient[]>;
  };
  records: {
    /** Distinct subjects of a person's own records since an instant, newest first. */
    recentPupilIdsRecordedBy(
      scope: SchoolScope,
      aadObjectId: string,
      since: Date,
      limit: number,
    ): Promise<string[]>;
  };
}
