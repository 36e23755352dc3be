import type { Connection, Model } from 'mongoose';
import { MongoWrappedKeyHolder, type NarrativeCipher, type WrappedKeyHolder } from '../encryption';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { insertOnce } from '../store/insert-once';
import { AdultConcernStepRepository } from './adult-concern-step.repository';
import {
  concernSchema,
  contextOf,
  toHeader,
  type ConcernDoc,
} from './adult-concern-documents.repository';
import type {
  AdultConcern,
  AdultConcernDetails,
  AdultConcernHeader,
  CaseOutcome,
  CaseStep,
} from './adult-concern.types';

/** What a new concern is stored with. */
export type NewConcern = Omit<AdultConcern, 'steps' | 'outcome'> & { idempotencyKey: string };

/** The concerns about adults: a collection of their own that no pupil-side query reads. */
export class AdultConcernRepository {
  private readonly model: Model<ConcernDoc>;
  private readonly steps: AdultConcernStepRepository;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.model =
      (connection.models.AdultConcern as Model<ConcernDoc> | undefined) ??
      connection.model<ConcernDoc>('AdultConcern', concernSchema);
    this.steps = new AdultConcernStepRepository(connection, cipher);
  }

  /** Every sealed field's wrapped data keys, for key rotation. */
  wrappedKeys(): WrappedKeyHolder[] {
    return [
      new MongoWrappedKeyHolder('adult_concerns', this.model.collection, 'sealedDetails'),
      new MongoWrappedKeyHolder('adult_concerns.learning', this.model.collection, 'sealedLearning'),
      this.steps.wrappedKeys(),
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
    const steps = await this.steps.list(scope, concernId, context);
    const header = toHeader(doc);
    const learning = doc.sealedLearning
      ? String((await this.cipher.open(doc.sealedLearning, `${context}:outcome`)).learning ?? '')
      : '';
    const outcome = header.outcome ? { ...header.outcome, learning } : undefined;
    return { ...header, outcome, details, steps };
  }

  /** How many steps a case has: where the next one goes. */
  stepCount(scope: SchoolScope, concernId: string): Promise<number> {
    return this.steps.count(scope, concernId);
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
    const context = contextOf({ ...scope, concernId });
    const stored = await this.steps.insert(scope, concernId, position, step, context);
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

  /**
   * Allegations whose LADO referral is overdue and whose case manager has not been told yet,
   * across schools; each is marked told by `markLadoChased`.
   */
  async overdueLadoReferrals(now: Date, limit: number): Promise<AdultConcernHeader[]> {
    const docs = await this.model
      .find(
        {
          route: 'allegation',
          ladoReferralDueAt: { $lte: now },
          ladoReferredAt: { $exists: false },
          ladoChasedAt: { $exists: false },
        },
        { sealedDetails: 0, sealedLearning: 0 },
      )
      .limit(limit)
      .lean();
    return docs.map(toHeader);
  }

  async markLadoChased(scope: SchoolScope, concernId: string, at: Date): Promise<void> {
    await this.model.updateOne({ ...scoped(scope), concernId }, { $set: { ladoChasedAt: at } });
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
