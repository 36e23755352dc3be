import { AppError } from '../shared/errors';
import { clampLimit, querySearchWords } from '../shared/name-search';
import type { SchoolScope } from '../shared/school-scope';
import { TtlCache } from '../shared/ttl-cache';
import {
  SAFEGUARDING_TEAM_ROLES,
  type Actor,
  type StaffMember,
  type StaffRole,
} from './staff.types';

/** What the staff directory needs from storage (StaffRepository provides it). */
export interface StaffStore {
  findActiveMemberships(tenantId: string, aadObjectId: string): Promise<StaffMember[]>;
  listActive(
    scope: SchoolScope,
    options: { roles?: readonly StaffRole[]; limit: number },
  ): Promise<StaffMember[]>;
  findByAadObjectIds(scope: SchoolScope, aadObjectIds: readonly string[]): Promise<StaffMember[]>;
  search(scope: SchoolScope, words: readonly string[], limit: number): Promise<StaffMember[]>;
}

const MAX_TEAM = 100;
const MAX_ACTIVE_STAFF = 500;
const MAX_SEARCH_RESULTS = 50;

/**
 * Who someone is at their school, from the school's own directory: roles and conflicts of
 * interest always come from here, never from what a client sends. Deny by default: someone not
 * in the directory, or no longer active, is not an actor at all.
 */
export class StaffDirectory {
  constructor(private readonly store: StaffStore) {}

  // Read for every form and every alert; directory imports are rare. Who is acting
  // (resolveActor) is never cached: a removed role must stop working at once.
  private readonly team = new TtlCache<StaffMember[]>(30_000);

  /**
   * The acting person for a Teams user: their one active membership in the tenant. Throws
   * STAFF.NOT_FOUND when they are not in the directory or not active, and STAFF.SEVERAL_SCHOOLS
   * when they are active at more than one school of a trust. For now that is a refusal; the bot
   * will later ask which school they are acting for and pass the choice back.
   */
  async resolveActor(tenantId: string, aadObjectId: string): Promise<Actor> {
    const memberships = await this.store.findActiveMemberships(
      tenantId,
      aadObjectId.trim().toLowerCase(),
    );
    const [only, ...others] = memberships;
    if (!only) throw new AppError('STAFF.NOT_FOUND', 'No active staff membership for this user');
    if (others.length > 0) {
      throw new AppError('STAFF.SEVERAL_SCHOOLS', 'User is active at several schools');
    }
    return {
      tenantId: only.tenantId,
      schoolId: only.schoolId,
      aadObjectId: only.aadObjectId,
      displayName: only.displayName,
      roles: only.roles,
      conflictPupilIds: only.conflictPupilIds,
    };
  }

  /**
   * The school's active DSL, deputies and named team members, by name: who is always alerted.
   * Callers drop anyone with a conflict of interest in the pupils concerned.
   */
  async listSafeguardingTeam(scope: SchoolScope): Promise<StaffMember[]> {
    return this.team.get(`${scope.tenantId}/${scope.schoolId}`, () =>
      this.store.listActive(scope, { roles: SAFEGUARDING_TEAM_ROLES, limit: MAX_TEAM }),
    );
  }

  /**
   * Members of the school with these object ids, active or not (a record still names someone
   * who has left); callers check `active` before alerting anyone. Unknown ids are absent.
   */
  async findStaff(scope: SchoolScope, aadObjectIds: readonly string[]): Promise<StaffMember[]> {
    if (aadObjectIds.length === 0) return [];
    return this.store.findByAadObjectIds(
      scope,
      aadObjectIds.map((id) => id.trim().toLowerCase()),
    );
  }

  /** The school's active staff by name, for the "who else to alert" picker (at most 500). */
  async listActiveStaff(scope: SchoolScope, limit = 200): Promise<StaffMember[]> {
    return this.store.listActive(scope, { limit: clampLimit(limit, MAX_ACTIVE_STAFF, 200) });
  }

  /**
   * Active staff whose name words (or e-mail) start with every word of the query, in any order,
   * ignoring case and accents; by name. A blank query gives []; at most 50 results.
   */
  async searchStaff(scope: SchoolScope, query: string, limit = 15): Promise<StaffMember[]> {
    const words = querySearchWords(query);
    if (words.length === 0) return [];
    return this.store.search(scope, words, clampLimit(limit, MAX_SEARCH_RESULTS));
  }
}
