import { randomUUID } from 'node:crypto';
import type { Pupil } from '../pupils';
import type { Agency, Category } from '../schools';
import type { Actor, StaffMember } from '../staff';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, isDuplicateKeyError } from '../shared/errors';
import { KeyedLock } from '../shared/keyed-lock';
import type { RecordAuditRecovery } from './record-audit-recovery';
import type { SchoolScope } from '../shared/school-scope';
import { SCHOOL_TIME_ZONE } from '../shared/school-time';
import { IncidentValidationError } from './incident.errors';
import type { FieldErrors } from './incident.schemas';
import type { Incident, IncidentInput } from './incident.types';
import { auditEvent } from '../audit';

/** Storage the service needs: inserts and reads only (records are immutable). */
export interface IncidentStore {
  insert(incident: Incident): Promise<void>;
  findByIdempotencyKey(scope: SchoolScope, key: string): Promise<Incident | undefined>;
  highestReferenceNumber(scope: SchoolScope, year: number): Promise<number>;
}

/** The school's directory, as far as checking a record needs it. */
export interface IncidentDirectory {
  findPupils(scope: SchoolScope, pupilIds: readonly string[]): Promise<Pupil[]>;
  listCategories(scope: SchoolScope): Promise<Category[]>;
  listAgencies(scope: SchoolScope): Promise<Agency[]>;
  findStaff(scope: SchoolScope, aadObjectIds: readonly string[]): Promise<StaffMember[]>;
  referencePrefix(scope: SchoolScope): Promise<string>;
}

/** The outcome of recording: `created` is false when the same form was already submitted. */
export interface RecordResult {
  incident: Incident;
  created: boolean;
}

const MAX_REFERENCE_ATTEMPTS = 200;
const lockKeyOf = (scope: SchoolScope) => `${scope.tenantId}/${scope.schoolId}`;

/**
 * Records concerns. Independent of Teams: the bot, the tab and imports all call recordIncident.
 * The recorder, their roles and recordedAt come from the actor and the server clock, never from
 * the form.
 */
export class IncidentService {
  constructor(
    private readonly store: IncidentStore,
    private readonly directory: IncidentDirectory,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    /** Appends a record's missing create event when a repeated submit finds the record. */
    private readonly recovery?: Pick<RecordAuditRecovery, 'recoverOne'>,
  ) {}

  private readonly referenceLock = new KeyedLock();
  /** The last reference number this process claimed, per school and year. */
  private readonly lastReferenceNumbers = new Map<string, number>();

  /**
   * Stores a new immutable record, once per idempotency key. Throws IncidentValidationError with
   * per-field messages when the input names things the school does not have.
   */
  async recordIncident(
    actor: Actor,
    input: IncidentInput,
    idempotencyKey: string,
  ): Promise<RecordResult> {
    const existing = await this.store.findByIdempotencyKey(actor, idempotencyKey);
    if (existing) {
      const result = this.sameRecorder(actor, existing);
      // The first submit may have died between storing the record and auditing it.
      await this.recovery?.recoverOne(existing);
      return result;
    }

    const errors = await this.checkAgainstDirectory(actor, input);
    if (Object.keys(errors).length > 0) throw new IncidentValidationError(errors);

    const prefix = await this.directory.referencePrefix(actor);
    return this.referenceLock.run(lockKeyOf(actor), () =>
      this.insertWithReference(actor, input, idempotencyKey, prefix),
    );
  }

  /** Claims the next free reference by inserting against the unique index, retrying on a clash. */
  private async insertWithReference(
    actor: Actor,
    input: IncidentInput,
    idempotencyKey: string,
    prefix: string,
  ): Promise<RecordResult> {
    const recordedAt = this.clock.now();
    const year = schoolYearOf(recordedAt);
    // The highest number of the year is read once per process and school year, then counted on
    // here: the read walks the year's records (no store here pushes a sort onto an index), which
    // grows with every submit. The unique index still decides; a clash means another instance
    // took numbers meanwhile, so the highest is read again once.
    const counterKey = `${lockKeyOf(actor)}/${year}`;
    const known = this.lastReferenceNumbers.get(counterKey);
    let number = (known ?? (await this.store.highestReferenceNumber(actor, year))) + 1;
    let reread = known === undefined;
    for (let attempt = 0; attempt < MAX_REFERENCE_ATTEMPTS; attempt++, number++) {
      const incident: Incident = {
        ...input,
        incidentId: randomUUID(),
        tenantId: actor.tenantId,
        schoolId: actor.schoolId,
        reference: `${prefix}-${year}-${String(number).padStart(5, '0')}`,
        referenceYear: year,
        referenceNumber: number,
        idempotencyKey,
        recordedBy: {
          aadObjectId: actor.aadObjectId,
          displayName: actor.displayName,
          roles: [...actor.roles],
        },
        recordedAt,
      };
      try {
        await this.store.insert(incident);
        this.lastReferenceNumbers.set(counterKey, number);
        await this.audit.record(
          auditEvent(actor, 'record.create', { kind: 'incident', id: incident.incidentId }),
        );
        return { incident, created: true };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Either this form was submitted concurrently (return that record) or another record took
        // the number (try the next one; losers of a race fan out over the following numbers).
        // FerretDB does not say which unique index refused, so look.
        const raced = await this.store.findByIdempotencyKey(actor, idempotencyKey);
        if (raced) return this.sameRecorder(actor, raced);
        if (!reread) {
          // Counted past by another instance: start again just above what is stored now.
          number = await this.store.highestReferenceNumber(actor, year);
          reread = true;
        }
      }
    }
    throw new AppError('INCIDENT.REFERENCE_EXHAUSTED', 'could not claim a reference number');
  }

  private sameRecorder(actor: Actor, incident: Incident): RecordResult {
    // Keys are random per form; one from another person means a forged or replayed value.
    if (incident.recordedBy.aadObjectId !== actor.aadObjectId) {
      throw new AppError('INCIDENT.KEY_REUSED', 'idempotency key belongs to another recorder');
    }
    return { incident, created: false };
  }

  private async checkAgainstDirectory(actor: Actor, input: IncidentInput): Promise<FieldErrors> {
    const errors: FieldErrors = {};
    const pupilIds = [input.pupilId, ...input.linkedPupils.map((p) => p.pupilId)];
    const [pupils, categories, agencies, staff] = await Promise.all([
      this.directory.findPupils(actor, pupilIds),
      this.directory.listCategories(actor),
      this.directory.listAgencies(actor),
      this.directory.findStaff(actor, input.alertStaffIds),
    ]);
    const knownPupils = new Set(pupils.map((p) => p.pupilId));

    if (!knownPupils.has(input.pupilId)) errors.pupilId = 'Choose a pupil from your school’s list.';
    else if (actor.conflictPupilIds.includes(input.pupilId)) {
      await this.audit.record(
        auditEvent(
          actor,
          'access.denied',
          { kind: 'pupil', id: input.pupilId },
          { reason: 'conflict-of-interest: record about this pupil' },
        ),
      );
      throw new AppError('INCIDENT.CONFLICT_OF_INTEREST', 'recorder has a conflict of interest');
    }
    input.linkedPupils.forEach((linked, i) => {
      if (!knownPupils.has(linked.pupilId))
        errors[`linkedPupil${i + 1}`] = 'Choose a pupil from your school’s list.';
    });

    const activeCategories = new Map(
      categories.filter((c) => c.active).map((c) => [c.categoryId, c]),
    );
    const unknownCategory = input.categoryIds.find((id) => !activeCategories.has(id));
    if (unknownCategory !== undefined)
      errors.categoryIds = 'Choose categories from your school’s list.';
    const bodyMapAllowed = input.categoryIds.some((id) => activeCategories.get(id)?.offersBodyMap);
    if (input.bodyMap.length > 0 && !bodyMapAllowed) {
      errors.bodyRegion1 =
        'The body map is only for concerns where child protection is suspected: choose such a category, or clear the body map.';
    }

    const activeAgencies = new Set(agencies.filter((a) => a.active).map((a) => a.agencyId));
    if (input.agencyIds.some((id) => !activeAgencies.has(id))) {
      errors.agencyIds = 'Choose agencies from your school’s list.';
    }
    const activeStaff = new Set(staff.filter((s) => s.active).map((s) => s.aadObjectId));
    if (input.alertStaffIds.some((id) => !activeStaff.has(id))) {
      errors.alertStaffIds = 'Choose staff from your school’s list.';
    }
    return errors;
  }
}

/** The calendar year in the school's time zone: references restart each January. */
function schoolYearOf(instant: Date): number {
  return Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: SCHOOL_TIME_ZONE, year: 'numeric' }).format(
      instant,
    ),
  );
}
