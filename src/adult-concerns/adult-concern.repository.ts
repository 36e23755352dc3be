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
import type {
  AdultConcern,
  AdultConcernDetails,
  AdultConcernHeader,
  CaseOutcome,
  CaseStep,
} from './adult-concern.types';

type Person = { aadObjectId: string; displayName: string };
type StoredOutcome = Omit<CaseOutcome, 'learning'>;

/**
 * A concern as stored: the header in clear (ids, dates, route), what it says sealed. Sealed
 * fields sit at the top level of their documents, where key rotation finds them.
 */
type ConcernDoc = Omit<AdultConcernHeader, 'outcome'> & {
  idempotencyKey: string;
  sealedDetails: SealedNarrative;
  outcome?: StoredOutcome;
  /** The outcome's learning, sealed. */
  sealedLearning?: SealedNarrative;
  escalationStepsDone: number;
  escalationNextCheckAt: Date;
};

/** A step of a case as stored, one document each, at its position in the case. */
type StepDoc = Omit<CaseStep, 'note'> & {
  tenantId: string;
  schoolId: string;
  concernId: string;
  position: number;
  sealedNote: SealedNarrative;
};

const person = { aadObjectId: String, displayName: String };
const schema = new Schema<ConcernDoc>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    concernId: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    reference: { type: String, required: true },
    route: { type: String, required: true, enum: ['allegation', 'low-level'] },
    caseManagerRoute: { type: String, required: true, enum: ['head', 'chair'] },
    adultKind: { type: String, required: true },
    subjectAadObjectId: { type: String },
    subjectKey: { type: String, required: true },
    happenedAt: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    recordedBy: { type: person, required: true },
    mayMeetHarmThreshold: { type: Boolean, required: true },
    ladoReferralDueAt: { type: Date },
    ladoReferredAt: { type: Date },
    acknowledgedAt: { type: Date },
    acknowledgedBy: { type: String },
    invitedAadObjectIds: { type: [String], required: true },
    sealedDetails: { type: sealedNarrativeSchema, required: true },
    outcome: {
      type: { _id: false, outcome: String, date: String, recordedAt: Date, by: person },
    },
    sealedLearning: { type: sealedNarrativeSchema },
    retention: { rule: String, reviewOn: String, explanation: String },
    escalationStepsDone: { type: Number, required: true },
    escalationNextCheckAt: { type: Date, required: true },
  },
  { collection: 'adult_concerns', strict: 'throw', minimize: false, versionKey: false },
);
schema.index({ tenantId: 1, schoolId: 1, concernId: 1 }, { unique: true });
schema.index({ tenantId: 1, schoolId: 1, reference: 1 }, { unique: true });
// A form is recorded once per recorder and draft, however often Submit is pressed.
schema.index({ tenantId: 1, 'recordedBy.aadObjectId': 1, idempotencyKey: 1 }, { unique: true });
schema.index({ acknowledgedAt: 1, escalationNextCheckAt: 1 });
schema.index({ tenantId: 1, schoolId: 1, recordedAt: -1 });

const stepSchema = new Schema<StepDoc>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    concernId: { type: String, required: true },
    position: { type: Number, required: true },
    kind: { type: String, required: true },
    at: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    by: { type: person, required: true },
    sealedNote: { type: sealedNarrativeSchema, required: true },
  },
  { collection: 'adult_concern_steps', strict: 'throw', versionKey: false },
);
// One step per position: two managers adding a step at once cannot both take the same place.
stepSchema.index({ tenantId: 1, schoolId: 1, concernId: 1, position: 1 }, { unique: true });

/** What a new concern is stored with. */
export type NewConcern = Omit<AdultConcern, 'steps' | 'outcome'> & { idempotencyKey: string };

/** The concerns about adults: a collection of their own that no pupil-side query reads. */
export class AdultConcernRepository {
  private readonly model: Model<ConcernDoc>;
  private readonly steps: Model<StepDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.model =
      (connection.models.AdultConcern as Model<ConcernDoc> | undefined) ??
      connection.model<ConcernDoc>('AdultConcern', schema);
    this.steps =
      (connection.models.AdultConcernStep as Model<StepDoc> | undefined) ??
      connection.model<StepDoc>('AdultConcernStep', stepSchema);
  }

  /** Every sealed field's wrapped data keys, for key rotation. */
  wrappedKeys(): WrappedKeyHolder[] {
    return [
      new MongoWrappedKeyHolder('adult_concerns', this.model.collection, 'sealedDetails'),
      new MongoWrappedKeyHolder('adult_concerns.learning', this.model.collection, 'sealedLearning'),
      new MongoWrappedKeyHolder('adult_concern_steps', this.steps.collection, 'sealedNote'),
    ];
  }

  /** Stores a new concern once; false when this recorder's form (or reference) is already in. */
  async insert(concern: NewConcern, escalationNextCheckAt: Date): Promise<boolean> {
    const { details, ...header } = concern;
    return insertOnce(this.model, {
      ...header,
      invitedAadObjectIds: [...header.invitedAadObjectIds],
      sealedDetails: await this.cipher.seal({ ...details }, contextOf(concern)),
      escalationStepsDone: 0,
      escalationNextCheckAt,
    });
  }

  /** The concern a recorder's form became, if it was recorded. */
  async findByKey(
    scope: SchoolScope,
    recorderAadObjectId: string,
    idempotencyKey: string,
  ): Promise<AdultConcernHeader | undefined> {
    const doc = await this.model
      .findOne({
        tenantId: scope.tenantId,
        'recordedBy.aadObjectId': recorderAadObjectId,
        idempotencyKey,
      })
      .lean();
    return doc && doc.schoolId === scope.schoolId ? toHeader(doc) : undefined;
  }

  async header(scope: SchoolScope, concernId: string): Promise<AdultConcernHeader | undefined> {
    const doc = await this.model.findOne({ ...scoped(scope), concernId }).lean();
    return doc ? toHeader(doc) : undefined;
  }

  /** The whole concern, opened: only after the access policy said yes. */
  async full(scope: SchoolScope, concernId: string): Promise<AdultConcern | undefined> {
    const doc = await this.model.findOne({ ...scoped(scope), concernId }).lean();
    if (!doc) return undefined;
    const context = contextOf(doc);
    const details = (await this.cipher.open(
      doc.sealedDetails,
      context,
    )) as unknown as AdultConcernDetails;
    const stepDocs = await this.steps
      .find({ ...scoped(scope), concernId })
      .sort({ position: 1 })
      .lean();
    const steps = await Promise.all(
      stepDocs.map(async (s) => {
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
    const header = toHeader(doc);
    const learning = doc.sealedLearning
      ? String((await this.cipher.open(doc.sealedLearning, `${context}:outcome`)).learning ?? '')
      : '';
    const outcome = header.outcome ? { ...header.outcome, learning } : undefined;
    return { ...header, outcome, details, steps };
  }

  /** How many steps a case has: where the next one goes. */
  stepCount(scope: SchoolScope, concernId: string): Promise<number> {
    return this.steps.countDocuments({ ...scoped(scope), concernId });
  }

  /** The school's concerns, newest first (headers only); the service filters by the policy. */
  async listRecent(scope: SchoolScope, limit: number): Promise<AdultConcernHeader[]> {
    const docs = await this.model
      .find(scoped(scope), { sealedDetails: 0, sealedLearning: 0 })
      .sort({ recordedAt: -1 })
      .limit(limit)
      .lean();
    return docs.map(toHeader);
  }

  /**
   * Stores a step at `position` (the count the caller read), so its sealed note's context names
   * its place; false when another step took that place first (the caller counts and tries again).
   * Then sets what the step changes on the concern (the LADO referral time, the route).
   */
  async appendStep(
    scope: SchoolScope,
    concernId: string,
    position: number,
    step: CaseStep,
    set: Partial<Pick<ConcernDoc, 'ladoReferredAt' | 'ladoReferralDueAt' | 'route'>> = {},
  ): Promise<boolean> {
    const { note, ...rest } = step;
    const sealedNote = await this.cipher.seal(
      { note },
      `${contextOf({ ...scope, concernId })}:step:${position}`,
    );
    const stored = await insertOnce(this.steps, {
      ...scoped(scope),
      concernId,
      position,
      ...rest,
      sealedNote,
    });
    if (stored && Object.keys(set).length > 0) {
      await this.model.updateOne({ ...scoped(scope), concernId }, { $set: set });
    }
    return stored;
  }

  /** Records the outcome once; false if one is already recorded. */
  async setOutcome(
    scope: SchoolScope,
    concernId: string,
    outcome: CaseOutcome,
    retention: AdultConcernHeader['retention'],
  ): Promise<boolean> {
    const { learning, ...rest } = outcome;
    const sealedLearning = await this.cipher.seal(
      { learning },
      `${contextOf({ ...scope, concernId })}:outcome`,
    );
    const result = await this.model.updateOne(
      { ...scoped(scope), concernId, outcome: { $exists: false } },
      { $set: { outcome: rest, sealedLearning, retention } },
    );
    return result.modifiedCount === 1;
  }

  /** The first acknowledgement by a case manager stops escalation; later ones change nothing. */
  async acknowledge(scope: SchoolScope, concernId: string, by: string, at: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      { ...scoped(scope), concernId, acknowledgedAt: { $exists: false } },
      { $set: { acknowledgedAt: at, acknowledgedBy: by } },
    );
    return result.modifiedCount === 1;
  }

  async invite(scope: SchoolScope, concernId: string, aadObjectId: string): Promise<void> {
    await this.model.updateOne(
      { ...scoped(scope), concernId },
      { $addToSet: { invitedAadObjectIds: aadObjectId } },
    );
  }

  /** Concerns nobody has acknowledged whose escalation check is due, across schools. */
  async dueEscalations(
    now: Date,
    limit: number,
  ): Promise<(AdultConcernHeader & { escalationStepsDone: number })[]> {
    const docs = await this.model
      .find(
        { acknowledgedAt: { $exists: false }, escalationNextCheckAt: { $lte: now } },
        { sealedDetails: 0, sealedLearning: 0 },
      )
      .sort({ escalationNextCheckAt: 1 })
      .limit(limit)
      .lean();
    return docs.map((d) => ({ ...toHeader(d), escalationStepsDone: d.escalationStepsDone }));
  }

  async updateEscalation(
    scope: SchoolScope,
    concernId: string,
    stepsDone: number,
    nextCheckAt: Date,
  ): Promise<void> {
    await this.model.updateOne(
      { ...scoped(scope), concernId },
      { $set: { escalationStepsDone: stepsDone, escalationNextCheckAt: nextCheckAt } },
    );
  }
}

/** A concern's sealed parts open only on the concern they were sealed for. */
function contextOf(c: SchoolScope & { concernId: string }): string {
  return `adult-concern:${c.tenantId}:${c.schoolId}:${c.concernId}`;
}

/** Whitelists the header fields that leave the repository. */
function toHeader(doc: Omit<ConcernDoc, 'sealedDetails' | 'sealedLearning'>): AdultConcernHeader {
  const who = (p: Person) => ({ aadObjectId: p.aadObjectId, displayName: p.displayName });
  return {
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    concernId: doc.concernId,
    reference: doc.reference,
    route: doc.route,
    caseManagerRoute: doc.caseManagerRoute,
    adultKind: doc.adultKind,
    subjectAadObjectId: doc.subjectAadObjectId ?? undefined,
    subjectKey: doc.subjectKey,
    happenedAt: doc.happenedAt,
    recordedAt: doc.recordedAt,
    recordedBy: who(doc.recordedBy),
    mayMeetHarmThreshold: doc.mayMeetHarmThreshold,
    ladoReferralDueAt: doc.ladoReferralDueAt ?? undefined,
    ladoReferredAt: doc.ladoReferredAt ?? undefined,
    acknowledgedAt: doc.acknowledgedAt ?? undefined,
    acknowledgedBy: doc.acknowledgedBy ?? undefined,
    invitedAadObjectIds: [...doc.invitedAadObjectIds],
    outcome: doc.outcome
      ? {
          outcome: doc.outcome.outcome,
          date: doc.outcome.date,
          recordedAt: doc.outcome.recordedAt,
          by: who(doc.outcome.by),
          learning: '',
        }
      : undefined,
    retention: {
      rule: doc.retention.rule,
      reviewOn: doc.retention.reviewOn,
      explanation: doc.retention.explanation,
    },
  };
}
