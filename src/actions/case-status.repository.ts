import { Schema, type Connection, type Model } from 'mongoose';
import {
  MongoWrappedKeyHolder,
  sealedNarrativeSchema,
  type NarrativeCipher,
  type SealedNarrative,
  type WrappedKeyHolder,
} from '../encryption';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { personSchemaFields } from '../store/person-fields';
import type { CaseStatusEvent } from './action.types';
import { insertOnce } from '../store/insert-once';

interface StatusDoc extends Omit<CaseStatusEvent, 'reason'> {
  _id: string;
  /** A reopening's reason, sealed. */
  sealed?: SealedNarrative;
}
const statusSchema = new Schema<StatusDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    incidentId: { type: String, required: true },
    sequence: { type: Number, required: true },
    status: { type: String, required: true },
    outcomeActionId: { type: String },
    sealed: { type: sealedNarrativeSchema, required: false },
    at: { type: Date, required: true },
    by: personSchemaFields,
  },
  { collection: 'case_status_events', strict: 'throw', versionKey: false },
);
statusSchema.index({ tenantId: 1, schoolId: 1, incidentId: 1, sequence: -1 });

const statusContext = (statusId: string) => `case-status:${statusId}`;

/**
 * A case's status changes: append-only, `_id` = `<incident>:<n>`, so two people changing it at
 * once make one change. A reopening's reason is sealed (`case-status:<id>`).
 */
export class CaseStatusRepository {
  private readonly statuses: Model<StatusDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.statuses =
      connection.models.CaseStatusEvent ??
      connection.model<StatusDoc>('CaseStatusEvent', statusSchema);
  }

  /** Where key rotation finds the wrapped data keys of reopening reasons. */
  wrappedKeys(): WrappedKeyHolder {
    return new MongoWrappedKeyHolder(
      'case_status_events',
      this.statuses.collection,
      'sealed',
      'string',
    );
  }

  /** Appends a status change; false when its sequence was taken (someone changed it first). */
  async insertStatus(event: CaseStatusEvent): Promise<boolean> {
    const _id = `${event.incidentId}:${event.sequence}`;
    const { reason, ...rest } = event;
    const sealed =
      reason !== undefined ? await this.cipher.seal({ reason }, statusContext(_id)) : undefined;
    return insertOnce(this.statuses, { _id, ...rest, ...(sealed ? { sealed } : {}) });
  }

  /**
   * The latest status change of every record of the school that ever changed (ids, status and
   * time only; no reason opened): the desk's open cases read which are closed and which reopened.
   */
  async latestStatusesIn(
    scope: SchoolScope,
  ): Promise<{ incidentId: string; status: string; at: Date }[]> {
    const docs = await this.statuses
      .find({ ...scoped(scope) }, { incidentId: 1, status: 1, sequence: 1, at: 1 })
      .lean();
    const latest = new Map<
      string,
      { incidentId: string; status: string; at: Date; sequence: number }
    >();
    for (const d of docs) {
      const seen = latest.get(d.incidentId);
      if (!seen || seen.sequence < d.sequence) {
        latest.set(d.incidentId, {
          incidentId: d.incidentId,
          status: d.status,
          at: d.at,
          sequence: d.sequence,
        });
      }
    }
    return [...latest.values()].map(({ incidentId, status, at }) => ({ incidentId, status, at }));
  }

  /** Every status change of these records, latest first. */
  async statusEvents(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<CaseStatusEvent[]> {
    if (incidentIds.length === 0) return [];
    const docs = await this.statuses
      .find({ ...scoped(scope), incidentId: { $in: [...incidentIds] } })
      .sort({ sequence: -1 })
      .limit(50 * incidentIds.length)
      .lean();
    return Promise.all(
      docs.map(async (d) => {
        const opened = d.sealed ? await this.cipher.open(d.sealed, statusContext(d._id)) : {};
        return {
          tenantId: d.tenantId,
          schoolId: d.schoolId,
          incidentId: d.incidentId,
          sequence: d.sequence,
          status: d.status,
          ...(d.outcomeActionId ? { outcomeActionId: d.outcomeActionId } : {}),
          ...(typeof opened.reason === 'string' ? { reason: opened.reason } : {}),
          at: d.at,
          by: { aadObjectId: d.by.aadObjectId, displayName: d.by.displayName },
        };
      }),
    );
  }

  /**
   * The latest status change of each of these records (reports count open and closed cases):
   * ids and status only, no reason is opened.
   */
  async latestStatusOf(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<Map<string, 'closed' | 'reopened'>> {
    const latest = new Map<string, { sequence: number; status: 'closed' | 'reopened' }>();
    // 100 at a time: on the embedded store a long `$in` costs more than its length.
    for (let i = 0; i < incidentIds.length; i += 100) {
      const docs = await this.statuses
        .find(
          { ...scoped(scope), incidentId: { $in: incidentIds.slice(i, i + 100) } },
          { _id: 0, incidentId: 1, sequence: 1, status: 1 },
        )
        .lean();
      for (const d of docs) {
        const seen = latest.get(d.incidentId);
        if (!seen || seen.sequence < d.sequence) latest.set(d.incidentId, d);
      }
    }
    return new Map([...latest].map(([id, s]) => [id, s.status]));
  }
}
