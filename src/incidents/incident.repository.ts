import { Schema, Types, type Connection, type Model } from 'mongoose';
import {
  MongoWrappedKeyHolder,
  sealedNarrativeSchema,
  type NarrativeCipher,
  type SealedNarrative,
  type WrappedKeyHolder,
} from '../encryption';
import { isDuplicateKeyError } from '../shared/errors';
import { scoped, type SchoolScope } from '../shared/school-scope';
import {
  narrativeOf,
  withNarrative,
  type IncidentDoc,
  type IncidentHeader,
} from './incident-narrative';
import type { Incident } from './incident.types';
import { refuseChanges } from '../store/append-only';

// Where each mark is stays searchable; what it looks like is narrative and sealed.
const bodyMapSchema = new Schema(
  {
    region: { type: String, required: true },
    side: { type: String, required: true },
    laterality: { type: String, required: true },
  },
  { _id: false, strict: 'throw' },
);

const incidentSchema = new Schema<IncidentDoc>(
  {
    incidentId: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    reference: { type: String, required: true },
    referenceYear: { type: Number, required: true },
    referenceNumber: { type: Number, required: true },
    idempotencyKey: { type: String, required: true },
    recordedBy: {
      aadObjectId: { type: String, required: true },
      displayName: { type: String, required: true },
      roles: { type: [String], required: true },
    },
    recordedAt: { type: Date, required: true },
    pupilId: { type: String, required: true },
    happenedAt: { type: Date, required: true },
    transcribedFromPaper: { type: Boolean, required: true },
    // The narrative fields, body-map descriptions and location, encrypted (src/encryption).
    sealed: { type: sealedNarrativeSchema, required: true },
    categoryIds: { type: [String], required: true },
    linkedPupils: {
      type: [new Schema({ pupilId: String, role: String }, { _id: false, strict: 'throw' })],
      default: [],
    },
    agencyIds: { type: [String], default: [] },
    bodyMap: { type: [bodyMapSchema], default: [] },
    alertStaffIds: { type: [String], default: [] },
    // The UTC day recorded (midnight), for reading recent records by equality (see listRecentIn).
    recordedDay: { type: Date },
  },
  { collection: 'incidents', strict: 'throw', minimize: false, versionKey: false },
);
// The reference is claimed by inserting against this index (no racing counter).
incidentSchema.index({ tenantId: 1, schoolId: 1, reference: 1 }, { unique: true });
// A double click or a Teams retry of the same form finds the first record here.
incidentSchema.index({ tenantId: 1, schoolId: 1, idempotencyKey: 1 }, { unique: true });
incidentSchema.index({ incidentId: 1 }, { unique: true });
incidentSchema.index({ tenantId: 1, schoolId: 1, referenceYear: 1, referenceNumber: -1 });
incidentSchema.index({ tenantId: 1, schoolId: 1, pupilId: 1, happenedAt: -1 });
incidentSchema.index({ tenantId: 1, schoolId: 1, 'recordedBy.aadObjectId': 1, recordedAt: -1 });
incidentSchema.index({ recordedAt: 1 });
// One school's newest records (the desk's new concerns).
incidentSchema.index({ tenantId: 1, schoolId: 1, recordedAt: -1 });
incidentSchema.index({ tenantId: 1, schoolId: 1, recordedDay: 1 });

// Records are immutable once submitted: refuse every update or delete path at the model too, so
// a later feature cannot edit a record by accident (amendments are separate, versioned documents).
// The one exception is key rotation (`wrappedKeys()`), which re-wraps a record's data key through
// the driver's collection: it can change the wrapped key and its key id and nothing else, so the
// narrative's ciphertext, and therefore what the record says, stays as it was written.
refuseChanges(incidentSchema, 'INCIDENT.IMMUTABLE', 'incidents');

/** The records' model on a connection (registered once; other readers of records share it). */
export function incidentModelOf(connection: Connection): Model<IncidentDoc> {
  return connection.models.Incident ?? connection.model<IncidentDoc>('Incident', incidentSchema);
}

/**
 * Stores submitted incidents; inserts and reads only. The narrative is sealed on the way in and
 * opened on the way out, so the Incident type and the services stay plaintext.
 */
export class IncidentRepository {
  private readonly model: Model<IncidentDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.model =
      connection.models.Incident ?? connection.model<IncidentDoc>('Incident', incidentSchema);
  }

  /** Inserts a record; a duplicate reference or idempotency key fails with code 11000. */
  async insert(incident: Incident): Promise<void> {
    const sealed = await this.cipher.seal(
      { ...narrativeOf(incident) },
      contextOf(incident.incidentId),
    );
    await this.model.create({
      ...toDoc(incident, sealed),
      recordedDay: dayOf(incident.recordedAt),
    });
  }

  /** The records' wrapped data keys, for key rotation only (see the note at the hooks above). */
  wrappedKeys(): WrappedKeyHolder {
    return new MongoWrappedKeyHolder('incidents', this.model.collection, 'sealed');
  }

  /** The record made from this form, if it was already submitted. */
  async findByIdempotencyKey(
    scope: SchoolScope,
    idempotencyKey: string,
  ): Promise<Incident | undefined> {
    const doc = await this.model.findOne({ ...scoped(scope), idempotencyKey }).lean();
    return doc ? this.toIncident(doc) : undefined;
  }

  /** The highest reference number used this year at this school (0 when none). */
  async highestReferenceNumber(scope: SchoolScope, year: number): Promise<number> {
    const doc = await this.model
      .find({ ...scoped(scope), referenceYear: year }, { referenceNumber: 1 })
      .sort({ referenceNumber: -1 })
      .limit(1)
      .lean();
    return doc[0]?.referenceNumber ?? 0;
  }

  /** One record by its id, only within the school. */
  async findById(scope: SchoolScope, incidentId: string): Promise<Incident | undefined> {
    const doc = await this.model.findOne({ ...scoped(scope), incidentId }).lean();
    return doc ? this.toIncident(doc) : undefined;
  }

  /** A person's own recent records, newest first: reference and date only (no narrative read). */
  async listRecordedBy(
    scope: SchoolScope,
    aadObjectId: string,
    since: Date,
    limit: number,
  ): Promise<{ incidentId: string; reference: string; recordedAt: Date }[]> {
    const docs = await this.model
      .find(
        {
          ...scoped(scope),
          'recordedBy.aadObjectId': aadObjectId,
          recordedAt: { $gte: since },
        },
        { incidentId: 1, reference: 1, recordedAt: 1 },
      )
      .sort({ recordedAt: -1 })
      .limit(limit)
      .lean();
    return docs.map((d) => ({
      incidentId: d.incidentId,
      reference: d.reference,
      recordedAt: d.recordedAt,
    }));
  }

  /**
   * The distinct subjects of a person's own records since an instant, newest first (the pupils
   * a recorder is offered first when starting a report). Reads ids only.
   */
  async recentPupilIdsRecordedBy(
    scope: SchoolScope,
    aadObjectId: string,
    since: Date,
    limit: number,
  ): Promise<string[]> {
    const docs = await this.model
      .find(
        {
          ...scoped(scope),
          'recordedBy.aadObjectId': aadObjectId,
          recordedAt: { $gte: since },
        },
        { pupilId: 1, recordedAt: 1 },
      )
      .sort({ recordedAt: -1 })
      .limit(limit * 5)
      .lean();
    return [...new Set(docs.map((d) => d.pupilId))].slice(0, limit);
  }

  /**
   * Records of every school stored since an instant, oldest first (the alert reconciler), without
   * their narrative: a pass over a week of records every few minutes must not open each one.
   */
  async listRecordedSince(since: Date, limit: number): Promise<IncidentHeader[]> {
    const docs = await this.model
      .find({ recordedAt: { $gte: since } }, { sealed: 0 })
      .sort({ recordedAt: 1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => {
      const { bodyMap: _bodyMap, ...header } = toIncidentHeader(doc);
      return header;
    });
  }

  /** Every record of one school, id and reference only, in batches (`audit:verify`). */
  async *walkReferences(
    scope: SchoolScope,
    batchSize = 1_000,
  ): AsyncGenerator<{ incidentId: string; reference: string }[]> {
    const cursor = this.model
      .find(scoped(scope), { incidentId: 1, reference: 1 })
      .lean()
      .cursor({ batchSize });
    let batch: { incidentId: string; reference: string }[] = [];
    for await (const doc of cursor) {
      batch.push({ incidentId: doc.incidentId, reference: doc.reference });
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /**
   * Records inserted since an instant, across schools, oldest first, without their narrative: the
   * alert reconciler's frequent look at what a crash may have just cut short. It asks by `_id`,
   * whose ObjectId begins with the inserting process's time, because that range is an index seek
   * on every store (no store here pushes a date range onto an index). The bound comes from the
   * app's clock: were that clock behind the processes' own, this would return more (harmless);
   * ahead, less, and the weekly sweep of `listRecordedSince` still finds what it missed.
   */
  async listInsertedSince(since: Date, limit: number): Promise<IncidentHeader[]> {
    const fromId = Types.ObjectId.createFromTime(Math.floor(since.getTime() / 1_000));
    const docs = await this.model
      .find({ _id: { $gte: fromId } }, { sealed: 0 })
      .sort({ _id: 1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => {
      const { bodyMap: _bodyMap, ...header } = toIncidentHeader(doc);
      return header;
    });
  }

  /**
   * One school's records stored since an instant, newest first, without their narrative. Given
   * `until` (at most 92 days on), by an equality `$in` on the days recorded between: a date range
   * reads the school's whole history on the embedded store (a five-year school's desk took tens of
   * seconds that way). Without it, by the range.
   */
  async listRecentIn(
    scope: SchoolScope,
    since: Date,
    limit: number,
    until?: Date,
  ): Promise<IncidentHeader[]> {
    const days = until ? daysBetween(since, until) : undefined;
    const docs =
      days && days.length <= MOST_RECENT_DAYS
        ? (
            await this.model
              .find({ ...scoped(scope), recordedDay: { $in: days } }, { sealed: 0 })
              .lean()
          )
            .filter((d) => d.recordedAt >= since)
            .sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime())
            .slice(0, limit)
        : await this.model
            .find({ ...scoped(scope), recordedAt: { $gte: since } }, { sealed: 0 })
            .sort({ recordedAt: -1 })
            .limit(limit)
            .lean();
    return docs.map((doc) => {
      const { bodyMap: _bodyMap, ...header } = toIncidentHeader(doc);
      return header;
    });
  }

  /**
   * What reports count of a school's records of some calendar years (school time): ids,
   * categories and when; nothing else is read. An equality seek on the `(school, referenceYear)`
   * prefix of the reference index: a year's report reads its years' records, not the school's
   * whole history (a date range would, on the embedded store). Unsorted.
   */
  async countingFactsOf(
    scope: SchoolScope,
    referenceYears: readonly number[],
    limit: number,
  ): Promise<{ incidentId: string; pupilId: string; categoryIds: string[]; recordedAt: Date }[]> {
    const docs = await this.model
      .find(
        { ...scoped(scope), referenceYear: { $in: [...referenceYears] } },
        { _id: 0, incidentId: 1, pupilId: 1, categoryIds: 1, recordedAt: 1 },
      )
      .limit(limit)
      .lean();
    return docs.map((d) => ({
      incidentId: d.incidentId,
      pupilId: d.pupilId,
      categoryIds: [...d.categoryIds],
      recordedAt: d.recordedAt,
    }));
  }

  /**
   * Once per database: gives records stored before `recordedDay` existed their day, so recent
   * records are found by it. One read of ids and times across schools, then a write per record
   * missing it; marked done after (a start cut short does it again: it is idempotent).
   */
  async fillRecordedDays(): Promise<number> {
    const marks = this.model.db.collection('incident_migrations');
    if (await marks.findOne({ _id: RECORDED_DAY_MIGRATION } as never)) return 0;
    const missing = (
      await this.model.find({}, { _id: 1, recordedAt: 1, recordedDay: 1 }).lean()
    ).filter((d) => !d.recordedDay);
    // Below the model (which refuses every change): a narrow exception, as key rotation is; it
    // adds a field derived from `recordedAt` and changes nothing the record says.
    for (let i = 0; i < missing.length; i += 1_000) {
      await this.model.collection.bulkWrite(
        missing.slice(i, i + 1_000).map((d) => ({
          updateOne: {
            filter: { _id: d._id as unknown as Types.ObjectId },
            update: { $set: { recordedDay: dayOf(new Date(d.recordedAt)) } },
          },
        })),
        { ordered: false },
      );
    }
    await marks
      .insertOne({ _id: RECORDED_DAY_MIGRATION, at: new Date(0) } as never)
      .catch((error: unknown) => {
        if (!isDuplicateKeyError(error)) throw error;
      });
    return missing.length;
  }

  /** How many records the school holds (bench and reports). */
  async count(scope: SchoolScope): Promise<number> {
    return this.model.countDocuments(scoped(scope));
  }

  private async toIncident(doc: IncidentDoc): Promise<Incident> {
    const narrative = await this.cipher.open(doc.sealed, contextOf(doc.incidentId));
    return withNarrative(toIncidentHeader(doc), narrative);
  }
}

/** What the sealed narrative is bound to: a ciphertext moved onto another record fails to open. */
function contextOf(incidentId: string): string {
  return `incident:${incidentId}`;
}

const DAY_MS = 86_400_000;
const MOST_RECENT_DAYS = 93;
const RECORDED_DAY_MIGRATION = 'recorded-day-v1';

/** The UTC midnight of an instant's day: what `recordedDay` holds. */
function dayOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

/** Every UTC day from one instant's to another's, both included (none when backwards). */
function daysBetween(from: Date, to: Date): Date[] {
  const days: Date[] = [];
  for (
    let t = dayOf(from).getTime();
    t <= to.getTime() && days.length <= MOST_RECENT_DAYS;
    t += DAY_MS
  )
    days.push(new Date(t));
  return days;
}

function toDoc(incident: Incident, sealed: SealedNarrative): IncidentDoc {
  return {
    ...toIncidentHeader(incident),
    sealed,
  };
}

// Whitelist on the way out: only the fields of the type, never whatever else a document holds.
export function toIncidentHeader(
  doc: Omit<IncidentDoc, 'sealed'> | Incident,
): Omit<IncidentDoc, 'sealed'> {
  return {
    incidentId: doc.incidentId,
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    reference: doc.reference,
    referenceYear: doc.referenceYear,
    referenceNumber: doc.referenceNumber,
    idempotencyKey: doc.idempotencyKey,
    recordedBy: {
      aadObjectId: doc.recordedBy.aadObjectId,
      displayName: doc.recordedBy.displayName,
      roles: [...doc.recordedBy.roles],
    },
    recordedAt: doc.recordedAt,
    pupilId: doc.pupilId,
    happenedAt: doc.happenedAt,
    transcribedFromPaper: doc.transcribedFromPaper,
    categoryIds: [...doc.categoryIds],
    linkedPupils: doc.linkedPupils.map((p) => ({ pupilId: p.pupilId, role: p.role })),
    agencyIds: [...doc.agencyIds],
    bodyMap: doc.bodyMap.map((b) => ({ region: b.region, side: b.side, laterality: b.laterality })),
    alertStaffIds: [...doc.alertStaffIds],
  };
}
