import { Schema, type Connection, type Model } from 'mongoose';
import { nameSearchWords, nameSortKey, wordPrefixPattern } from '../shared/name-search';
import type { SchoolScope } from '../shared/school-scope';
import { upsertMany, type UpsertCounts } from '../store/upsert-many';
import { STAFF_ROLES, type StaffMember, type StaffRole } from './staff.types';

/** A member of staff as stored: the directory fields plus derived search and sort fields. */
interface StaffDocument extends StaffMember {
  /** Folded words of the display name, and the e-mail address. */
  readonly searchText: string;
  /** Folded display name, for the picker's order. */
  readonly sortName: string;
}

const staffSchema = new Schema<StaffDocument>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    aadObjectId: { type: String, required: true, maxlength: 36 },
    displayName: { type: String, required: true, maxlength: 200 },
    email: { type: String, required: true, maxlength: 254 },
    jobTitle: { type: String, required: false, maxlength: 200 },
    roles: { type: [{ type: String, enum: STAFF_ROLES }], required: true },
    conflictPupilIds: { type: [String], required: true },
    active: { type: Boolean, required: true },
    searchText: { type: String, required: true, maxlength: 1000 },
    sortName: { type: String, required: true, maxlength: 300 },
  },
  { collection: 'staff', timestamps: true, strict: 'throw' },
);
staffSchema.index({ tenantId: 1, schoolId: 1, aadObjectId: 1 }, { unique: true });
// resolveActor looks a person up across the tenant's schools (a trust).
staffSchema.index({ tenantId: 1, aadObjectId: 1 });
staffSchema.index({ tenantId: 1, schoolId: 1, active: 1, sortName: 1 });

const STORED_FIELDS = [
  'displayName',
  'email',
  'jobTitle',
  'roles',
  'conflictPupilIds',
  'active',
  'searchText',
  'sortName',
] as const satisfies readonly (keyof StaffDocument)[];

/** The most memberships one person can have across a tenant's schools that we read at once. */
const MAX_MEMBERSHIPS = 50;

/** Reads and writes the staff directory; the only place that knows how it is stored. */
export class StaffRepository {
  private readonly model: Model<StaffDocument>;

  constructor(connection: Connection) {
    this.model =
      connection.models.StaffMember ?? connection.model<StaffDocument>('StaffMember', staffSchema);
  }

  /** A person's active memberships across every school of the tenant. */
  async findActiveMemberships(tenantId: string, aadObjectId: string): Promise<StaffMember[]> {
    const docs = await this.model
      .find({ tenantId, aadObjectId, active: true })
      .sort({ schoolId: 1 })
      .limit(MAX_MEMBERSHIPS)
      .lean();
    return docs.map(toStaffMember);
  }

  /** Active staff of one school by name, optionally only those holding one of `roles`. */
  async listActive(
    scope: SchoolScope,
    options: { roles?: readonly StaffRole[]; limit: number },
  ): Promise<StaffMember[]> {
    const docs = await this.model
      .find({
        tenantId: scope.tenantId,
        schoolId: scope.schoolId,
        active: true,
        ...(options.roles ? { roles: { $in: [...options.roles] } } : {}),
      })
      .sort({ sortName: 1, aadObjectId: 1 })
      .limit(options.limit)
      .lean();
    return docs.map(toStaffMember);
  }

  /** Members of one school (active or not) with these object ids; unknown ids are absent. */
  async findByAadObjectIds(
    scope: SchoolScope,
    aadObjectIds: readonly string[],
  ): Promise<StaffMember[]> {
    const ids = [...new Set(aadObjectIds)];
    const found: StaffMember[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const docs = await this.model
        .find({
          tenantId: scope.tenantId,
          schoolId: scope.schoolId,
          aadObjectId: { $in: ids.slice(i, i + 500) },
        })
        .lean();
      found.push(...docs.map(toStaffMember));
    }
    return found;
  }

  /** Active staff of one school with a name word (or e-mail) starting with each folded word. */
  async search(
    scope: SchoolScope,
    words: readonly string[],
    limit: number,
  ): Promise<StaffMember[]> {
    if (words.length === 0) return [];
    const docs = await this.model
      .find({
        tenantId: scope.tenantId,
        schoolId: scope.schoolId,
        active: true,
        $and: words.map((w) => ({ searchText: { $regex: wordPrefixPattern(w) } })),
      })
      .sort({ sortName: 1, aadObjectId: 1 })
      .limit(limit)
      .lean();
    return docs.map(toStaffMember);
  }

  /** Creates or updates members by object id, writing only what changed; safe to repeat. */
  async upsertMany(
    scope: SchoolScope,
    staff: readonly Omit<StaffMember, keyof SchoolScope>[],
  ): Promise<UpsertCounts> {
    const documents = staff.map((s): StaffDocument => ({
      ...s,
      tenantId: scope.tenantId,
      schoolId: scope.schoolId,
      roles: [...s.roles],
      conflictPupilIds: [...s.conflictPupilIds],
      searchText: [...nameSearchWords(s.displayName), s.email.toLowerCase()].join(' '),
      sortName: nameSortKey(s.displayName),
    }));
    return upsertMany(this.model, {
      scope: { tenantId: scope.tenantId, schoolId: scope.schoolId },
      keyField: 'aadObjectId',
      fields: STORED_FIELDS,
      documents,
    });
  }
}

/** Whitelists the fields that leave the repository. */
function toStaffMember(doc: StaffMember): StaffMember {
  return {
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    aadObjectId: doc.aadObjectId,
    displayName: doc.displayName,
    email: doc.email,
    jobTitle: doc.jobTitle ?? undefined,
    roles: [...doc.roles],
    conflictPupilIds: [...doc.conflictPupilIds],
    active: doc.active,
  };
}
