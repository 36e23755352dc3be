import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';

interface StepUpDocument {
  /** `<tenant>|<school>|<aadObjectId>`: one document per person. */
  readonly _id: string;
  readonly at: Date;
}

const stepUpSchema = new Schema<StepUpDocument>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'step_ups', strict: 'throw', versionKey: false },
);

/** When each person last proved a second factor (from a verified token's `acrs`). */
export class StepUpRepository {
  private readonly model: Model<StepUpDocument>;

  constructor(connection: Connection) {
    this.model =
      connection.models.StepUp ?? connection.model<StepUpDocument>('StepUp', stepUpSchema);
  }

  /**
   * Remembers a step-up. `$max` only moves the time forward, so two racing writes cannot make it
   * older; a racing first insert that loses is retried as an update.
   */
  async record(scope: SchoolScope, aadObjectId: string, at: Date): Promise<void> {
    const _id = keyOf(scope, aadObjectId);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await this.model.updateOne({ _id }, { $max: { at } }, { upsert: true });
        return;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
  }

  /** The last step-up, if any. */
  async lastAt(scope: SchoolScope, aadObjectId: string): Promise<Date | undefined> {
    const doc = await this.model.findOne({ _id: keyOf(scope, aadObjectId) }).lean();
    return doc?.at;
  }
}

function keyOf(scope: SchoolScope, aadObjectId: string): string {
  return `${scope.tenantId}|${scope.schoolId}|${aadObjectId}`;
}
