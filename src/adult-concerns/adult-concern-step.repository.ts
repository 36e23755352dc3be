import { Schema, type Connection, type Model } from 'mongoose';
import {
  MongoWrappedKeyHolder,
  sealedNarrativeSchema,
  type NarrativeCipher,
  type SealedNarrative,
  type WrappedKeyHolder,
} from '../encryption';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { insertOnce } from '../store/insert-once';
import type { CaseStep } from './adult-concern.types';

/** A step of a case as stored, one document each, at its position in the case. */
type StepDoc = Omit<CaseStep, 'note'> & {
  tenantId: string;
  schoolId: string;
  concernId: string;
  position: number;
  sealedNote: SealedNarrative;
};

const stepSchema = new Schema<StepDoc>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    concernId: { type: String, required: true },
    position: { type: Number, required: true },
    kind: { type: String, required: true },
    at: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    by: { type: { aadObjectId: String, displayName: String }, required: true },
    sealedNote: { type: sealedNarrativeSchema, required: true },
  },
  { collection: 'adult_concern_steps', strict: 'throw', versionKey: false },
);
// One step per position: two managers adding a step at once cannot both take the same place.
stepSchema.index({ tenantId: 1, schoolId: 1, concernId: 1, position: 1 }, { unique: true });

/**
 * The steps of cases about adults (LADO referral, advice, decision, actions, notes), each note
 * sealed under its concern's context and its position, so a note moved elsewhere does not open.
 */
export class AdultConcernStepRepository {
  private readonly model: Model<StepDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.model =
      (connection.models.AdultConcernStep as Model<StepDoc> | undefined) ??
      connection.model<StepDoc>('AdultConcernStep', stepSchema);
  }

  wrappedKeys(): WrappedKeyHolder {
    return new MongoWrappedKeyHolder('adult_concern_steps', this.model.collection, 'sealedNote');
  }

  /** How many steps a case has: where the next one goes. */
  count(scope: SchoolScope, concernId: string): Promise<number> {
    return this.model.countDocuments({ ...scoped(scope), concernId });
  }

  /** Stores a step at `position`; false when another step took that place first. */
  async insert(
    scope: SchoolScope,
    concernId: string,
    position: number,
    step: CaseStep,
    context: string,
  ): Promise<boolean> {
    const { note, ...rest } = step;
    const sealedNote = await this.cipher.seal({ note }, `${context}:step:${position}`);
    return insertOnce(this.model, { ...scoped(scope), concernId, position, ...rest, sealedNote });
  }

  /** A case's steps in order, opened. */
  async list(scope: SchoolScope, concernId: string, context: string): Promise<CaseStep[]> {
    const docs = await this.model
      .find({ ...scoped(scope), concernId })
      .sort({ position: 1 })
      .lean();
    return Promise.all(
      docs.map(async (s) => {
        const opened = await this.cipher.open(s.sealedNote, `${context}:step:${s.position}`);
        return {
          kind: s.kind,
          at: s.at,
          recordedAt: s.recordedAt,
          by: { aadObjectId: s.by.aadObjectId, displayName: s.by.displayName },
          note: String(opened.note ?? ''),
        };
      }),
    );
  }
}
