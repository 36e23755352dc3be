import { Schema, type Connection, type Model } from 'mongoose';
import {
  MongoWrappedKeyHolder,
  sealedNarrativeSchema,
  type NarrativeCipher,
  type SealedNarrative,
  type WrappedKeyHolder,
} from '../encryption';
import { scoped, type SchoolScope } from '../shared/school-scope';
import {
  AMENDABLE_TEXT_FIELDS,
  type AmendmentChanges,
  type IncidentAmendment,
} from './amendment.types';
import { refuseChanges } from '../store/append-only';
import type { AmendmentFacts } from './amendment-audit';

/**
 * As stored: what changed structurally (when, categories, agencies) stays queryable; the reason
 * and every new text value are narrative and sealed, bound to this amendment's key.
 */
interface AmendmentDocument {
  _id: string;
  amendmentId: string;
  tenantId: string;
  schoolId: string;
  incidentId: string;
  version: number;
  amendedBy: { aadObjectId: string; displayName: string };
  amendedAt: Date;
  /** Names of the fields this amendment changes (text ones included, values sealed). */
  changedFields: string[];
  changes: { happenedAt?: Date; categoryIds?: string[]; agencyIds?: string[] };
  sealed: SealedNarrative;
}

const amendmentSchema = new Schema<AmendmentDocument>(
  {
    // <incidentId>|v<version>: a version is claimed by inserting against the primary key, so two
    // team members amending at once get versions 2 and 3, never two version 2s.
    _id: { type: String, required: true },
    amendmentId: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    incidentId: { type: String, required: true },
    version: { type: Number, required: true },
    amendedBy: {
      aadObjectId: { type: String, required: true },
      displayName: { type: String, required: true },
    },
    amendedAt: { type: Date, required: true },
    changedFields: { type: [String], required: true },
    changes: {
      happenedAt: { type: Date },
      categoryIds: { type: [String], default: undefined },
      agencyIds: { type: [String], default: undefined },
    },
    sealed: { type: sealedNarrativeSchema, required: true },
  },
  { collection: 'incident_amendments', strict: 'throw', versionKey: false, minimize: true },
);
amendmentSchema.index({ tenantId: 1, schoolId: 1, incidentId: 1, version: 1 });

// Amendments are versions of an immutable record: they are never changed or removed either (key
// rotation re-wraps data keys through MongoWrappedKeyHolder, below the model, on purpose).
refuseChanges(amendmentSchema, 'INCIDENT.IMMUTABLE', 'amendments');

const MAX_VERSIONS = 1_000;

/** A record's listing fields as amended (undefined: never amended). */
export interface AmendedListing {
  readonly happenedAt?: Date;
  readonly categoryIds?: readonly string[];
}
const keyOf = (incidentId: string, version: number) => `${incidentId}|v${version}`;
const contextOf = (key: string) => `amendment:${key}`;

/** Stores amendments, sealed: insert and read only. */
export class AmendmentRepository {
  private readonly model: Model<AmendmentDocument>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.model =
      connection.models.IncidentAmendment ??
      connection.model<AmendmentDocument>('IncidentAmendment', amendmentSchema);
  }

  /** Inserts an amendment; code 11000 when its version was taken meanwhile. */
  async insert(amendment: IncidentAmendment): Promise<void> {
    const key = keyOf(amendment.incidentId, amendment.version);
    const { happenedAt, categoryIds, agencyIds } = amendment.changes;
    const texts: Record<string, string> = {};
    for (const field of AMENDABLE_TEXT_FIELDS) {
      const value = amendment.changes[field];
      if (value !== undefined) texts[field] = value;
    }
    const sealed = await this.cipher.seal({ reason: amendment.reason, texts }, contextOf(key));
    await this.model.create({
      _id: key,
      amendmentId: amendment.amendmentId,
      tenantId: amendment.tenantId,
      schoolId: amendment.schoolId,
      incidentId: amendment.incidentId,
      version: amendment.version,
      amendedBy: amendment.amendedBy,
      amendedAt: amendment.amendedAt,
      changedFields: Object.keys(amendment.changes),
      changes: {
        ...(happenedAt ? { happenedAt } : {}),
        ...(categoryIds ? { categoryIds: [...categoryIds] } : {}),
        ...(agencyIds ? { agencyIds: [...agencyIds] } : {}),
      },
      sealed,
    });
  }

  /** Where rotation finds this collection's wrapped data keys. */
  wrappedKeys(): WrappedKeyHolder {
    return new MongoWrappedKeyHolder(
      'incident_amendments',
      this.model.collection,
      'sealed',
      'string',
    );
  }

  /**
   * A record's amendments in version order. Walks versions by primary key (the one index the
   * embedded store uses), stopping at the first gap: versions are claimed one after another.
   */
  async listForIncident(scope: SchoolScope, incidentId: string): Promise<IncidentAmendment[]> {
    const found: IncidentAmendment[] = [];
    for (let version = 2; version < MAX_VERSIONS; version += 1) {
      const doc = await this.model.findById(keyOf(incidentId, version)).lean();
      if (!doc) break;
      if (doc.tenantId !== scope.tenantId || doc.schoolId !== scope.schoolId) break;
      found.push(await this.toAmendment(doc));
    }
    return found;
  }

  /** Who amended which of these records and when (no reason or values: nothing is opened). */
  async listHeadersForIncidents(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<AmendmentHeader[]> {
    if (incidentIds.length === 0) return [];
    const docs = await this.model
      .find({ ...scoped(scope), incidentId: { $in: incidentIds } }, { sealed: 0 })
      .sort({ version: 1 })
      .lean();
    return docs.map((doc) => ({
      amendmentId: doc.amendmentId,
      incidentId: doc.incidentId,
      version: doc.version,
      amendedBy: { aadObjectId: doc.amendedBy.aadObjectId, displayName: doc.amendedBy.displayName },
      amendedAt: new Date(doc.amendedAt),
      changedFields: [...doc.changedFields],
    }));
  }

  /**
   * Per amended record, when it happened and its categories as the latest amendments say (only
   * the records whose amendments changed them). Nothing sealed is read: access and the chronology
   * index need these on every check, without opening a narrative.
   */
  async amendedListing(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<Map<string, AmendedListing>> {
    const listing = new Map<string, AmendedListing>();
    if (incidentIds.length === 0) return listing;
    const docs = await this.model
      .find(
        { ...scoped(scope), incidentId: { $in: incidentIds } },
        { incidentId: 1, version: 1, changes: 1 },
      )
      .sort({ version: 1 })
      .lean();
    for (const doc of docs) {
      const { happenedAt, categoryIds } = doc.changes ?? {};
      if (!happenedAt && !categoryIds) continue;
      const before = listing.get(doc.incidentId) ?? {};
      listing.set(doc.incidentId, {
        happenedAt: happenedAt ? new Date(happenedAt) : before.happenedAt,
        categoryIds: categoryIds ? [...categoryIds] : before.categoryIds,
      });
    }
    return listing;
  }

  /**
   * What each amendment's audit event is made of (ids, version, author, time, field names; never
   * the sealed values): those since an instant across schools, or one school's.
   */
  auditFacts(where: { since: Date } | { scope: SchoolScope }): AsyncIterable<AmendmentFacts> {
    return this.model
      .find('since' in where ? { amendedAt: { $gte: where.since } } : scoped(where.scope), {
        tenantId: 1,
        schoolId: 1,
        incidentId: 1,
        version: 1,
        amendedBy: 1,
        amendedAt: 1,
        changedFields: 1,
      })
      .lean<AmendmentFacts[]>()
      .cursor({ batchSize: 500 });
  }

  /** Records amended since an instant, across schools (start-up mends the chronology index). */
  async amendedSince(
    since: Date,
    limit: number,
  ): Promise<(SchoolScope & { incidentId: string })[]> {
    const docs = await this.model
      .find({ amendedAt: { $gte: since } }, { tenantId: 1, schoolId: 1, incidentId: 1 })
      .limit(limit)
      .lean();
    const seen = new Map(docs.map((d) => [`${d.tenantId}|${d.schoolId}|${d.incidentId}`, d]));
    return [...seen.values()].map((d) => ({
      tenantId: d.tenantId,
      schoolId: d.schoolId,
      incidentId: d.incidentId,
    }));
  }

  private async toAmendment(doc: AmendmentDocument): Promise<IncidentAmendment> {
    const opened = (await this.cipher.open(doc.sealed, contextOf(doc._id))) as {
      reason: string;
      texts: Record<string, string>;
    };
    const changes: Record<string, unknown> = { ...opened.texts };
    if (doc.changes?.happenedAt) changes.happenedAt = new Date(doc.changes.happenedAt);
    if (doc.changes?.categoryIds) changes.categoryIds = [...doc.changes.categoryIds];
    if (doc.changes?.agencyIds) changes.agencyIds = [...doc.changes.agencyIds];
    return {
      amendmentId: doc.amendmentId,
      tenantId: doc.tenantId,
      schoolId: doc.schoolId,
      incidentId: doc.incidentId,
      version: doc.version,
      amendedBy: { aadObjectId: doc.amendedBy.aadObjectId, displayName: doc.amendedBy.displayName },
      amendedAt: new Date(doc.amendedAt),
      reason: opened.reason,
      changes: changes as AmendmentChanges,
    };
  }
}

/** That a record was amended, by whom and when: what a chronology shows without opening it. */
export interface AmendmentHeader {
  readonly amendmentId: string;
  readonly incidentId: string;
  readonly version: number;
  readonly amendedBy: { readonly aadObjectId: string; readonly displayName: string };
  readonly amendedAt: Date;
  readonly changedFields: readonly string[];
}
