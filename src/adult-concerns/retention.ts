import type {
  AdultConcernRoute,
  AllegationOutcome,
  LowLevelOutcome,
  RetentionDecision,
} from './adult-concern.types';

/** The school's retention settings for concerns about adults. */
export interface RetentionPolicy {
  /** Years after a low-level concern's outcome before it is reviewed (school policy). */
  readonly lowLevelReviewYears: number;
  /** Normal pension age assumed when the adult's date of birth is given (State Pension age). */
  readonly pensionAge: number;
}

export const DEFAULT_RETENTION_POLICY: RetentionPolicy = Object.freeze({
  lowLevelReviewYears: 1,
  pensionAge: 67,
});

/**
 * How long a concern is kept, from its route and outcome (KCSIE Part 4 and the IRMS toolkit):
 * substantiated, unsubstantiated and unfounded allegations until the adult's normal pension age or
 * 10 years from the outcome, whichever is longer; false and malicious ones are removed from the
 * personnel record (a summary is kept only as the guidance says); low-level concerns are reviewed
 * under the school's policy. Only the decision is stored: disposal itself is not built yet.
 */
export function retentionFor(input: {
  readonly route: AdultConcernRoute;
  /** YYYY-MM-DD; absent while the case is open. */
  readonly outcomeDate?: string;
  readonly outcome?: AllegationOutcome | LowLevelOutcome;
  /** YYYY-MM-DD when the case manager knows it (from personnel records). */
  readonly subjectDateOfBirth?: string;
  /** YYYY-MM-DD: when it was recorded, for an open case's review. */
  readonly recordedOn: string;
  readonly policy: RetentionPolicy;
}): RetentionDecision {
  const { outcome, outcomeDate, policy } = input;
  if (!outcome || !outcomeDate) {
    return {
      rule: 'until-outcome',
      reviewOn: addYears(input.recordedOn, 1),
      explanation: 'Kept while the case is open; reviewed a year after it was recorded.',
    };
  }
  if (outcome === 'false' || outcome === 'malicious') {
    return {
      rule: 'remove-from-personnel-record',
      reviewOn: outcomeDate,
      explanation:
        'A false or malicious allegation is removed from the personnel record; keep only what the guidance allows.',
    };
  }
  if (outcome === 'addressed-with-adult' || outcome === 'no-further-action') {
    return {
      rule: 'low-level-policy-review',
      reviewOn: addYears(outcomeDate, policy.lowLevelReviewYears),
      explanation: `A low-level concern, reviewed ${policy.lowLevelReviewYears} year(s) after its outcome under the school's policy.`,
    };
  }
  const tenYears = addYears(outcomeDate, 10);
  if (!input.subjectDateOfBirth) {
    return {
      rule: 'pension-age-or-10-years',
      reviewOn: tenYears,
      explanation: `Kept until normal pension age or 10 years, whichever is longer. The adult's date of birth was not given: check it before ${tenYears}.`,
    };
  }
  const pension = addYears(input.subjectDateOfBirth, policy.pensionAge);
  return {
    rule: 'pension-age-or-10-years',
    reviewOn: pension > tenYears ? pension : tenYears,
    explanation: 'Kept until normal pension age or 10 years, whichever is longer.',
  };
}

/** A YYYY-MM-DD date `years` later (29 February becomes 28 February in a common year). */
export function addYears(date: string, years: number): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}
