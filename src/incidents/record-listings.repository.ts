import type { Connection, Model } from 'mongoose';
import { scoped, type SchoolScope } from '../shared/school-scope';
import type { IncidentDoc, IncidentHeader } from './incident-narrative';
import { incidentModelOf, toIncidentHeader } from './incident.repository';

/** Records a listing leaves out: by id, and any whose subject or linked pupils are these. */
export interface RecordsLeftOut {
  readonly incidentIds: readonly string[];
  readonly pupilIds: readonly string[];
}

/**
 * Listings of records that read headers or ids only (never a narrative) for the pattern rules
 * and the desk's open cases; beside the repository so it stays the one writer.
 */
export class RecordListings {
  private readonly model: Model<IncidentDoc>;

  constructor(connection: Connection) {
    this.model = incidentModelOf(connection);
  }

  /**
   * A pupil's records (as the subject) that happened between two instants, both included, without
   * their narrative: what the pattern rules count around a new concern.
   */
  async listForPupilBetween(
    scope: SchoolScope,
    pupilId: string,
    from: Date,
    to: Date,
    limit: number,
  ): Promise<IncidentHeader[]> {
    const docs = await this.model
      .find({ ...scoped(scope), pupilId, happenedAt: { $gte: from, $lte: to } }, { sealed: 0 })
      .sort({ happenedAt: -1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => {
      const { bodyMap: _bodyMap, ...header } = toIncidentHeader(doc);
      return header;
    });
  }

  /** A school's records oldest first, leaving some out; ids and times only (open cases by age). */
  async listOldestIn(
    scope: SchoolScope,
    leaveOut: RecordsLeftOut,
    limit: number,
  ): Promise<{ incidentId: string; reference: string; pupilId: string; recordedAt: Date }[]> {
    const docs = await this.model
      .find(leftOutFilter(scope, leaveOut), {
        incidentId: 1,
        reference: 1,
        pupilId: 1,
        recordedAt: 1,
      })
      .sort({ recordedAt: 1 })
      .limit(limit)
      .lean();
    return docs.map((d) => ({
      incidentId: d.incidentId,
      reference: d.reference,
      pupilId: d.pupilId,
      recordedAt: d.recordedAt,
    }));
  }

  /** How many records `listOldestIn` would list without a limit. */
  countIn(scope: SchoolScope, leaveOut: RecordsLeftOut): Promise<number> {
    return this.model.countDocuments(leftOutFilter(scope, leaveOut));
  }
}

function leftOutFilter(scope: SchoolScope, leaveOut: RecordsLeftOut) {
  return {
    ...scoped(scope),
    ...(leaveOut.incidentIds.length ? { incidentId: { $nin: [...leaveOut.incidentIds] } } : {}),
    ...(leaveOut.pupilIds.length
      ? {
          pupilId: { $nin: [...leaveOut.pupilIds] },
          'linkedPupils.pupilId': { $nin: [...leaveOut.pupilIds] },
        }
      : {}),
  };
}
