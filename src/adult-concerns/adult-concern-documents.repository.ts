import { Schema } from 'mongoose';
import { sealedNarrativeSchema, type SealedNarrative } from '../encryption';
import type { SchoolScope } from '../shared/school-scope';
import type { AdultConcernHeader, CaseOutcome } from './adult-concern.types';

// The concerns' documents as stored (the mongoose schema and its indexes) and how a header is
// read back; adult-concern.repository.ts does the reading and writing.

type Person = { aadObjectId: string; displayName: string };
type StoredOutcome = Omit<CaseOutcome, 'learning'>;

/**
 * A concern as stored: the header in clear (ids, dates, route), what it says sealed. Sealed
 * fields sit at the top level of their documents, where key rotation finds them.
 */
export type ConcernDoc = Omit<AdultConcernHeader, 'outcome'> & {
  idempotencyKey: string;
  ladoChasedAt?: Date;
  sealedDetails: SealedNarrative;
  outcome?: StoredOutcome;
  /** The outcome's learning, sealed. */
  sealedLearning?: SealedNarrative;
  escalationStepsDone: number;
  escalationNextCheckAt: Date;
};

const person = { aadObjectId: String, displayName: String };
export const concernSchema = new Schema<ConcernDoc>(
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
    /** When the case manager was told the LADO referral is overdue (once). */
    ladoChasedAt: { type: Date },
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
concernSchema.index({ tenantId: 1, schoolId: 1, concernId: 1 }, { unique: true });
concernSchema.index({ tenantId: 1, schoolId: 1, reference: 1 }, { unique: true });
// A form is recorded once per recorder and draft, however often Submit is pressed.
concernSchema.index(
  { tenantId: 1, 'recordedBy.aadObjectId': 1, idempotencyKey: 1 },
  { unique: true },
);
concernSchema.index({ acknowledgedAt: 1, escalationNextCheckAt: 1 });
concernSchema.index({ tenantId: 1, schoolId: 1, recordedAt: -1 });
concernSchema.index({ ladoReferralDueAt: 1 });

/** A concern's sealed parts open only on the concern they were sealed for. */
export function contextOf(c: SchoolScope & { concernId: string }): string {
  return `adult-concern:${c.tenantId}:${c.schoolId}:${c.concernId}`;
}

/** Whitelists the header fields that leave the repository. */
export function toHeader(
  doc: Omit<ConcernDoc, 'sealedDetails' | 'sealedLearning'>,
): AdultConcernHeader {
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
