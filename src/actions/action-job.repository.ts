import { Schema, type Connection, type Model } from 'mongoose';
import { NEVER_DUE } from '../shared/clock';
import { isDuplicateKeyError } from '../shared/errors';
import { scoped, type SchoolScope } from '../shared/school-scope';
import type { ActionJob } from './action.types';

interface JobDoc extends Omit<ActionJob, 'jobId'> {
  _id: string;
}
const jobSchema = new Schema<JobDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    kind: { type: String, required: true },
    incidentId: { type: String, required: true },
    actionId: { type: String, required: true },
    nextCheckAt: { type: Date, required: true },
    settledAt: { type: Date },
  },
  { collection: 'action_jobs', strict: 'throw', versionKey: false },
);
jobSchema.index({ nextCheckAt: 1 });
// A school's unsettled clocks of one kind (the desk's referrals awaiting a decision).
jobSchema.index({ tenantId: 1, schoolId: 1, kind: 1 });

/**
 * The durable clock jobs of actions (a task's reminders, a referral's chases). Created once
 * (insert on `_id`); moved on only by the holder of the job's lease.
 */
export class ActionJobRepository {
  private readonly jobs: Model<JobDoc>;

  constructor(connection: Connection) {
    this.jobs = connection.models.ActionJob ?? connection.model<JobDoc>('ActionJob', jobSchema);
  }

  /** Creates a clock job once. */
  async insertJob(job: ActionJob): Promise<void> {
    const { jobId, ...rest } = job;
    try {
      await this.jobs.create({ _id: jobId, ...rest });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** Jobs due for a look and not yet settled, earliest first. */
  async dueJobs(now: Date, limit: number): Promise<ActionJob[]> {
    const docs = await this.jobs
      .find({ nextCheckAt: { $lte: now }, settledAt: { $exists: false } })
      .sort({ nextCheckAt: 1 })
      .limit(limit)
      .lean();
    return docs.map(toJob);
  }

  /**
   * Settled jobs that earlier versions parked a year ahead move to NEVER_DUE, once; afterwards the
   * store's date check passes over them. Returns how many moved.
   */
  async parkSettledJobs(): Promise<number> {
    const moved = await this.jobs.updateMany(
      { nextCheckAt: { $lt: NEVER_DUE }, settledAt: { $exists: true } },
      { $set: { nextCheckAt: NEVER_DUE } },
    );
    return moved.modifiedCount;
  }

  /** A school's clocks of one kind that are not settled yet (at most `limit`). */
  async openJobs(scope: SchoolScope, kind: ActionJob['kind'], limit: number): Promise<ActionJob[]> {
    const docs = await this.jobs
      .find({ ...scoped(scope), kind, settledAt: { $exists: false } })
      .limit(limit)
      .lean();
    return docs.map(toJob);
  }

  /** Moves a job on (only the holder of the job's lease calls this). */
  async updateJob(jobId: string, change: { nextCheckAt: Date; settledAt?: Date }): Promise<void> {
    await this.jobs.updateOne({ _id: jobId }, { $set: change });
  }
}

function toJob(d: JobDoc): ActionJob {
  return {
    jobId: d._id,
    tenantId: d.tenantId,
    schoolId: d.schoolId,
    kind: d.kind,
    incidentId: d.incidentId,
    actionId: d.actionId,
    nextCheckAt: d.nextCheckAt,
    ...(d.settledAt ? { settledAt: d.settledAt } : {}),
  };
}
