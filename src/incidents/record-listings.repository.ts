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

  /**
   * A school's records oldest first, leaving some out, and how many are left; ids and times only
   * (open cases by age). One unsorted read of five small fields per record, filtered and sorted
   * here: FerretDB neither pushes a sort down nor makes `$nin` over thousands of closed ids cheap
   * (a five-year school's desk took minutes that way).
   */
  async oldestIn(
    scope: SchoolScope,
    leaveOut: RecordsLeftOut,
    limit: number,
  ): Promise<{
    oldest: { incidentId: string; reference: string; pupilId: string; recordedAt: Date }[];
    count: number;
  }> {
    const left = new Set(leaveOut.incidentIds);
    const pupils = new Set(leaveOut.pupilIds);
    const docs = await this.model
      .find(scoped(scope), {
        incidentId: 1,
        reference: 1,
        pupilId: 1,
        linkedPupils: 1,
        recordedAt: 1,
      })
      .lean();
    const kept = docs.filter(
      (d) =>
        !left.has(d.incidentId) &&
        !pupils.has(d.pupilId) &&
        !(d.linkedPupils ?? []).some((l) => pupils.has(l.pupilId)),
    );
    kept.sort((x, y) => new Date(x.recordedAt).getTime() - new Date(y.recordedAt).getTime());
    return {
      oldest: kept.slice(0, limit).map((d) => ({
        incidentId: d.incidentId,
        reference: d.reference,
        pupilId: d.pupilId,
        recordedAt: new Date(d.recordedAt),
      })),
      count: kept.length,
    };
  }

  /**
   * What the summaries keep of each of a school's records (subject and linked pupils, categories
   * as recorded, when): one unsorted read of six small fields per record, never a narrative. Only
   * the one-off build of the summaries reads a whole school this way; afterwards events keep them.
   */
  async summaryFactsOf(scope: SchoolScope): Promise<RecordSummaryFact[]> {
    return this.summaryFactsWhere(scope);
  }

  /** One record as the summaries keep it (an event's follow-up), without its narrative. */
  async summaryFactOf(
    scope: SchoolScope,
    incidentId: string,
  ): Promise<RecordSummaryFact | undefined> {
    return (await this.summaryFactsWhere(scope, incidentId))[0];
  }

  private async summaryFactsWhere(
    scope: SchoolScope,
    incidentId?: string,
  ): Promise<RecordSummaryFact[]> {
    const docs = await this.model
      .find(
        { ...scoped(scope), ...(incidentId ? { incidentId } : {}) },
        {
          _id: 0,
          incidentId: 1,
          reference: 1,
          pupilId: 1,
          linkedPupils: 1,
          categoryIds: 1,
          recordedAt: 1,
        },
      )
      .lean();
    return docs.map((d) => ({
      incidentId: d.incidentId,
      reference: d.reference,
      pupilId: d.pupilId,
      linkedPupilIds: (d.linkedPupils ?? []).map((l) => l.pupilId),
      categoryIds: [...d.categoryIds],
      recordedAt: new Date(d.recordedAt),
    }));
  }
}

/** A record as the desk's open cases and the reports' monthly summaries keep it. */
export interface RecordSummaryFact {
  readonly incidentId: string;
  readonly reference: string;
  readonly pupilId: string;
  readonly linkedPupilIds: readonly string[];
  readonly categoryIds: readonly string[];
  readonly recordedAt: Date;
}
